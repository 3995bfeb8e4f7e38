import Foundation
import SoraImgSandbox
import Testing

@Suite("Sandbox: the Gemini dialect")
struct SandboxGeminiTests {
    private static let create = DialectBodies.geminiCreate

    /// Polls the operation until it is done.
    private func finished(_ sandbox: Sandbox, _ name: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let operation = try await sandbox.gemini("GET", "/" + name).json()
            if operation["done"] as? Bool == true || ContinuousClock.now > deadline { return operation }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("auth: no key answers 403 PERMISSION_DENIED, a wrong key 400 INVALID_ARGUMENT, a Bearer key is not the Gemini key; ?key= works")
    func auth() async throws {
        let sandbox = try Sandbox(.gemini, key: "right-key")
        let missing = try await sandbox.gemini("POST", Self.create, key: nil, json: DialectBodies.gemini())
        #expect(missing.status == 403 && missing.errorNumber == 403 && missing.errorStatus == "PERMISSION_DENIED", "\(missing.text)")
        let bearer = try await sandbox.send("POST", Self.create, key: "right-key", body: Data("{}".utf8), contentType: "application/json")
        #expect(bearer.status == 403)
        let wrong = try await sandbox.gemini("POST", Self.create, key: "wrong-key", json: DialectBodies.gemini())
        #expect(wrong.status == 400 && wrong.errorStatus == "INVALID_ARGUMENT" && !wrong.text.contains("wrong-key"), "\(wrong.text)")
        #expect(try wrong.json().keys.sorted() == ["error"])
        #expect(wrong.error.keys.sorted() == ["code", "message", "status"])
        let query = try await sandbox.gemini("POST", Self.create + "?key=right-key", key: nil, json: DialectBodies.gemini())
        #expect(query.status == 200, "\(query.text)")
        // The report takes the key in any dialect's header.
        let report = try await sandbox.send("GET", "/../sandbox/uploads", key: nil, headers: ["x-goog-api-key": "right-key"]).json()
        #expect(report["jobs"] as? Int == 1)
    }

    @Test("an operation: its name, running without done, then done with the video's uri on this origin; the download needs the key")
    func progression() async throws {
        // A job that cannot finish during the test shows the running shape on any machine.
        let slow = try Sandbox(.gemini, jobSeconds: 3600)
        let pending = try #require(try await slow.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        let running = try await slow.gemini("GET", "/" + pending).json()
        #expect(running["name"] as? String == pending && running["done"] == nil && running.count == 1)

        let sandbox = try Sandbox(.gemini, jobSeconds: 0.2)
        let created = try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini())
        #expect(created.status == 200, "\(created.text)")
        let name = try #require(try created.json()["name"] as? String)
        #expect(name.wholeMatch(of: /models\/veo-3\.1-generate-preview\/operations\/[a-z0-9]+/) != nil, "\(name)")
        #expect(try created.json().keys.sorted() == ["name"])

        let done = try await finished(sandbox, name)
        #expect(done["done"] as? Bool == true && done["error"] == nil)
        let response = try #require((done["response"] as? [String: Any])?["generateVideoResponse"] as? [String: Any])
        let samples = try #require(response["generatedSamples"] as? [[String: Any]])
        let uri = try #require((samples.first?["video"] as? [String: Any])?["uri"] as? String)
        let origin = "http://127.0.0.1:\(sandbox.port)"
        let match = try #require(uri.wholeMatch(of: /(.+)\/v1beta\/files\/([a-z0-9]+):download\?alt=media/), "\(uri)")
        #expect(String(match.1) == origin)
        let path = "/files/\(match.2):download?alt=media"

        #expect(try await sandbox.gemini("GET", path, key: nil).status == 403)
        #expect(try await sandbox.gemini("GET", "/files/\(match.2):download").status == 400)
        let video = try await sandbox.gemini("GET", path)
        #expect(video.status == 200 && video.headers["content-type"] == "video/mp4")
        #expect(video.body.count > 8 && String(decoding: video.body[4..<8], as: UTF8.self) == "ftyp")

        let upload = try #require((try await sandbox.uploads()["uploads"] as? [[String: Any]])?.first)
        #expect(upload["content_type"] as? String == "image/jpeg" && upload["width"] as? Int == 1280 && upload["height"] as? Int == 720)
        #expect(upload["seconds"] as? String == "8" && upload["size"] as? String == "1280x720")
    }

    @Test("no job list and no delete; an unknown operation is 404 NOT_FOUND")
    func noListNoDelete() async throws {
        let sandbox = try Sandbox(.gemini)
        let name = try #require(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        #expect(try await sandbox.gemini("GET", "/models/veo-3.1-generate-preview/operations").status == 404)
        #expect(try await sandbox.gemini("DELETE", "/" + name).status == 404)
        let unknown = try await sandbox.gemini("GET", "/models/veo-3.1-generate-preview/operations/nosuchop")
        #expect(unknown.status == 404 && unknown.errorStatus == "NOT_FOUND")
    }

