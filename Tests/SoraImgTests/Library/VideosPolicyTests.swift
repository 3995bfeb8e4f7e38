import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

@Suite("Retry policy (pure)")
struct RetryPolicyTests {
    private let policy = RetryPolicy()
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("the table: what is retried, and after how long", arguments: [
        // (attempt, outcome, expected delay; nil = give up)
        (1, RetryPolicy.Outcome.status(500), 0.5 as Double?),
        (2, .status(502), 1.0), (3, .status(503), 2.0), (4, .status(504), 4.0), (5, .status(500), nil),
        (1, .status(429, retryAfterMilliseconds: "250"), 0.25),
        (1, .status(429, retryAfter: "3"), 3.0),
        (1, .status(429, retryAfterMilliseconds: "1500", retryAfter: "30"), 1.5),  // the finer header wins
        (1, .status(429, retryAfter: "3600"), 60.0),  // capped
        (1, .status(429, retryAfter: "soon"), 0.5),  // unreadable: backoff
        (5, .status(429, retryAfter: "1"), 1.0), (29, .status(429), 8.0), (30, .status(429), nil),  // a 429 gets 30 tries
        (1, .status(408), 0.5), (1, .status(409), 0.5),
        (1, .status(400), nil), (1, .status(401), nil), (1, .status(404), nil), (1, .status(422), nil),
        (1, .transport(.connect), 0.5), (2, .transport(.timeout), 1.0), (1, .transport(.connectionLost), 0.5),
        (1, .transport(.tls), nil), (1, .transport(.cancelled), nil), (1, .transport(.tooLarge), nil),
        (1, .transport(.badRedirect), nil),
    ])
    func table(attempt: Int, outcome: RetryPolicy.Outcome, expected: Double?) {
        #expect(policy.delay(after: attempt, outcome, now: now, jitter: 0) == expected)
    }

    @Test("Retry-After as an HTTP date waits until then")
    func httpDate() {
        let delay = policy.delay(after: 1, .status(503, retryAfter: "Fri, 15 Jan 2027 08:00:05 GMT"), now: Date(timeIntervalSince1970: 1_800_000_000), jitter: 0)
        #expect(delay == 5)
    }

    @Test("jitter only ever shortens the backoff, by at most a quarter")
    func jitter() {
        #expect(policy.delay(after: 3, .status(500), now: now, jitter: 1) == 1.5)
        #expect(policy.delay(after: 3, .status(500), now: now, jitter: 0.5) == 1.75)
    }
}

@Suite("Redirects (pure)")
struct RedirectPolicyTests {
    private let request = HTTPRequest(
        method: .get, url: "https://api.example.com/v1/videos/v1/content",
        headers: [HTTPHeader("Authorization", "Bearer sk-secret", isCredential: true), HTTPHeader("Accept", "*/*")])

    @Test("same origin keeps the credentials")
    func sameOrigin() throws {
        let (next, crossesOrigin) = try RedirectPolicy.next(after: request, status: 302, location: "/v1/other")
        #expect(!crossesOrigin)
        #expect(next.url == "https://api.example.com/v1/other")
        #expect(next.headers.contains { $0.name == "Authorization" })
    }

    @Test("another host never gets the credentials")
    func otherHost() throws {
        for location in ["https://cdn.example.net/file.mp4", "https://api.example.com:8443/x", "https://API.example.com.evil.test/"] {
            let (next, crossesOrigin) = try RedirectPolicy.next(after: request, status: 307, location: location)
            #expect(crossesOrigin, "\(location)")
            #expect(!next.headers.contains { $0.isCredential }, "\(location)")
            #expect(next.headers.contains { $0.name == "Accept" })
        }
    }

    @Test("https to http, and other schemes, are refused")
    func refused() {
        for location in ["http://api.example.com/v1/x", "file:///etc/passwd", "ftp://example.com/x"] {
            #expect(throws: HTTPTransportError.self) { try RedirectPolicy.next(after: request, status: 302, location: location) }
        }
    }

