import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// fal's queue as soraimg speaks it: where the key goes (the queue and storage, never the
/// signed upload nor the CDN), the addresses the submit names used as given, a COMPLETED job
/// that carries an error or whose result is an error, and cancel.
@Suite("fal: uploads, the submit's addresses, failures and cancel", .hangGuard)
struct FalTests {
    let photo = Paths.fixture("orientation/portrait-6.jpg")

    private func dialect(base: String = "http://127.0.0.1:9", storage: String? = nil) throws -> FalDialect {
        var configuration = try VideosConfiguration(provider: .fal, baseURL: base, apiKey: "fal-key-secret")
        if let storage { configuration.storage = try ServiceURL(storage, source: "test") }
        return FalDialect(configuration: configuration)
    }

    private func answer(_ status: Int, _ json: String, url: String = "http://127.0.0.1:9/x") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(json.utf8), url: url)
    }

    private func hasKey(_ request: HTTPRequest) -> Bool {
        request.headers.contains { $0.value.contains("fal-key-secret") }
    }

    @Test("the binary's upload: the signed PUT never carries the key, and the image arrives upright and bare")
    func signedPutWithoutKey() throws {
        let sandbox = try SandboxProcess(provider: "fal")
        let result = try sandbox.run(["animate", photo, "--prompt", "waves roll in"])
        #expect(result.status == 0, "\(result.stderr)")
        let upload = try #require((sandbox.report()["uploads"] as? [[String: Any]])?.last)
        #expect(upload["upload_authorization"] as? Bool == false, "\(upload)")
        #expect(upload["seconds"] as? String == "8" && upload["size"] as? String == "720x1280", "\(upload)")
        let job = try #require(sandbox.journal.index().jobs.last)
        #expect(job.handles["status_url"]?.hasPrefix(sandbox.origin + "/fal-ai/veo3.1/requests/") == true, "\(job.handles)")
    }

    @Test("the key goes to the queue and the storage initiate; not to the signed upload URL, nor to the video's CDN link")
    func keyPlaces() throws {
        let fal = try dialect()
        let reference = CreateVideo.Reference(bytes: [1, 2, 3], format: .jpeg)
        let start = try #require(fal.uploadStart(reference))
        #expect(hasKey(start) && start.url.hasPrefix("http://127.0.0.1:9/storage/upload/initiate?"))
        let (second, file) = try fal.upload(
            reference, after: answer(200, #"{"upload_url": "http://127.0.0.1:9/signed/abc?sig=1", "file_url": "http://127.0.0.1:9/files/a/reference.jpg"}"#))
        let put = try #require(second, "fal's upload is two requests: the PUT follows the start")
        #expect(!hasKey(put) && put.method == .put && file == "http://127.0.0.1:9/files/a/reference.jpg")
        var job = JobSnapshot(id: "r1", status: .completed, providerStatus: "COMPLETED")
        job.videoSource = .url("http://127.0.0.1:9/files/v1/output.mp4")
        guard case .request(let download)? = try fal.content(of: job, variant: .video) else {
            Issue.record("no download request")
            return
        }
        #expect(!hasKey(download) && download.headers.isEmpty)
    }

    @Test("storage: SORAIMG_FAL_STORAGE_URL, else the base URL's origin when it is not fal's own, else rest.fal.ai")
    func storageRoot() throws {
        #expect(try dialect(base: "https://queue.fal.run").storage.origin == "https://rest.fal.ai")
        #expect(try dialect(base: "http://127.0.0.1:9/some/path").storage.origin == "http://127.0.0.1:9")
        #expect(try dialect(base: "https://queue.fal.run", storage: "https://store.example").storage.origin == "https://store.example")
    }

    @Test("a status_url, response_url or cancel_url on another origin is refused, never given the key")
    func foreignHandles() throws {
        let fal = try dialect()
        let made = try fal.created(from: answer(200, """
            {"request_id": "r1", "status_url": "http://elsewhere.example/fal-ai/veo3.1/requests/r1/status",
             "response_url": "http://127.0.0.1:9/fal-ai/veo3.1/requests/r1", "cancel_url": "http://127.0.0.1:10/r1/cancel"}
            """))
        #expect(made.id == "r1" && made.status == .queued)
        #expect(throws: VideosError.self) { try fal.status(of: made) }
        #expect(throws: VideosError.self) { try fal.cancel(made) }
        do {
            _ = try fal.status(of: made)
        } catch {
            #expect(error.kind == .unavailable && error.message.contains("does not send the key"), "\(error.message)")
        }
        // The response_url is on the base URL's origin and is used as given.
        var completed = made
        completed.status = .completed
        #expect(try fal.result(of: completed)?.url == "http://127.0.0.1:9/fal-ai/veo3.1/requests/r1")
    }

    @Test("a job the journal holds no addresses for: refused with the reason, nothing rebuilt by hand")
    func noHandles() throws {
        let fal = try dialect()
        do {
            _ = try fal.status(of: JobSnapshot(id: "r1", status: nil, providerStatus: "unknown"))
            Issue.record("a status request without the submit's status_url")
        } catch {
            #expect(error.kind == .usage && error.message.contains("does not build them by hand"))
        }
    }

    @Test("COMPLETED with an error fails the job; a result that answers an error fails it with the model's words")
    func failures() throws {
        let fal = try dialect()
        let errored = try fal.job(
            from: answer(200, #"{"status": "COMPLETED", "logs": [], "error": "Generation failed", "error_type": "runner_disconnected"}"#), id: "r1")
        #expect(errored.status == .failed && errored.failure?.code == "runner_disconnected" && !errored.hasVideo)
        #expect(try fal.result(of: errored) == nil)
        let done = try fal.job(from: answer(200, #"{"status": "COMPLETED", "logs": []}"#), id: "r1")
        #expect(done.status == .completed)
        let refused = try fal.job(
            done, result: answer(422, #"{"detail": [{"loc": ["body", "prompt"], "msg": "The content was flagged.", "type": "content_policy_violation"}]}"#))
        #expect(refused.status == .failed && refused.failure?.code == "content_policy_violation")
        #expect(refused.failure?.message?.contains("The content was flagged.") == true && refused.failure?.message?.contains("422") == true)
        let made = try fal.job(done, result: answer(200, #"{"video": {"url": "https://v3b.fal.media/files/x/output.mp4"}}"#))
        #expect(made.hasVideo && made.videoSource == .url("https://v3b.fal.media/files/x/output.mp4"))
        #expect(try fal.job(from: answer(202, #"{"status": "IN_QUEUE", "queue_position": 3}"#), id: "r1").status == .queued)
        #expect(try fal.job(from: answer(202, #"{"status": "IN_PROGRESS", "logs": []}"#), id: "r1").status == .inProgress)
        let odd = try fal.job(from: answer(200, #"{"status": "PAUSED"}"#), id: "r1")
        #expect(odd.status == nil && odd.providerStatus == "PAUSED")
    }

    @Test("an upload that fails made nothing: no submit, nothing journalled as sent, and the message says nothing was paid for")
    func uploadFails() throws {
        let sandbox = try SandboxProcess(provider: "fal")
        // Storage at a port where nothing listens.
        let result = try sandbox.run(["animate", photo, "--prompt", "nowhere"], environment: ["SORAIMG_FAL_STORAGE_URL": "http://127.0.0.1:9"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("nothing was paid for"), "\(result.stderr)")
        #expect(sandbox.createCount == 0)
        #expect(sandbox.journal.unconfirmedCreates().isEmpty && sandbox.journal.index().jobs.isEmpty)
    }

    @Test("through the binary: a journal whose status_url points at another origin is refused; that origin hears nothing")
    func foreignHandleInJournal() throws {
        let elsewhere = try RecordingServer(content: [])
        let sandbox = try SandboxProcess(provider: "fal")
        var line = JournalRecord(.created, id: "r1")
        line.provider = "fal"
        line.handles = ["status_url": elsewhere.origin + "/fal-ai/veo3.1/requests/r1/status", "response_url": elsewhere.origin + "/r1"]
        try FileManager.default.createDirectory(atPath: sandbox.folder.file("state/soraimg"), withIntermediateDirectories: true)
        try sandbox.journal.append(line)
        let result = try sandbox.run(["status", "r1"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("does not send the key there"), "\(result.stderr)")
        #expect(elsewhere.requests.isEmpty)
    }

    @Test("a model id that is not a plain owner/app path is refused before anything is sent")
    func modelIDs() throws {
        let sandbox = try SandboxProcess(provider: "fal")
        let result = try sandbox.run(["animate", photo, "--prompt", "x", "--model", "../../storage/upload", "--size", "720x1280", "--seconds", "5"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(sandbox.createCount == 0)
    }

    @Test("through the binary: a job completed with an error exits 1 with fal's words, and no file is left")
    func completedWithError() throws {
        let sandbox = try SandboxProcess(["--fault", "completed-with-error"], provider: "fal")
        let result = try sandbox.run(["animate", photo, "--prompt", "broken"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("The model failed while generating the video."), "\(result.stderr)")
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") })
    }

    @Test("cancel: PUT cancel_url from the journal, the service's word printed; the job then ends failed; other providers 64")
    func cancel() throws {
        let sandbox = try SandboxProcess(jobSeconds: 60, provider: "fal")
        let made = try sandbox.run(["animate", photo, "--prompt", "never mind", "--no-wait"])
        #expect(made.status == 0, "\(made.stderr)")
        let id = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!id.isEmpty)
        let cancelled = try sandbox.run(["cancel", id])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(cancelled.stdoutText.contains("CANCELLATION_REQUESTED"), "\(cancelled.stdoutText)")
        let waited = try sandbox.run(["wait", id])
        #expect(waited.status == 1, "\(waited.stderr)")
        #expect(waited.stderr.contains("cancelled"), "\(waited.stderr)")
        let again = try sandbox.run(["cancel", id])
        #expect(again.status != 0 && again.stderr.contains("already completed"), "\(again.stderr)")
        let gemini = try sandbox.run(["cancel", id, "--provider", "gemini"], environment: ["GEMINI_API_KEY": "k"])
        #expect(gemini.status == 64 && gemini.stderr.contains("gemini cannot cancel a job"), "\(gemini.stderr)")
        #expect(!(cancelled.stdoutText + cancelled.stderr + waited.stderr).contains(sandbox.key))
    }
}
