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

/// The faults of a hostile network: each checked on the wire, with raw sockets where
/// an HTTP library would hide what happened (a reset, a cut body, an answer that never ends).
extension SandboxFaultTests {
    private static let createBody = Array(#"{"prompt": "waves", "size": "1280x720"}"#.utf8)

    @Test("reset-create:1: the connection is reset halfway through the body; nothing is made; the next create is answered")
    func resetCreate() async throws {
        let sandbox = try sandbox(.resetCreate(1))
        // A body far larger than the half the server reads, padded with JSON whitespace.
        let body = Self.createBody.dropLast() + [UInt8](repeating: 0x20, count: 4 << 20) + [UInt8(ascii: "}")]
        let reset = try RawHTTP.bounded(RawHTTP.request("POST", "/v1/videos", body: Array(body)), port: sandbox.port)
        #expect(reset.received.isEmpty && reset.ending == .reset, "\(reset.ending): \(RawHTTP.head(reset.received))")
        var uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 0 && uploads["creates"] as? Int == 1, "\(uploads)")
        #expect(try await sandbox.create(json: Self.create).status == 200)
        uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 1 && uploads["creates"] as? Int == 2, "\(uploads)")
    }

    @Test("cut-content:1: the full Content-Length, half the body, then the end of the connection; the next is whole")
    func cutContent() async throws {
        let sandbox = try sandbox(.cutContent(1))
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let cut = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos/\(id)/content"), port: sandbox.port)
        let whole = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos/\(id)/content"), port: sandbox.port)
        let head = RawHTTP.head(cut.received)
        let declared = try #require(head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) })
        #expect(head.hasPrefix("HTTP/1.1 200") && cut.ending == .closed)
        #expect(RawHTTP.body(cut.received).count == declared / 2)
        #expect(RawHTTP.body(whole.received).count == declared && RawHTTP.body(whole.received)[4..<8].elementsEqual("ftyp".utf8))
    }

    @Test("garbage-status:1 and truncated-status:1: 200s that are not JSON, then JSON again")
    func garbledStatus() async throws {
        let sandbox = try sandbox(.garbageStatus(1), .truncatedStatus(1))
        let id = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let garbage = try await sandbox.send("GET", "/videos/\(id)")
        let truncated = try await sandbox.send("GET", "/videos/\(id)")
        let whole = try await sandbox.send("GET", "/videos/\(id)")
        #expect(garbage.status == 200 && truncated.status == 200 && whole.status == 200)
        #expect((try? JSONSerialization.jsonObject(with: garbage.body)) == nil && garbage.body.contains(0x1B))
        #expect((try? JSONSerialization.jsonObject(with: truncated.body)) == nil && truncated.text.hasPrefix("{"))
        #expect(whole.body.starts(with: truncated.body) && whole.body.count > truncated.body.count)
        #expect(try whole.json()["id"] as? String == id)
    }

    @Test("truncated-create:1: the job is made and its answer's JSON is cut off halfway")
    func truncatedCreate() async throws {
        let sandbox = try sandbox(.truncatedCreate(1))
        let reply = try await sandbox.create(json: Self.create)
        #expect(reply.status == 200 && (try? JSONSerialization.jsonObject(with: reply.body)) == nil && reply.text.hasPrefix("{"))
        #expect(try await sandbox.uploads()["jobs"] as? Int == 1)
        #expect(try await sandbox.create(json: Self.create).json()["id"] is String)
    }

    @Test("html-error:2: two API requests get a proxy's 502 page, without a key even; then the API answers")
    func htmlError() async throws {
        let sandbox = try sandbox(.htmlError(2))
        let first = try await sandbox.send("GET", "/videos", key: nil)
        let second = try await sandbox.create(json: Self.create)
        #expect(first.status == 502 && second.status == 502)
        #expect(first.headers["content-type"]?.hasPrefix("text/html") == true && first.text.contains("<title>502 Bad Gateway</title>"))
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
        #expect(try await sandbox.send("GET", "/videos").status == 200)
    }

    @Test("redirect:ORIGIN: API requests answer 307 to the same path and query there; the sandbox's own report does not")
    func redirect() async throws {
        let sandbox = try sandbox(.redirect(origin: "http://localhost:9"))
        for (method, target) in [("GET", "/v1/videos?limit=2&order=desc"), ("POST", "/v1/videos"), ("GET", "/v1/videos/video_x/content?variant=thumbnail")] {
            let reply = try RawHTTP.bounded(RawHTTP.request(method, target, body: method == "POST" ? Self.createBody : []), port: sandbox.port)
            let head = RawHTTP.head(reply.received)
            #expect(head.hasPrefix("HTTP/1.1 307"), "\(head)")
            #expect(head.contains("\r\nLocation: http://localhost:9\(target)"), "\(head)")
        }
        let uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 0 && uploads["creates"] as? Int == 1)
    }

    @Test("huge-response: status and list declare 1 TiB and keep sending; endless-response: the same with no length")
    func endlessAnswers() async throws {
        let huge = try sandbox(.hugeResponse)
        let id = try #require(try await huge.create(json: Self.create).json()["id"] as? String)
        for path in ["/v1/videos/\(id)", "/v1/videos"] {
            let reply = try RawHTTP.bounded(RawHTTP.request("GET", path), port: huge.port, readLimit: 1 << 20)
            #expect(reply.ending == .limitReached)
            #expect(RawHTTP.head(reply.received).contains("Content-Length: 1099511627776"))
        }
        let endless = try sandbox(.endlessResponse)
        let reply = try RawHTTP.bounded(RawHTTP.request("GET", "/v1/videos"), port: endless.port, readLimit: 1 << 20)
        let head = RawHTTP.head(reply.received)
        #expect(reply.ending == .limitReached && head.hasPrefix("HTTP/1.1 200") && !head.lowercased().contains("content-length"))
    }

    @Test("no-answer:1: the create takes effect, no answer comes and the connection stays open; the next request is answered")
    func noAnswer() async throws {
        let sandbox = try sandbox(.noAnswer(1))
        let silent = try RawHTTP.bounded(RawHTTP.request("POST", "/v1/videos", body: Self.createBody), port: sandbox.port, timeout: 2)
        #expect(silent.received.isEmpty && silent.ending == .timedOut)
        #expect(try await sandbox.uploads()["jobs"] as? Int == 1)
        #expect(try await sandbox.send("GET", "/videos").status == 200)
    }

    @Test("running-limit:1: a create while a job runs answers 429 and makes nothing; once it is gone, creates go through")
    func runningLimit() async throws {
        // Jobs far longer than the test, so the first still runs whatever the machine's load.
        let sandbox = try sandbox(.runningLimit(1), jobSeconds: 600)
        let first = try #require(try await sandbox.create(json: Self.create).json()["id"] as? String)
        let refused = try await sandbox.create(json: Self.create)
        #expect(refused.status == 429 && refused.errorCode == "rate_limit_exceeded", "\(refused.text)")
        #expect(refused.errorMessage?.contains("in progress") == true)
        #expect(try await sandbox.uploads()["jobs"] as? Int == 1)
        #expect(try await sandbox.send("DELETE", "/videos/\(first)").status == 200)
        #expect(try await sandbox.create(json: Self.create).status == 200)
    }

    @Test(
        "the network faults parse and print back as written",
        arguments: [
            ("reset-create:2", SandboxFault.resetCreate(2)), ("cut-content", .cutContent(1)), ("garbage-status:1", .garbageStatus(1)),
            ("truncated-status:3", .truncatedStatus(3)), ("truncated-create", .truncatedCreate(1)), ("html-error:2", .htmlError(2)),
            ("redirect:http://localhost:8080", .redirect(origin: "http://localhost:8080")), ("huge-response", .hugeResponse),
            ("endless-response", .endlessResponse), ("no-answer:4", .noAnswer(4)), ("running-limit:2", .runningLimit(2)),
        ])
    func parsesNetworkFaults(text: String, fault: SandboxFault) throws {
        #expect(try SandboxFault(parsing: text) == fault)
        #expect(try SandboxFault(parsing: fault.description) == fault)
        #expect(SandboxFault.names.contains(String(text.split(separator: ":")[0])))
    }

    @Test(
        "bad network faults are refused by name",
        arguments: ["redirect", "redirect:localhost:8080", "redirect:http://localhost/v1", "redirect:ftp://x", "running-limit:0", "huge-response:1", "no-answer:x"])
    func refusesNetworkFaults(text: String) {
        #expect {
            try SandboxFault(parsing: text)
        } throws: { error in
            (error as? SandboxError)?.kind == .invalidFault && "\(error)".contains("'\(text)'")
        }
    }
}
