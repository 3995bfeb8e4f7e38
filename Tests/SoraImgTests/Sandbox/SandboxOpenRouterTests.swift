import Foundation
import SoraImgSandbox
import Testing

@Suite("Sandbox: the OpenRouter dialect")
struct SandboxOpenRouterTests {
    @Test("auth: no key, an api-key header or a wrong key answer 401 in OpenRouter's error shape")
    func auth() async throws {
        let sandbox = try Sandbox(.openrouter, key: "sk-right")
        for reply in [
            try await sandbox.openRouter("GET", "/videos/models", key: nil),
            try await sandbox.send("GET", "/videos/models", key: nil, headers: ["api-key": "sk-right"]),
            try await sandbox.openRouter("POST", "/videos", key: "sk-wrong", json: DialectBodies.openRouter()),
        ] {
            #expect(reply.status == 401)
            #expect(reply.errorNumber == 401 && reply.errorMessage?.isEmpty == false, "\(reply.text)")
            #expect(try reply.json().keys.sorted() == ["error", "user_id"])
            #expect(!reply.text.contains("sk-wrong"))
        }
        #expect(try await sandbox.openRouter("GET", "/videos/models", key: "sk-right").status == 200)
    }

    @Test("a create answers 202 with an absolute polling_url; the job goes pending, in_progress, completed with unsigned_urls and usage.cost")
    func progression() async throws {
        let sandbox = try Sandbox(.openrouter, jobSeconds: 0.5)
        let created = try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter())
        #expect(created.status == 202, "\(created.text)")
        let job = try created.json()
        let id = try #require(job["id"] as? String)
        #expect(id.hasPrefix("gen-vid-"))
        #expect(job["status"] as? String == "pending")
        #expect(job["polling_url"] as? String == sandbox.server.baseURL + "/videos/" + id)
        var seen: [String] = []
        var latest: [String: Any] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            latest = try await sandbox.openRouter("GET", "/videos/\(id)").json()
            let status = latest["status"] as? String ?? "?"
            if seen.last != status { seen.append(status) }
            if status != "pending" && status != "in_progress" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen.last == "completed" && Set(seen).isSubset(of: ["pending", "in_progress", "completed"]), "\(seen)")
        let url = sandbox.server.baseURL + "/videos/" + id + "/content?index=0"
        #expect(latest["unsigned_urls"] as? [String] == [url])
        #expect((latest["usage"] as? [String: Any])?["cost"] as? Double == 4.0, "8 s at 0.50 USD: \(latest)")
        #expect(latest["error"] == nil)

        let content = try await sandbox.openRouter("GET", "/videos/\(id)/content?index=0")
        #expect(content.status == 200 && content.headers["content-type"] == "video/mp4")
        #expect(content.body.count > 8 && String(decoding: content.body[4..<8], as: UTF8.self) == "ftyp")
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)/content").status == 200, "index defaults to 0")
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)/content?index=1").status == 404)
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)/content?index=x").status == 400)
        #expect(try await sandbox.openRouter("GET", "/videos/gen-vid-0-nothing").errorNumber == 404)

        let upload = try #require((try await sandbox.uploads()["uploads"] as? [[String: Any]])?.first)
        #expect(upload["content_type"] as? String == "image/jpeg" && upload["width"] as? Int == 1280 && upload["height"] as? Int == 720)
        #expect(upload["model"] as? String == "google/veo-3.1" && upload["seconds"] as? String == "8" && upload["size"] as? String == "1280x720")
    }

    @Test("no job list and no delete: OpenRouter has neither")
    func noListNoDelete() async throws {
        let sandbox = try Sandbox(.openrouter)
        let id = try #require(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        #expect(try await sandbox.openRouter("GET", "/videos").status == 405)
        #expect(try await sandbox.openRouter("DELETE", "/videos/\(id)").status == 405)
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)").status == 200)
    }

    @Test(
        "a create is validated as OpenRouter's spec says: 400 in its error shape",
        arguments: [
            "no model",
            "an unknown model",
            "duration as a string",
            "a duration outside supported_durations",
            "an unsupported resolution",
            "an unsupported aspect ratio",
            "a size not in the list",
            "a size contradicting resolution",
            "an image of the wrong size",
            "an https image URL",
            "a data URL that is not an image",
            "a bad frame_type",
            "a frame image for a model without frame images",
        ])
    func validation(_ what: String) async throws {
        let sandbox = try Sandbox(.openrouter)
        let reply = try await sandbox.openRouter("POST", "/videos", json: Self.invalidBody(what))
        #expect(reply.status == 400, "\(what): \(reply.text)")
        #expect(reply.errorNumber == 400 && reply.errorMessage?.isEmpty == false, "\(what): \(reply.text)")
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
    }

    /// The create each validation case sends (by name: test arguments must be Sendable, and
    /// the bodies would flood the log).
    private static func invalidBody(_ what: String) -> [String: Any] {
        switch what {
        case "no model": return { var body = DialectBodies.openRouter(); body["model"] = nil; return body }()
        case "an unknown model": return DialectBodies.openRouter(model: "acme/unknown")
        case "duration as a string": return DialectBodies.openRouter(duration: "8")
        case "a duration outside supported_durations": return DialectBodies.openRouter(duration: 5)
        case "an unsupported resolution": return DialectBodies.openRouter(resolution: "4K")
        case "an unsupported aspect ratio": return DialectBodies.openRouter(aspect: "1:1")
        case "a size not in the list": return DialectBodies.openRouter(resolution: nil, aspect: nil, size: "1000x1000")
        case "a size contradicting resolution": return DialectBodies.openRouter(resolution: "1080p", size: "1280x720")
        case "an image of the wrong size": return DialectBodies.openRouter(aspect: "9:16")
        case "an https image URL": return DialectBodies.openRouter(frameURL: "https://example.com/a.jpg")
        case "a data URL that is not an image": return DialectBodies.openRouter(frameURL: "data:text/plain;base64,aGVsbG8=")
        case "a bad frame_type": return DialectBodies.openRouter(frameType: "middle_frame")
        case "a frame image for a model without frame images": return DialectBodies.openRouter(model: "sandbox/text-only", duration: 5)
        default: return [:]
        }
    }

    @Test("size alone, and a model with only supported_sizes, are accepted; a text-only create needs no image")
    func sizes() async throws {
        let sandbox = try Sandbox(.openrouter)
        #expect(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter(resolution: nil, aspect: nil, size: "1280x720")).status == 202)
        #expect(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter(model: "sandbox/text-only", duration: 5, frameURL: nil)).status == 202)
        let square = DialectBodies.openRouter(model: "sandbox/square", duration: 4, resolution: nil, aspect: nil, size: "720x720", frameURL: nil)
        #expect(try await sandbox.openRouter("POST", "/videos", json: square).status == 202)
    }

    @Test("the model list carries every key openrouter 1.3.84's VideoModel requires")
    func models() async throws {
        let sandbox = try Sandbox(.openrouter)
        let reply = try await sandbox.openRouter("GET", "/videos/models")
        #expect(reply.status == 200)
        let models = try #require(try reply.json()["data"] as? [[String: Any]])
        let required = [
            "allowed_passthrough_parameters", "canonical_slug", "created", "creativity", "generate_audio", "id", "name", "seed",
            "supported_aspect_ratios", "supported_durations", "supported_frame_images", "supported_resolutions", "supported_sizes", "upscale_factor",
        ]
        for model in models { #expect(Set(required).isSubset(of: Set(model.keys)), "\(model["id"] ?? "?")") }
        let veo = try #require(models.first { $0["id"] as? String == "google/veo-3.1" })
        #expect(veo["supported_durations"] as? [Int] == [4, 6, 8])
        #expect((veo["supported_frame_images"] as? [String])?.contains("first_frame") == true)
        #expect(models.contains { $0["supported_frame_images"] is NSNull })
        #expect(models.contains { $0["id"] as? String != "google/veo-3.1" && $0["supported_sizes"] is [String] })
    }

    @Test("faces are taken: nothing OpenRouter publishes says its video API refuses them")
    func faces() throws {
        #expect(throws: Never.self) { try SandboxServer(SandboxConfiguration(dialect: .openrouter)) }
    }
}

