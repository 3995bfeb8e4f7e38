import Foundation
import SoraImgSandbox
import Testing

@Suite("Sandbox: injected faults")
struct SandboxFaultTests {
    private static let create = ["prompt": "waves", "size": "1280x720"]

    private func sandbox(_ faults: SandboxFault..., jobSeconds: Double = 0) throws -> Sandbox {
        try Sandbox(SandboxConfiguration(jobSeconds: jobSeconds, faults: faults))
    }

    @Test("rate-limit-create:1 twice: two 429s with Retry-After and nothing created, then success")
    func rateLimit() async throws {
        // Repeated faults add up.
        let sandbox = try sandbox(.rateLimitCreate(1), .rateLimitCreate(1))
        for _ in 0..<2 {
            let reply = try await sandbox.create(json: Self.create)
            #expect(reply.status == 429)
            #expect(reply.headers["retry-after"] == "1")
            #expect(reply.errorCode == "rate_limit_exceeded")
        }
        var uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 0 && uploads["creates"] as? Int == 2)
        #expect(try await sandbox.create(json: Self.create).status == 200)
        uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 1 && uploads["creates"] as? Int == 3)
    }

    @Test("error-status:1: one status request answers 500 server_error, the next 200")
    func errorStatus() async throws {
        let sandbox = try sandbox(.errorStatus(1))
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let failed = try await sandbox.send("GET", "/videos/\(id)")
        #expect(failed.status == 500)
        #expect(failed.error["type"] as? String == "server_error")
        #expect(try await sandbox.send("GET", "/videos/\(id)").status == 200)
    }

    @Test("error-content:1: one content request answers 503, the next the video")
    func errorContent() async throws {
        let sandbox = try sandbox(.errorContent(1))
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        #expect(try await sandbox.send("GET", "/videos/\(id)/content").status == 503)
        let video = try await sandbox.send("GET", "/videos/\(id)/content")
        #expect(video.status == 200 && video.headers["content-type"] == "video/mp4")
    }

    @Test("drop-create:1: the job is made, the connection closes unanswered; the next create is answered")
    func dropCreate() throws {
        let sandbox = try sandbox(.dropCreate(1))
        let body = #"{"prompt": "waves", "size": "1280x720"}"#
        func request(_ path: String, body: String = "", method: String = "POST") -> String {
            "\(method) \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        }
        // Raw sockets: an HTTP library may retry a request whose reused connection died.
        let dropped = try RawHTTP.exchange(request("/v1/videos", body: body), port: sandbox.port)
        #expect(dropped.isEmpty, "expected no answer, got \(dropped)")
        let report = try RawHTTP.exchange(request("/sandbox/uploads", method: "GET"), port: sandbox.port)
        #expect(report.contains(#""creates":1"#) && report.contains(#""jobs":1"#), "\(report)")
        let answered = try RawHTTP.exchange(request("/v1/videos", body: body), port: sandbox.port)
        #expect(RawHTTP.statuses(answered) == [200], "\(answered)")
    }

    @Test("slow:300 delays every response, errors included")
    func slow() async throws {
        let sandbox = try sandbox(.slow(milliseconds: 300))
        let start = ContinuousClock.now
        let ok = try await sandbox.send("GET", "/videos")
        let refused = try await sandbox.send("GET", "/videos", key: nil)
        #expect(ok.status == 200 && refused.status == 401)
        #expect(ContinuousClock.now - start >= .milliseconds(600))
    }

    @Test("fail-job:moderation_blocked: jobs end failed with the code and the service's message")
    func failJob() async throws {
        let sandbox = try sandbox(.failJob(code: "moderation_blocked"), jobSeconds: 0.2)
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let video = try await sandbox.waitUntilFinished(id).json()
        #expect(video["status"] as? String == "failed")
        let error = try #require(video["error"] as? [String: Any])
        #expect(error["code"] as? String == "moderation_blocked")
        #expect(error["message"] as? String == "Your request was blocked by our moderation system.")
        #expect(video["expires_at"] is NSNull)
        #expect(try await sandbox.send("GET", "/videos/\(id)/content").status == 404)
    }

    @Test("expire: a completed job's content answers 404 video_expired")
    func expire() async throws {
        let sandbox = try sandbox(.expire)
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        #expect(try await sandbox.send("GET", "/videos/\(id)").json()["status"] as? String == "completed")
        let reply = try await sandbox.send("GET", "/videos/\(id)/content?variant=thumbnail")
        #expect(reply.status == 404)
        #expect(reply.errorCode == "video_expired")
        #expect(reply.errorMessage == "The content for this video has expired.")
    }
}