    @Test(
        "a create is checked as the Gemini API does: 400 INVALID_ARGUMENT (404 for an unknown model)",
        arguments: [
            "inlineData", "a data URL", "no prompt", "no instances", "aspectRatio 1:1", "resolution 4k", "durationSeconds 5",
            "durationSeconds as a string", "1080p for 4 seconds", "an image of the wrong size", "an image that is not one", "an unknown model",
        ])
    func validation(_ what: String) async throws {
        let sandbox = try Sandbox(.gemini)
        let path = what == "an unknown model" ? "/models/veo-9:predictLongRunning" : Self.create
        let reply = try await sandbox.gemini("POST", path, json: Self.invalidBody(what))
        let expected = what == "an unknown model" ? (404, "NOT_FOUND") : (400, "INVALID_ARGUMENT")
        #expect(reply.status == expected.0 && reply.errorNumber == expected.0 && reply.errorStatus == expected.1, "\(what): \(reply.text)")
        if what == "inlineData" { #expect(reply.errorMessage == "`inlineData` isn't supported by this model.") }
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
    }

    private static func invalidBody(_ what: String) -> [String: Any] {
        let base64 = Data(ReferenceImages.landscape).base64EncodedString()
        switch what {
        case "inlineData": return DialectBodies.gemini(image: ["inlineData": ["data": base64, "mimeType": "image/jpeg"]])
        case "a data URL": return DialectBodies.gemini(image: ["bytesBase64Encoded": "data:image/jpeg;base64," + base64, "mimeType": "image/jpeg"])
        case "no prompt": return ["instances": [["image": ["bytesBase64Encoded": base64, "mimeType": "image/jpeg"]]]]
        case "no instances": return ["parameters": ["aspectRatio": "16:9"]]
        case "aspectRatio 1:1": return DialectBodies.gemini(aspect: "1:1")
        case "resolution 4k": return DialectBodies.gemini(resolution: "4k")
        case "durationSeconds 5": return DialectBodies.gemini(seconds: 5)
        case "durationSeconds as a string": return DialectBodies.gemini(seconds: "8")
        case "1080p for 4 seconds": return DialectBodies.gemini(resolution: "1080p", seconds: 4)
        case "an image of the wrong size": return DialectBodies.gemini(aspect: "9:16")
        case "an image that is not one": return DialectBodies.gemini(image: ["bytesBase64Encoded": "aGVsbG8=", "mimeType": "image/png"])
        default: return DialectBodies.gemini()
        }
    }

    @Test("a text-only create needs no image; faces are taken (nothing Google publishes says Veo refuses an input face)")
    func textOnly() async throws {
        let sandbox = try Sandbox(.gemini)
        let body: [String: Any] = ["instances": [["prompt": "waves"]], "parameters": ["durationSeconds": 4]]
        #expect(try await sandbox.gemini("POST", Self.create, json: body).status == 200)
    }
}

/// The shared faults, in the Gemini API's shapes.
extension SandboxGeminiTests {
    @Test("rate-limit-create:1: 429 RESOURCE_EXHAUSTED with Retry-After: 1, nothing created; then 200")
    func rateLimit() async throws {
        let sandbox = try Sandbox(.gemini, .rateLimitCreate(1))
        let limited = try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini())
        #expect(limited.status == 429 && limited.headers["retry-after"] == "1" && limited.errorStatus == "RESOURCE_EXHAUSTED")
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
        #expect(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).status == 200)
    }