    @Test("303 turns a POST into a GET without a body")
    func seeOther() throws {
        let post = HTTPRequest(method: .post, url: "https://api.example.com/v1/videos", body: .json(Array("{}".utf8)))
        let next = try RedirectPolicy.next(after: post, status: 303, location: "/v1/videos/1").request
        #expect(next.method == .get)
        if case .none = next.body {} else { Issue.record("the body should be gone") }
    }
}

@Suite("Error catalogue (pure)")
struct ErrorCatalogueTests {
    private func response(_ status: Int, _ body: String, url: String = "https://x/v1/videos") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["x-request-id": "req_123"], body: Array(body.utf8), url: url)
    }

    private let openAI = try! VideosConfiguration(baseURL: VideosConfiguration.openAIBaseURL, apiKey: "sk-test-key-1234")
    private let gateway = try! VideosConfiguration(baseURL: "https://gateway.example/v1", apiKey: "sk-test-key-1234")

    private func error(_ response: HTTPResponse, _ configuration: VideosConfiguration, collection: Bool = false) -> VideosError {
        ErrorCatalogue.error(for: response, configuration: configuration, collection: collection) {
            $0.replacingOccurrences(of: "sk-test-key-1234", with: "[redacted]")
        }
    }

    @Test("what a server writes reaches the terminal as printable text, with the key redacted before any cut")
    func printableMessages() {
        let hostile = #"{"error":{"message":"\u001b[2J\u001b[31mboom\u0000 \u202eevil sk-test-key-1234","code":"bad\u001b[0m"}}"#
        let failure = error(response(400, hostile), gateway)
        #expect(failure.message == "?[2J?[31mboom? ?evil [redacted]")
        #expect(failure.code == "bad?[0m")
        let long = #"{"error":{"message":""# + String(repeating: "x", count: 495) + #" sk-test-key-1234"}}"#
        let cut = error(response(400, long), gateway).message
        #expect(cut.count == 500 && cut.hasSuffix("…") && !cut.contains("sk-test"))
    }

    @Test("each known error gets its kind, exit code and hint", arguments: [
        (400, #"{"error":{"message":"Inpaint image must match the requested width and height","type":"invalid_request_error"}}"#, VideosError.Kind.invalidRequest, "soraimg prep"),
        (400, #"{"error":{"message":"Invalid file 'input_reference': unsupported mimetype ('application/octet-stream')."}}"#, .invalidRequest, "image/jpeg"),
        (400, #"{"error":{"message":"Input images with faces of humans are currently rejected."}}"#, .invalidRequest, "human faces"),
        (401, #"{"error":{"message":"Incorrect API key provided: sk-test-key-1234","code":"invalid_api_key"}}"#, .auth, "OPENAI_API_KEY"),
        (429, #"{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#, .rateLimited, "--max-running"),
        (500, #"{"error":{"message":"boom","type":"server_error"}}"#, .unavailable, "try again later"),
    ])
    func catalogue(status: Int, body: String, kind: VideosError.Kind, hint: String) {
        let failure = error(response(status, body), gateway)
        #expect(failure.kind == kind)
        #expect(failure.hint?.contains(hint) == true, "\(failure)")
        #expect(failure.requestID == "req_123")
        #expect(!failure.description.contains("sk-test-key-1234"))
    }

    @Test("a 404 on /videos at OpenAI's URL explains the shutdown; elsewhere it names the base URL")
    func endpointGone() {
        let gone = error(response(404, #"{"error":{"message":"Not found"}}"#), openAI, collection: true)
        #expect(gone.kind == .endpointGone && gone.exitStatus == .serviceUnavailable)
        #expect(gone.hint?.contains("2026-09-24") == true && gone.hint?.contains("--base-url") == true)
        let elsewhere = error(response(404, "<html>nginx</html>"), gateway, collection: true)
        #expect(elsewhere.kind == .endpointGone)
        #expect(elsewhere.hint?.contains("gateway.example") == true)
        #expect(elsewhere.message.contains("HTML page"))
        let unknownModel = error(response(400, #"{"error":{"message":"The model `sora-2` does not exist","code":"model_not_found"}}"#), openAI)
        #expect(unknownModel.kind == .endpointGone && unknownModel.hint?.contains("2026-09-24") == true)
    }

    @Test("a failed job reports its code and a hint")
    func jobFailure() throws {
        let json = #"{"id":"video_1","object":"video","status":"failed","error":{"code":"moderation_blocked","message":"blocked"}}"#
        let video = try JSONDecoder().decode(Video.self, from: Data(json.utf8))
        let failure = ErrorCatalogue.jobFailure(OpenAIDialect.snapshot(video))
        #expect(failure.exitStatus == .jobFailed && failure.code == "moderation_blocked" && failure.videoID == "video_1")
        #expect(failure.hint?.contains("moderation") == true)
    }
}

@Suite("Journal and request bodies")
struct JournalTests {
    @Test("records append as whole JSON lines and merge per job; a torn line is skipped and reported")
    func journal() throws {
        let folder = Paths.temporaryFolder()
        let journal = JobJournal(path: folder.file("state/soraimg/jobs.jsonl"))
        let request = JobRequest(
            provider: "openai", baseURL: "http://x/v1", model: "sora-2", size: "1280x720", seconds: "4", prompt: "p", input: "/a.jpg",
            referenceSHA256: "ab")
        try journal.append(JournalRecord(.createSent, request: request))
        var created = JournalRecord(.created, request: request, id: "video_a")
        created.status = .queued
        created.output = "./a.mp4"
        try journal.append(created)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\": \"torn".utf8))
        try handle.close()
        var done = JournalRecord(.status, id: "video_a")
        done.status = .completed
        try journal.append(done)
        let index = JobJournal(path: journal.path).index()
        #expect(index.jobs.map(\.id) == ["video_a"])
        #expect(index.jobs[0].status == .completed && index.jobs[0].output == "./a.mp4" && index.jobs[0].prompt == "p")
        #expect(index.latestJob(for: request.fingerprint)?.id == "video_a" && index.pendingCreate(for: request.fingerprint) == nil)
        #expect(index.unreadableLines == [3])
        #expect(index.damage?.hasPrefix("1 line could not be read (3)") == true, "\(index.damage ?? "nil")")
        let line = try String(contentsOfFile: journal.path, encoding: .utf8).split(separator: "\n")[1]
        for key in ["\"id\"", "\"time\"", "\"base_url\"", "\"model\"", "\"size\"", "\"seconds\"", "\"prompt\"", "\"input\"", "\"output\"", "\"status\"", "\"fingerprint\"", "\"event\""] {
            #expect(line.contains(key), "\(key)")
        }
    }

    @Test("XDG_STATE_HOME decides where the journal lives")
    func location() {
        #expect(JobJournal.standard(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/soraimg/jobs.jsonl")
        #expect(JobJournal.standard(environment: ["HOME": "/h"]).path == "/h/.local/state/soraimg/jobs.jsonl")
    }

    @Test("create bodies: seconds as a string, the file part named and typed, JSON for data URLs")
    func bodies() throws {
        let reference = CreateVideo.Reference(bytes: [0xFF, 0xD8, 0xFF, 0xE0], format: .jpeg)
        let video = CreateVideo(prompt: "waves", model: "sora-2", seconds: "8", size: VideoSize(width: 1280, height: 720), reference: reference)
        guard case .multipart(let parts) = video.body else {
            Issue.record("expected multipart")
            return
        }
        #expect(parts.map(\.name) == ["prompt", "model", "seconds", "size", "input_reference"])
        #expect(parts[2].data == Array("8".utf8))
        #expect(parts[4].filename == "reference.jpg" && parts[4].contentType == "image/jpeg")

        var dataURL = video
        dataURL.reference?.encoding = .dataURL
        guard case .json(let bytes) = dataURL.body else {
            Issue.record("expected JSON")
            return
        }
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(object?["seconds"] as? String == "8")
        #expect((object?["input_reference"] as? [String: String])?["image_url"] == "data:image/jpeg;base64,/9j/4A==")

        let textOnly = CreateVideo(prompt: "waves", model: "sora-2", seconds: "4", size: VideoSize(width: 720, height: 1280))
        guard case .json = textOnly.body else {
            Issue.record("text-only jobs are JSON")
            return
        }
    }
}
