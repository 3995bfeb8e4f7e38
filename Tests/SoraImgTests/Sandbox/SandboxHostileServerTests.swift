import Foundation
import SoraImgSandbox
import Testing

/// The faults of a hostile server: well-formed answers whose content a client must not trust.
/// Each is checked on the wire; raw sockets where an HTTP library would normalise what it got.
@Suite("Sandbox: a hostile server", .hangGuard)
struct SandboxHostileServerTests {
    private static let create = ["prompt": "waves", "size": "1280x720"]
    private static let createBody = Array(#"{"prompt": "waves", "size": "1280x720"}"#.utf8)

    private func sandbox(_ faults: SandboxFault..., jobSeconds: Double = 0) throws -> Sandbox {
        try Sandbox(SandboxConfiguration(jobSeconds: jobSeconds, faults: faults))
    }

    /// `GET` of `target` on a fresh connection: status line and headers, and the body as JSON
    /// (empty when it is not JSON).
    private func get(_ target: String, _ sandbox: Sandbox) throws -> (head: String, json: [String: Any]) {
        let reply = try RawHTTP.bounded(RawHTTP.request("GET", target), port: sandbox.port)
        let json = (try? JSONSerialization.jsonObject(with: Data(RawHTTP.body(reply.received)))) as? [String: Any] ?? [:]
        return (RawHTTP.head(reply.received), json)
    }

    @Test("chosen-id: the next jobs get exactly the ids given, which resolve when escaped; then ids are the sandbox's own")
    func chosenID() async throws {
        let escape = "video_\u{1B}[31mred\u{07}"
        let sandbox = try sandbox(.chosenID("../../x/y"), .chosenID(escape))
        let first = try await sandbox.create(json: Self.create)
        #expect(try first.json()["id"] as? String == "../../x/y")
        let second = try await sandbox.create(json: Self.create)
        #expect(second.text.contains(#""id":"video_\u001b[31mred\u0007""#), "\(second.text)")
        #expect(try second.json()["id"] as? String == escape)
        let third = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        #expect(third.hasPrefix("video_") && third != escape)
        let path = try get("/v1/videos/..%2F..%2Fx%2Fy", sandbox)
        #expect(path.head.hasPrefix("HTTP/1.1 200") && path.json["id"] as? String == "../../x/y", "\(path)")
        let escaped = try get("/v1/videos/video_%1B%5B31mred%07", sandbox)
        #expect(escaped.head.hasPrefix("HTTP/1.1 200") && escaped.json["id"] as? String == escape)
        #expect(try get("/v1/videos/..%2F..%2Fx%2Fy/content", sandbox).head.hasPrefix("HTTP/1.1 200"))
    }

    @Test("progress:1e300: status and list answers carry the number exactly as written")
    func progress() async throws {
        let sandbox = try sandbox(.progress(json: "1e300"), jobSeconds: 600)
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let status = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos/\(id)"), port: sandbox.port)
        let text = String(decoding: RawHTTP.body(status.received), as: UTF8.self)
        #expect(text.contains(#""progress":1e300,"#), "\(text)")
        #expect(try get("/v1/videos/\(id)", sandbox).json["progress"] as? Double == 1e300)
        #expect(try await sandbox.send("GET", "/videos").text.contains(#""progress":1e300,"#))
        let nan = try self.sandbox(.progress(json: #""NaN""#))
        let other = try #require(try await nan.create(json: Self.create).json()["id"] as? String)
        #expect(try await nan.send("GET", "/videos/\(other)").text.contains(#""progress":"NaN","#))
    }

    @Test("echo-model and echo-prompt: job objects report them, while the sandbox records what was asked")
    func echoes() async throws {
        let sandbox = try sandbox(.echoModel("sora-2-2025-10-06"), .echoPrompt("waves roll in"))
        let created = try await sandbox.create(json: ["prompt": "  Waves   roll in ", "model": "sora-2", "size": "1280x720"]).json()
        #expect(created["model"] as? String == "sora-2-2025-10-06" && created["prompt"] as? String == "waves roll in")
        let id = try #require(created["id"] as? String)
        let status = try await sandbox.send("GET", "/videos/\(id)").json()
        #expect(status["model"] as? String == "sora-2-2025-10-06" && status["prompt"] as? String == "waves roll in")
        let upload = try #require((try await sandbox.uploads()["uploads"] as? [[String: Any]])?.first)
        #expect(upload["model"] as? String == "sora-2" && upload["prompt"] as? String == "  Waves   roll in ")
    }

    @Test("foreign-job: the list holds another job like the latest create, an hour older, that can be read")
    func foreignJob() async throws {
        let sandbox = try sandbox(.foreignJob)
        #expect((try await sandbox.send("GET", "/videos").json()["data"] as? [Any])?.isEmpty == true)
        let ours = try await sandbox.create(json: ["prompt": "a paper boat", "seconds": "8", "size": "720x1280"]).json()
        let list = try #require(try await sandbox.send("GET", "/videos").json()["data"] as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.first?["id"] as? String == ours["id"] as? String, "newest first")
        let foreign = try #require(list.last)
        #expect(foreign["id"] as? String != ours["id"] as? String)
        for key in ["prompt", "model", "size", "seconds"] { #expect(foreign[key] as? String == ours[key] as? String, "\(key)") }
        let created = try #require(ours["created_at"] as? Int)
        #expect((foreign["created_at"] as? Int).map { created - $0 } .map { (3599...3601).contains($0) } == true)
        #expect(foreign["status"] as? String == "completed")
        let id = try #require(foreign["id"] as? String)
        #expect(try await sandbox.send("GET", "/videos/\(id)").status == 200)
        #expect(try await sandbox.uploads()["jobs"] as? Int == 1)
        // It follows the latest create.
        _ = try await sandbox.create(json: ["prompt": "a lighthouse", "size": "1280x720"])
        let again = try #require(try await sandbox.send("GET", "/videos?order=asc").json()["data"] as? [[String: Any]])
        #expect(again.count == 3 && again.first?["prompt"] as? String == "a lighthouse", "oldest first")
    }

    @Test("trickle-content:8000: the video arrives whole, with its Content-Length, over about two seconds")
    func trickleContent() async throws {
        let sandbox = try sandbox(.trickleContent(bytesPerSecond: 8000))
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let start = ContinuousClock.now
        let reply = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos/\(id)/content"), port: sandbox.port)
        let elapsed = ContinuousClock.now - start
        let body = RawHTTP.body(reply.received)
        // 17,235 bytes at 8,000 a second: 22 slices of 800, the first at once.
        #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(60), "\(elapsed)")
        #expect(RawHTTP.head(reply.received).contains("Content-Length: \(body.count)") && body.count == 17_235)
        #expect(body[4..<8].elementsEqual("ftyp".utf8) && reply.ending == .closed)
        // Only content trickles: a status answer (a few hundred bytes) comes whole. No speed is
        // asserted here; a loaded machine can take seconds to schedule anything.
        let status = try await sandbox.send("GET", "/videos/\(id)")
        let statusID = try status.json()["id"] as? String
        #expect(status.status == 200 && statusID == id)
    }

    @Test("unterminated-content:1: no Content-Length, half the video, then the end of the connection; the next is whole")
    func unterminatedContent() async throws {
        let sandbox = try sandbox(.unterminatedContent(1))
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let cut = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos/\(id)/content"), port: sandbox.port)
        let whole = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos/\(id)/content"), port: sandbox.port)
        let head = RawHTTP.head(cut.received)
        #expect(head.hasPrefix("HTTP/1.1 200") && !head.lowercased().contains("content-length") && cut.ending == .closed, "\(head)")
        #expect(RawHTTP.body(cut.received).count == 17_235 / 2)
        #expect(RawHTTP.head(whole.received).contains("Content-Length: 17235") && RawHTTP.body(whole.received).count == 17_235)
    }

    @Test("completed-with-error: jobs end completed with an internal_error object; content is served")
    func completedWithError() async throws {
        let sandbox = try sandbox(.completedWithError, jobSeconds: 0.2)
        let created = try await sandbox.create(json: Self.create).json()
        #expect(created["status"] as? String == "queued" && created["error"] is NSNull)
        let id = try #require(created["id"] as? String)
        let video = try await sandbox.waitUntilFinished(id).json()
        #expect(video["status"] as? String == "completed")
        let error = try #require(video["error"] as? [String: Any])
        #expect(error["code"] as? String == "internal_error" && (error["message"] as? String)?.isEmpty == false)
        #expect(try await sandbox.send("GET", "/videos/\(id)/content").status == 200)
    }

    @Test("control-chars: ids, statuses and error messages carry ESC and BEL; the escaped id still resolves")
    func controlChars() async throws {
        let sandbox = try sandbox(.controlChars, .failJob(code: "moderation_blocked"))
        let created = try await sandbox.create(json: Self.create).json()
        let id = try #require(created["id"] as? String)
        #expect(id.hasPrefix("\u{1B}[31mvideo_") && id.hasSuffix("\u{07}"))
        #expect((created["status"] as? String) == "\u{1B}[31mqueued\u{1B}[0m\u{07}")
        let encoded = id.utf8.map { byte in
            (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "[") ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
        let status = try get("/v1/videos/\(encoded)", sandbox)
        #expect(status.head.hasPrefix("HTTP/1.1 200") && status.json["id"] as? String == id, "\(status)")
        #expect((status.json["status"] as? String)?.contains("failed") == true)
        let jobError = try #require(status.json["error"] as? [String: Any])
        #expect((jobError["message"] as? String)?.hasPrefix("\u{1B}[31m") == true)
        let missing = try await sandbox.send("GET", "/videos/video_none")
        #expect(missing.status == 404 && missing.errorMessage?.hasPrefix("\u{1B}[31mVideo with id") == true)
        #expect(missing.errorMessage?.hasSuffix("\u{07}") == true && missing.errorCode == "video_not_found")
    }

    @Test(
        "the hostile-server faults parse and print back as written",
        arguments: [
            ("chosen-id:../../x/y", SandboxFault.chosenID("../../x/y")), ("chosen-id:a:b", .chosenID("a:b")),
            ("progress:1e300", .progress(json: "1e300")), ("progress:-5", .progress(json: "-5")), (#"progress:"NaN""#, .progress(json: #""NaN""#)),
            ("progress:null", .progress(json: "null")), ("echo-model:sora-2-2025-10-06", .echoModel("sora-2-2025-10-06")),
            ("echo-prompt:waves roll in", .echoPrompt("waves roll in")), ("echo-prompt:", .echoPrompt("")), ("foreign-job", .foreignJob),
            ("trickle-content:4000", .trickleContent(bytesPerSecond: 4000)), ("unterminated-content", .unterminatedContent(1)),
            ("unterminated-content:3", .unterminatedContent(3)), ("completed-with-error", .completedWithError), ("control-chars", .controlChars),
        ])
    func parses(text: String, fault: SandboxFault) throws {
        #expect(try SandboxFault(parsing: text) == fault)
        #expect(try SandboxFault(parsing: fault.description) == fault)
        #expect(SandboxFault.names.contains(String(text.split(separator: ":")[0])))
        #expect(SandboxFault.hostileServerHelp.contains(String(text.split(separator: ":")[0])))
    }

    @Test(
        "bad hostile-server faults are refused by name",
        arguments: [
            "chosen-id", "chosen-id:", "progress", "progress:1e", "progress:0x10", "progress:NaN", "progress:[1]", "progress:01", "echo-model",
            "echo-model:", "echo-prompt", "foreign-job:1", "trickle-content", "trickle-content:0", "trickle-content:fast", "unterminated-content:-1",
            "completed-with-error:x", "control-chars:1",
        ])
    func refuses(text: String) {
        #expect {
            try SandboxFault(parsing: text)
        } throws: { error in
            (error as? SandboxError)?.kind == .invalidFault && "\(error)".contains("'\(text)'")
        }
    }
}