    @Test("error-status:1 answers one poll 500 INTERNAL; error-content:1 one download 503 UNAVAILABLE")
    func errors() async throws {
        let sandbox = try Sandbox(.gemini, .errorStatus(1), .errorContent(1))
        let name = try #require(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        let failed = try await sandbox.gemini("GET", "/" + name)
        #expect(failed.status == 500 && failed.errorStatus == "INTERNAL")
        let done = try await finished(sandbox, name)
        let uri = try #require(
            (((done["response"] as? [String: Any])?["generateVideoResponse"] as? [String: Any])?["generatedSamples"] as? [[String: Any]])?.first
                .flatMap { ($0["video"] as? [String: Any])?["uri"] as? String })
        let path = "/" + uri.split(separator: "/v1beta/", maxSplits: 1)[1]
        let unavailable = try await sandbox.gemini("GET", String(path))
        #expect(unavailable.status == 503 && unavailable.errorStatus == "UNAVAILABLE")
        #expect(try await sandbox.gemini("GET", String(path)).status == 200)
    }

    @Test("drop-create:1: the operation is made and the connection closes unanswered")
    func dropCreate() async throws {
        let sandbox = try Sandbox(.gemini, .dropCreate(1))
        let body = Array(try JSONSerialization.data(withJSONObject: DialectBodies.gemini()))
        func request() -> [UInt8] {
            let head = "POST /v1beta\(Self.create) HTTP/1.1\r\nHost: x\r\nx-goog-api-key: k\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
            return Array(head.utf8) + body
        }
        let dropped = try RawHTTP.bounded(request(), port: sandbox.port)
        #expect(dropped.received.isEmpty)
        let uploads = try await sandbox.uploads()
        #expect(uploads["jobs"] as? Int == 1 && uploads["creates"] as? Int == 1, "\(uploads)")
        #expect(RawHTTP.head(try RawHTTP.bounded(request(), port: sandbox.port).received).hasPrefix("HTTP/1.1 200"))
    }

    @Test(
        "fail-job:CODE ends the operation done with error {code, message, status}",
        arguments: [("RESOURCE_EXHAUSTED", 8, "RESOURCE_EXHAUSTED"), ("3", 3, "INVALID_ARGUMENT"), ("moderation_blocked", 13, "INTERNAL")])
    func failJob(code: String, number: Int, status: String) async throws {
        let sandbox = try Sandbox(.gemini, .failJob(code: code))
        let name = try #require(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        let done = try await finished(sandbox, name)
        let error = try #require(done["error"] as? [String: Any])
        #expect(error["code"] as? Int == number && error["status"] as? String == status && (error["message"] as? String)?.isEmpty == false)
        #expect(done["response"] == nil)
    }

    @Test("rai-filter: done, no generatedSamples, raiMediaFilteredCount and raiMediaFilteredReasons; no file to download")
    func raiFilter() async throws {
        let sandbox = try Sandbox(.gemini, .raiFilter)
        let name = try #require(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        let done = try await finished(sandbox, name)
        #expect(done["done"] as? Bool == true && done["error"] == nil)
        let response = try #require((done["response"] as? [String: Any])?["generateVideoResponse"] as? [String: Any])
        #expect(response["generatedSamples"] == nil)
        #expect(response["raiMediaFilteredCount"] as? Int == 1)
        #expect((response["raiMediaFilteredReasons"] as? [String])?.count == 1)
        let id = try #require(name.split(separator: "/").last)
        #expect(try await sandbox.gemini("GET", "/files/\(id):download?alt=media").status == 404)
    }

    @Test("redirect: API requests answer 307 to the same path at the origin given")
    func redirect() async throws {
        let sandbox = try Sandbox(.gemini, .redirect(origin: "http://localhost:9"))
        for (method, target) in [("POST", "/v1beta\(Self.create)"), ("GET", "/v1beta/models/veo-3.1-generate-preview/operations/abc"), ("GET", "/v1beta/files/abc:download?alt=media")] {
            let reply = try RawHTTP.bounded(RawHTTP.request(method, target, body: method == "POST" ? Array("{}".utf8) : []), port: sandbox.port)
            let head = RawHTTP.head(reply.received)
            #expect(head.hasPrefix("HTTP/1.1 307") && head.contains("\r\nLocation: http://localhost:9\(target)"), "\(head)")
        }
        #expect(try await sandbox.uploads()["creates"] as? Int == 1)
    }

    @Test("a chosen id that is not lowercase letters and digits still gives a downloadable file id of them")
    func chosenID() async throws {
        let sandbox = try Sandbox(.gemini, .chosenID("Op-1"))
        let name = try #require(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        #expect(name == "models/veo-3.1-generate-preview/operations/Op-1")
        let done = try await finished(sandbox, name)
        let uri = try #require(
            (((done["response"] as? [String: Any])?["generateVideoResponse"] as? [String: Any])?["generatedSamples"] as? [[String: Any]])?.first
                .flatMap { ($0["video"] as? [String: Any])?["uri"] as? String })
        let file = try #require(uri.firstMatch(of: /files\/([a-z0-9]+):download/)?.1)
        #expect(try await sandbox.gemini("GET", "/files/\(file):download?alt=media").status == 200)
    }

    @Test("control-chars: the operation name and the error message carry ESC and BEL; the video's file id stays lowercase letters and digits")
    func controlChars() async throws {
        let sandbox = try Sandbox(.gemini, .controlChars)
        let name = try #require(try await sandbox.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        #expect(name.contains("\u{1B}[31m") && name.hasSuffix("\u{07}"))
        let id = try #require(name.split(separator: "/").last.flatMap { String($0).addingPercentEncoding(withAllowedCharacters: .alphanumerics) })
        let done = try await sandbox.gemini("GET", "/models/veo-3.1-generate-preview/operations/\(id)").json()
        let uri = try #require(
            (((done["response"] as? [String: Any])?["generateVideoResponse"] as? [String: Any])?["generatedSamples"] as? [[String: Any]])?.first
                .flatMap { ($0["video"] as? [String: Any])?["uri"] as? String })
        let file = try #require(uri.firstMatch(of: /files\/([a-z0-9]+):download\?alt=media$/)?.1, "\(uri)")
        #expect(try await sandbox.gemini("GET", "/files/\(file):download?alt=media").status == 200)

        let failing = try Sandbox(.gemini, .controlChars, .failJob(code: "INTERNAL"))
        let other = try #require(try await failing.gemini("POST", Self.create, json: DialectBodies.gemini()).json()["name"] as? String)
        let otherID = try #require(other.split(separator: "/").last.flatMap { String($0).addingPercentEncoding(withAllowedCharacters: .alphanumerics) })
        let failed = try await failing.gemini("GET", "/models/veo-3.1-generate-preview/operations/\(otherID)").json()
        #expect(((failed["error"] as? [String: Any])?["message"] as? String)?.contains("\u{1B}[31m") == true, "\(failed)")
    }
}