/// The shared faults, in OpenRouter's shapes.
extension SandboxOpenRouterTests {
    @Test("rate-limit-create:1: 429 with Retry-After: 1 in OpenRouter's shape, nothing created; then 202")
    func rateLimit() async throws {
        let sandbox = try Sandbox(.openrouter, .rateLimitCreate(1))
        let limited = try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter())
        #expect(limited.status == 429 && limited.headers["retry-after"] == "1")
        #expect(limited.errorNumber == 429 && (limited.error["metadata"] as? [String: Any])?["error_type"] as? String == "rate_limit_exceeded")
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
        #expect(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter()).status == 202)
    }

    @Test("error-status:1: one poll answers 500, the next 200")
    func errorStatus() async throws {
        let sandbox = try Sandbox(.openrouter, .errorStatus(1))
        let id = try #require(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        let failed = try await sandbox.openRouter("GET", "/videos/\(id)")
        #expect(failed.status == 500 && failed.errorNumber == 500)
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)").status == 200)
    }

    @Test("drop-create:1: the job is made and the connection closes unanswered")
    func dropCreate() async throws {
        let sandbox = try Sandbox(.openrouter, .dropCreate(1))
        let body = Array(try JSONSerialization.data(withJSONObject: DialectBodies.openRouter()))
        let dropped = try RawHTTP.bounded(RawHTTP.request("POST", "/api/v1/videos", body: body), port: sandbox.port)
        #expect(dropped.received.isEmpty)
        let uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 1 && uploads["creates"] as? Int == 1, "\(uploads)")
        let answered = try RawHTTP.bounded(RawHTTP.request("POST", "/api/v1/videos", body: body), port: sandbox.port)
        #expect(RawHTTP.head(answered.received).hasPrefix("HTTP/1.1 202"))
    }

    @Test("fail-job:moderation_blocked: the job ends failed with error as a string; no content")
    func failJob() async throws {
        let sandbox = try Sandbox(.openrouter, .failJob(code: "moderation_blocked"))
        let id = try #require(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        let job = try await sandbox.openRouter("GET", "/videos/\(id)").json()
        #expect(job["status"] as? String == "failed")
        #expect(job["error"] as? String == "Your request was blocked by our moderation system.")
        #expect(job["unsigned_urls"] == nil && job["usage"] == nil)
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)/content?index=0").status == 404)
    }

    @Test("expire: the job ends expired with the guide's message; completed-with-error: completed with an error string")
    func expireAndCompletedWithError() async throws {
        let expiring = try Sandbox(.openrouter, .expire)
        let id = try #require(try await expiring.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        let expired = try await expiring.openRouter("GET", "/videos/\(id)").json()
        #expect(expired["status"] as? String == "expired" && expired["error"] as? String == "Job exceeded maximum time to live")
        let erring = try Sandbox(.openrouter, .completedWithError)
        let other = try #require(try await erring.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        let completed = try await erring.openRouter("GET", "/videos/\(other)").json()
        #expect(completed["status"] as? String == "completed" && completed["error"] is String)
    }

    @Test("redirect: API requests answer 307 to the same path at the origin given; reports are not redirected")
    func redirect() async throws {
        let sandbox = try Sandbox(.openrouter, .redirect(origin: "http://localhost:9"))
        for (method, target) in [("POST", "/api/v1/videos"), ("GET", "/api/v1/videos/gen-vid-1-x/content?index=0"), ("GET", "/api/v1/videos/models")] {
            let reply = try RawHTTP.bounded(RawHTTP.request(method, target, body: method == "POST" ? Array("{}".utf8) : []), port: sandbox.port)
            let head = RawHTTP.head(reply.received)
            #expect(head.hasPrefix("HTTP/1.1 307") && head.contains("\r\nLocation: http://localhost:9\(target)"), "\(head)")
        }
        #expect(try await sandbox.uploads()["creates"] as? Int == 1)
    }

    @Test("truncated-create:1 cuts the 202 answer; garbage-status:1 garbles one poll")
    func garbled() async throws {
        let sandbox = try Sandbox(.openrouter, .truncatedCreate(1), .garbageStatus(1))
        let cut = try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter())
        #expect(cut.status == 202 && (try? JSONSerialization.jsonObject(with: cut.body)) == nil)
        let id = try #require(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        #expect((try? JSONSerialization.jsonObject(with: try await sandbox.openRouter("GET", "/videos/\(id)").body)) == nil)
        #expect(try await sandbox.openRouter("GET", "/videos/\(id)").json()["status"] as? String == "completed")
    }

    @Test("control-chars: the id, the status and the error string carry ESC and BEL; the escaped id still finds the job")
    func controlChars() async throws {
        let sandbox = try Sandbox(.openrouter, .controlChars, .failJob(code: "moderation_blocked"))
        let id = try #require(try await sandbox.openRouter("POST", "/videos", json: DialectBodies.openRouter()).json()["id"] as? String)
        #expect(id.hasPrefix("\u{1B}[31mgen-vid-") && id.hasSuffix("\u{07}"))
        let escaped = try #require(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let job = try await sandbox.openRouter("GET", "/videos/\(escaped)").json()
        #expect((job["status"] as? String)?.contains("\u{1B}[31mfailed") == true, "\(job)")
        #expect((job["error"] as? String)?.contains("\u{07}") == true, "\(job)")
    }
}
