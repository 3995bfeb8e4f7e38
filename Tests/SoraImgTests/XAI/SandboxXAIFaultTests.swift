import Foundation
import SoraImgSandbox
import Testing

/// The one fault table in the xAI dialect, over raw HTTP: each shared fault acts on xAI's
/// create, poll and video link, in xAI's shapes; the faults that mean nothing here are refused.
@Suite("Sandbox: the xAI dialect's faults")
struct SandboxXAIFaultTests {
    private static let create = "/v1/videos/generations"
    private static let body = Array(
        try! JSONSerialization.data(withJSONObject: [
            "model": "grok-imagine-video", "prompt": "waves roll in", "duration": 8, "resolution": "720p",
            "image": ["url": DialectBodies.landscapeDataURL],
        ]))

    private func created(_ sandbox: Sandbox) async throws -> String {
        let reply = try await sandbox.send("POST", "/videos/generations", body: Data(Self.body), contentType: "application/json")
        return try #require(try reply.json()["request_id"] as? String, "\(reply.text)")
    }

    private func raw(_ sandbox: Sandbox, _ method: String, _ target: String, body: [UInt8] = []) throws -> (received: [UInt8], ending: RawEnding) {
        try RawHTTP.bounded(RawHTTP.request(method, target, body: body), port: sandbox.port)
    }

    @Test("rate-limit-create:1: 429 in xAI's error shape with Retry-After: 1, nothing made; then 200")
    func rateLimit() async throws {
        let sandbox = try Sandbox(.xai, .rateLimitCreate(1))
        let limited = try await sandbox.send("POST", "/videos/generations", body: Data(Self.body), contentType: "application/json")
        #expect(limited.status == 429 && limited.headers["retry-after"] == "1", "\(limited.text)")
        #expect(try limited.json().keys.sorted() == ["code", "error"])
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
        _ = try await created(sandbox)
    }

    @Test("error-status:1 answers one poll 500; error-content:1 one video download 503")
    func errors() async throws {
        let sandbox = try Sandbox(.xai, .errorStatus(1), .errorContent(1), jobSeconds: 0)
        let id = try await created(sandbox)
        #expect(try await sandbox.send("GET", "/videos/\(id)").status == 500)
        #expect(try await sandbox.send("GET", "/videos/\(id)").status == 200)
        let link = "/../xai-vidgen-bucket/xai-video-\(id).mp4"
        #expect(try await sandbox.send("GET", link, key: nil).status == 503)
        #expect(try await sandbox.send("GET", link, key: nil).status == 200)
    }

    @Test("drop-create:1: the job is made and the connection closes unanswered; truncated-create:1 cuts the answer")
    func dropAndTruncate() async throws {
        let dropping = try Sandbox(.xai, .dropCreate(1))
        let dropped = try raw(dropping, "POST", Self.create, body: Self.body)
        #expect(dropped.received.isEmpty)
        #expect(try await dropping.uploads()["jobs"] as? Int == 1)
        #expect(RawHTTP.head(try raw(dropping, "POST", Self.create, body: Self.body).received).hasPrefix("HTTP/1.1 200"))

        let cutting = try Sandbox(.xai, .truncatedCreate(1))
        let cut = try raw(cutting, "POST", Self.create, body: Self.body).received
        #expect(RawHTTP.head(cut).hasPrefix("HTTP/1.1 200") && (try? JSONSerialization.jsonObject(with: Data(RawHTTP.body(cut)))) == nil)
    }

    @Test("garbage-status:1 and truncated-status:1 garble a poll, 202 or 200 alike")
    func garbledPolls() async throws {
        let sandbox = try Sandbox(.xai, .garbageStatus(1), .truncatedStatus(1), jobSeconds: 0)
        let id = try await created(sandbox)
        for _ in 0..<2 {
            let reply = try raw(sandbox, "GET", "/v1/videos/\(id)").received
            #expect(RawHTTP.head(reply).hasPrefix("HTTP/1.1 200") && (try? JSONSerialization.jsonObject(with: Data(RawHTTP.body(reply)))) == nil)
        }
        #expect(try await sandbox.send("GET", "/videos/\(id)").json()["status"] as? String == "done")
    }

