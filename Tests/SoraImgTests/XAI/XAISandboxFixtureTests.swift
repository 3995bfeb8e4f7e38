import Foundation
@testable import SoraImgSandbox
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// The sandbox's xAI dialect against the same hand-written REST shapes as the client: it takes
/// the fixture's create, and every answer it writes has a fixture's shape. Its answers are then
/// read by the client too, so both sides meet on the fixtures rather than on each other.
@Suite("Sandbox: the xAI dialect against the REST fixtures")
struct XAISandboxFixtureTests {
    /// The fixture's create with the prepared 1280x720 JPEG as its image.
    private func createBody(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> Data {
        var body = try #require(try JSONSerialization.jsonObject(with: Data(try XAIFixtures.data("create-request"))) as? [String: Any])
        body["image"] = ["url": DialectBodies.landscapeDataURL]
        change(&body)
        return try JSONSerialization.data(withJSONObject: body)
    }

    private func create(_ sandbox: Sandbox, key: String? = Sandbox.key, _ change: (inout [String: Any]) -> Void = { _ in }) async throws -> Reply {
        try await sandbox.send("POST", "/videos/generations", key: key, body: try createBody(change), contentType: "application/json")
    }

    private func expectShape(_ reply: Reply, _ fixture: String, exactly: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let mismatches = try JSONShape(Array(reply.body)).mismatches(against: try XAIFixtures.shape(fixture), exactly: exactly)
        #expect(mismatches.isEmpty, "\(fixture): \(mismatches) in \(reply.text)", sourceLocation: sourceLocation)
    }

    /// The sandbox's answer as the client reads it.
    private func read(_ reply: Reply, _ sandbox: Sandbox, id: String) throws -> JobSnapshot {
        let response = SoraImg.HTTPResponse(status: reply.status, headers: reply.headers, body: Array(reply.body), url: sandbox.server.baseURL + "/videos/" + id)
        return try XAIFixtures.dialect(base: sandbox.server.baseURL).job(from: response, id: id)
    }

    @Test("the fixture's create is taken: 200 with exactly the create answer's shape; the sandbox saw the image at its own size")
    func create() async throws {
        let sandbox = try Sandbox(.xai, jobSeconds: 0)
        let reply = try await create(sandbox)
        #expect(reply.status == 200, "\(reply.text)")
        try expectShape(reply, "create-answer", exactly: true)
        let upload = try #require((try await sandbox.uploads()["uploads"] as? [[String: Any]])?.last)
        #expect(upload["width"] as? Int == 1280 && upload["height"] as? Int == 720 && upload["seconds"] as? String == "8", "\(upload)")
    }

    @Test("pending answers 202 with no body while queued; the client reads it as in progress")
    func pendingBare() async throws {
        // Queued for a tenth of an hour: the first poll lands there on any machine.
        let sandbox = try Sandbox(.xai, jobSeconds: 3600)
        let id = try #require(try await create(sandbox).json()["request_id"] as? String)
        let first = try await sandbox.send("GET", "/videos/\(id)")
        #expect(first.status == 202 && first.body.isEmpty, "\(first.text)")
        #expect(try read(first, sandbox, id: id).status == .inProgress)
    }

    @Test("pending answers 202 in the pending fixture's shape once running; the client reads it as in progress with its progress")
    func pendingWithBody() throws {
        // A job halfway through, made directly: its phase does not depend on how fast the test runs.
        let api = SandboxAPI(configuration: SandboxConfiguration(jobSeconds: 100, dialect: .xai))
        let job = VideoJob(
            id: "r1", model: "grok-imagine-video", size: "1280x720", seconds: "8", prompt: "p", remixedFrom: nil,
            createdAt: Date.now.timeIntervalSince1970 - 50, started: .now - .seconds(50), duration: 100, failure: nil)
        let answer = api.xaiAnswer(job, at: .now)
        let reply = Reply(status: answer.status, headers: [:], body: Data(answer.body))
        #expect(reply.status == 202, "\(reply.text)")
        try expectShape(reply, "status-pending", exactly: true)
        let sandbox = try Sandbox(.xai)
        let read = try read(reply, sandbox, id: "r1")
        #expect(read.status == .inProgress && read.providerStatus == "pending" && read.progress != nil)
    }

    @Test("done: 200 in the done fixture's shape, the video's link at the sandbox origin, served with or without a key and recorded")
    func done() async throws {
        let sandbox = try Sandbox(.xai, jobSeconds: 0)
        let id = try #require(try await create(sandbox).json()["request_id"] as? String)
        let reply = try await sandbox.send("GET", "/videos/\(id)")
        #expect(reply.status == 200, "\(reply.text)")
        try expectShape(reply, "status-done")
        let job = try read(reply, sandbox, id: id)
        #expect(job.status == .completed && job.hasVideo)
        guard case .url(let link)? = job.videoSource else {
            Issue.record("no link")
            return
        }
        #expect(link == "http://127.0.0.1:\(sandbox.port)/xai-vidgen-bucket/xai-video-\(id).mp4")
        let bare = try await sandbox.send("GET", "/../xai-vidgen-bucket/xai-video-\(id).mp4", key: nil)
        #expect(bare.status == 200 && bare.headers["content-type"] == "video/mp4")
        let keyed = try await sandbox.send("GET", "/../xai-vidgen-bucket/xai-video-\(id).mp4")
        #expect(keyed.status == 200)
        let downloads = try #require(try await sandbox.uploads()["downloads"] as? [[String: Any]])
        #expect(downloads.map { $0["with_key"] as? Bool } == [false, true])
    }

    @Test("failed: 200 in the failed fixture's shape with one of the spec's codes; another word fails as internal_error")
    func failed() async throws {
        for (given, code) in [("failed_precondition", "failed_precondition"), ("moderation_blocked", "internal_error")] {
            let sandbox = try Sandbox(.xai, .failJob(code: given), jobSeconds: 0)
            let id = try #require(try await create(sandbox).json()["request_id"] as? String)
            let reply = try await sandbox.send("GET", "/videos/\(id)")
            #expect(reply.status == 200)
            try expectShape(reply, "status-failed", exactly: true)
            let job = try read(reply, sandbox, id: id)
            #expect(job.status == .failed && job.failure?.code == code, "\(reply.text)")
        }
    }

    @Test("expire: 200 in the expired fixture's shape, and the link answers 404")
    func expired() async throws {
        let sandbox = try Sandbox(.xai, .expire, jobSeconds: 0)
        let id = try #require(try await create(sandbox).json()["request_id"] as? String)
        let reply = try await sandbox.send("GET", "/videos/\(id)")
        try expectShape(reply, "status-expired", exactly: true)
        #expect(try read(reply, sandbox, id: id).status == .expired)
        #expect(try await sandbox.send("GET", "/../xai-vidgen-bucket/xai-video-\(id).mp4", key: nil).status == 404)
    }

    @Test("rai-filter: done in the moderated fixture's shape (respect_moderation false, an empty url); the client fails it as moderated")
    func moderated() async throws {
        let sandbox = try Sandbox(.xai, .raiFilter, jobSeconds: 0)
        let id = try #require(try await create(sandbox).json()["request_id"] as? String)
        let reply = try await sandbox.send("GET", "/videos/\(id)")
        try expectShape(reply, "status-done-moderated", exactly: true)
        let job = try read(reply, sandbox, id: id)
        #expect(job.status == .failed && job.failure?.code == "moderated")
    }

    @Test("errors come in the flat fixture's shape and the client reads them: no key 401, a wrong key 400, unknown ids 404, missing fields 422")
    func errors() async throws {
        let sandbox = try Sandbox(.xai, jobSeconds: 0, key: "right-key")
        let client = try XAIFixtures.dialect(base: sandbox.server.baseURL)
        func read(_ reply: Reply, collection: Bool) -> VideosError {
            client.error(for: SoraImg.HTTPResponse(status: reply.status, headers: reply.headers, body: Array(reply.body), url: sandbox.server.baseURL + "/videos/generations"), collection: collection, id: nil)
        }
        let missing = try await create(sandbox, key: nil)
        #expect(missing.status == 401)
        try expectShape(missing, "error-flat", exactly: true)
        #expect(read(missing, collection: true).kind == .auth)
        let wrong = try await create(sandbox, key: "wrong-key")
        #expect(wrong.status == 400 && !wrong.text.contains("wrong-key"))
        try expectShape(wrong, "error-flat", exactly: true)
        #expect(read(wrong, collection: true).kind == .auth)
        let unknown = try await sandbox.send("GET", "/videos/nothing-here", key: "right-key")
        #expect(unknown.status == 404)
        try expectShape(unknown, "error-flat", exactly: true)
        let noModel = try await create(sandbox, key: "right-key") { $0["model"] = nil }
        #expect(noModel.status == 422, "\(noModel.text)")
        try expectShape(noModel, "error-flat", exactly: true)
    }

    @Test("validation: duration 1 to 15 as a number or a string, a known resolution that matches the image, a data URL, a known model")
    func validation() async throws {
        let sandbox = try Sandbox(.xai, jobSeconds: 0)
        #expect(try await create(sandbox) { $0["duration"] = "15" }.status == 200)
        #expect(try await create(sandbox) { $0["duration"] = nil; $0["seconds"] = 1 }.status == 200)
        for duration: Any in [0, 16, "eight", 8.5] {
            let reply = try await create(sandbox) { $0["duration"] = duration }
            #expect(reply.status == 400, "\(duration): \(reply.text)")
        }
        let mismatch = try await create(sandbox) { $0["resolution"] = "480p" }
        #expect(mismatch.status == 400 && mismatch.text.contains("must match the requested size"), "\(mismatch.text)")
        #expect(try await create(sandbox) { $0["resolution"] = "4k" }.status == 400)
        #expect(try await create(sandbox) { $0["resolution"] = nil }.status == 200)
        #expect(try await create(sandbox) { $0["image"] = ["url": "https://example.com/a.jpg"] }.status == 400)
        #expect(try await create(sandbox) { $0["image"] = ["url": "data:image/jpeg;base64,AAAA"] }.status == 400)
        #expect(try await create(sandbox) { $0["model"] = "grok-imagine-vidoe" }.status == 404)
        // The compatibility spellings the spec names: `input_reference`, `image_url`.
        #expect(try await create(sandbox) { $0["image"] = nil; $0["input_reference"] = ["image_url": DialectBodies.landscapeDataURL] }.status == 200)
    }
}
