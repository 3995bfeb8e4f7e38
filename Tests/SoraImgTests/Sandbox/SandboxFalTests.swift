import Foundation
import SoraImgSandbox
import Testing

/// The fal dialect's wire, request by request: `Authorization: Key`, fal storage's signed
/// upload, the image fetched only from the sandbox's own storage and checked against the size
/// asked for, the queue's shapes, and cancel.
@Suite("Sandbox: the fal dialect", .hangGuard)
struct SandboxFalTests {
    private func fal(_ sandbox: Sandbox, _ method: String, _ path: String, key: String? = Sandbox.key, json: [String: Any]? = nil) async throws -> Reply {
        try await sandbox.send(
            method, path, key: nil, headers: key.map { ["Authorization": "Key \($0)"] } ?? [:],
            body: try json.map { try JSONSerialization.data(withJSONObject: $0) }, contentType: json == nil ? nil : "application/json")
    }

    /// Uploads `bytes` by initiate + signed PUT; returns the file's URL.
    private func upload(_ sandbox: Sandbox, _ bytes: [UInt8]) async throws -> String {
        let started = try await fal(sandbox, "POST", "/storage/upload/initiate?storage_type=fal-cdn-v3", json: ["content_type": "image/jpeg", "file_name": "frame.jpg"]).json()
        let put = try #require(started["upload_url"] as? String)
        let file = try #require(started["file_url"] as? String)
        // The signed URL is on the sandbox's origin: sent there, with no key.
        let path = String(put.dropFirst("http://127.0.0.1:\(sandbox.port)".count))
        let stored = try await sandbox.send("PUT", "/.." + path, key: nil, body: Data(bytes), contentType: "image/jpeg")
        #expect(stored.status == 200)
        return file
    }

    @Test("auth: a Bearer key or none is refused 401 with a detail; the storage initiate needs the key too; the report takes a Key")
    func auth() async throws {
        let sandbox = try Sandbox(.fal, key: "right-key")
        let none = try await fal(sandbox, "POST", "/fal-ai/veo3.1/image-to-video", key: nil, json: ["prompt": "x"])
        #expect(none.status == 401 && ((try? none.json())?["detail"] as? String) != nil, "\(none.text)")
        let bearer = try await sandbox.send("POST", "/fal-ai/veo3.1/image-to-video", key: "right-key", body: Data("{}".utf8), contentType: "application/json")
        #expect(bearer.status == 401)
        let wrong = try await fal(sandbox, "POST", "/storage/upload/initiate", key: "wrong-key", json: ["content_type": "image/jpeg"])
        #expect(wrong.status == 401 && !wrong.text.contains("wrong-key"))
        let report = try await sandbox.send("GET", "/sandbox/uploads", key: nil, headers: ["Authorization": "Key right-key"])
        #expect(report.status == 200)
    }

    @Test("submit: the image only from the sandbox's storage, exactly the size asked for; durations as the model spells them")
    func submit() async throws {
        let sandbox = try Sandbox(.fal, jobSeconds: 3600)
        let file = try await upload(sandbox, ReferenceImages.landscape)
        let model = "/fal-ai/veo3.1/image-to-video"
        let elsewhere = try await fal(sandbox, "POST", model, json: ["prompt": "x", "image_url": "https://example.com/a.jpg"])
        #expect(elsewhere.status == 422, "\(elsewhere.text)")
        let item = try #require(((try? elsewhere.json())?["detail"] as? [[String: Any]])?.first)
        #expect(item["type"] as? String == "file_download_error" && (item["loc"] as? [String]) == ["body", "image_url"])
        let portrait = try await fal(sandbox, "POST", model, json: ["prompt": "x", "image_url": file, "aspect_ratio": "9:16"])
        #expect(portrait.status == 422 && portrait.text.contains("image_size_mismatch"), "\(portrait.text)")
        let seconds = try await fal(sandbox, "POST", model, json: ["prompt": "x", "image_url": file, "duration": "8"])
        #expect(seconds.status == 422 && seconds.text.contains("literal_error"), "\(seconds.text)")
        let unknown = try await fal(sandbox, "POST", "/fal-ai/other/model", json: ["prompt": "x", "image_url": file])
        #expect(unknown.status == 404)
        let made = try await fal(sandbox, "POST", model, json: ["prompt": "x", "image_url": file, "duration": "6s", "resolution": "720p"])
        #expect(made.status == 200, "\(made.text)")
        let job = try made.json()
        let id = try #require(job["request_id"] as? String)
        let statusURL = try #require(job["status_url"] as? String)
        #expect(statusURL == "http://127.0.0.1:\(sandbox.port)/fal-ai/veo3.1/requests/\(id)/status")
        let status = try await fal(sandbox, "GET", "/fal-ai/veo3.1/requests/\(id)/status").json()
        #expect(status["status"] as? String == "IN_QUEUE" && status["queue_position"] as? Int == 0, "\(status)")
        let early = try await fal(sandbox, "GET", "/fal-ai/veo3.1/requests/\(id)")
        #expect(early.status == 400)
        let upload = try #require(((try? await sandbox.uploads())?["uploads"] as? [[String: Any]])?.first)
        #expect(upload["seconds"] as? String == "6" && upload["size"] as? String == "1280x720" && upload["upload_authorization"] as? Bool == false)
        // Cancel: requested, then the job is COMPLETED with an error, and a second cancel is refused.
        let cancel = try await fal(sandbox, "PUT", "/fal-ai/veo3.1/requests/\(id)/cancel")
        #expect(cancel.status == 202 && ((try? cancel.json())?["status"] as? String) == "CANCELLATION_REQUESTED")
        let after = try await fal(sandbox, "GET", "/fal-ai/veo3.1/requests/\(id)/status").json()
        #expect(after["status"] as? String == "COMPLETED" && after["error_type"] as? String == "request_cancelled" && after["logs"] != nil)
        let again = try await fal(sandbox, "PUT", "/fal-ai/veo3.1/requests/\(id)/cancel")
        #expect(again.status == 400 && ((try? again.json())?["status"] as? String) == "ALREADY_COMPLETED")
        let missing = try await fal(sandbox, "PUT", "/fal-ai/veo3.1/requests/nope/cancel")
        #expect(missing.status == 404 && ((try? missing.json())?["status"] as? String) == "NOT_FOUND")
    }

    @Test("a signed upload URL works once, and only with its signature")
    func signedOnce() async throws {
        let sandbox = try Sandbox(.fal)
        let started = try await fal(sandbox, "POST", "/storage/upload/initiate", json: ["content_type": "image/jpeg", "file_name": "../x"]).json()
        let put = try #require(started["upload_url"] as? String)
        #expect((started["file_url"] as? String)?.hasSuffix("/upload.bin") == true)
        let path = String(put.dropFirst("http://127.0.0.1:\(sandbox.port)".count))
        let first = try await sandbox.send("PUT", "/.." + path, key: nil, body: Data([1, 2, 3]), contentType: "image/jpeg")
        #expect(first.status == 200)
        let second = try await sandbox.send("PUT", "/.." + path, key: nil, body: Data([1, 2, 3]), contentType: "image/jpeg")
        #expect(second.status == 403)
    }
}