    @Test("cut-content:1 sends half the video with its full length; unterminated-content:1 half without one")
    func cutContent() async throws {
        let sandbox = try Sandbox(.xai, .cutContent(1), .unterminatedContent(1), jobSeconds: 0)
        let id = try await created(sandbox)
        let link = "/xai-vidgen-bucket/xai-video-\(id).mp4"
        let cut = try raw(sandbox, "GET", link)
        #expect(RawHTTP.head(cut.received).contains("Content-Length:"))
        let unterminated = try raw(sandbox, "GET", link)
        #expect(!RawHTTP.head(unterminated.received).lowercased().contains("content-length:"))
        let whole = try await sandbox.send("GET", "/.." + link, key: nil)
        #expect(whole.status == 200 && whole.body.count > RawHTTP.body(cut.received).count)
    }

    @Test("redirect: API requests answer 307 to the same path at the origin given; html-error:1 a proxy's 502 page")
    func proxies() async throws {
        let redirecting = try Sandbox(.xai, .redirect(origin: "http://localhost:9"))
        for (method, target) in [("POST", Self.create), ("GET", "/v1/videos/abc")] {
            let head = RawHTTP.head(try raw(redirecting, method, target, body: method == "POST" ? Self.body : []).received)
            #expect(head.hasPrefix("HTTP/1.1 307") && head.contains("\r\nLocation: http://localhost:9\(target)"), "\(head)")
        }
        let proxied = try Sandbox(.xai, .htmlError(1))
        let page = try await proxied.send("POST", "/videos/generations", body: Data(Self.body), contentType: "application/json")
        #expect(page.status == 502 && page.text.contains("<html>"))
    }

    @Test("running-limit:1: a second create while one runs answers 429, nothing made")
    func runningLimit() async throws {
        let sandbox = try Sandbox(.xai, .runningLimit(1), jobSeconds: 3600)
        _ = try await created(sandbox)
        let refused = try await sandbox.send("POST", "/videos/generations", body: Data(Self.body), contentType: "application/json")
        #expect(refused.status == 429)
        #expect(try await sandbox.uploads()["jobs"] as? Int == 1)
    }

    @Test("chosen-id: a request_id that is a path still polls and downloads as one escaped segment")
    func chosenID() async throws {
        let sandbox = try Sandbox(.xai, .chosenID("../../x/y"), jobSeconds: 0)
        let id = try await created(sandbox)
        #expect(id == "../../x/y")
        let escaped = try #require(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let done = try await sandbox.send("GET", "/videos/\(escaped)").json()
        let url = try #require((done["video"] as? [String: Any])?["url"] as? String)
        #expect(url.hasSuffix("/xai-vidgen-bucket/xai-video-..%2F..%2Fx%2Fy.mp4"), "\(url)")
        #expect(try await sandbox.send("GET", "/../xai-vidgen-bucket/xai-video-\(escaped).mp4", key: nil).status == 200)
    }

    @Test("completed-with-error: done with a video and an error; control-chars: ESC and BEL in the id, the status and messages")
    func hostile() async throws {
        let erring = try Sandbox(.xai, .completedWithError, jobSeconds: 0)
        let id = try await created(erring)
        let done = try await erring.send("GET", "/videos/\(id)").json()
        #expect(done["status"] as? String == "done" && done["video"] != nil && done["error"] != nil, "\(done)")

        let escaping = try Sandbox(.xai, .controlChars, .failJob(code: "internal_error"), jobSeconds: 0)
        let odd = try await created(escaping)
        #expect(odd.contains("\u{1B}[31m") && odd.hasSuffix("\u{07}"))
        let escaped = try #require(odd.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let failed = try await escaping.send("GET", "/videos/\(escaped)").json()
        #expect((failed["status"] as? String)?.contains("\u{1B}[31m") == true, "\(failed)")
        let unknown = try await escaping.send("GET", "/videos/nothing")
        #expect((try unknown.json()["error"] as? String)?.contains("\u{1B}[31m") == true)
    }

    @Test("faults for other dialects' answers are refused at start", arguments: [SandboxFault.foreignJob, .progress(json: "5"), .echoModel("x"), .echoPrompt("x")])
    func refused(fault: SandboxFault) {
        #expect {
            try SandboxServer(SandboxConfiguration(faults: [fault], dialect: .xai))
        } throws: { error in
            (error as? SandboxError)?.kind == .invalidFault && "\(error)".contains("the xai dialect")
        }
    }
}
