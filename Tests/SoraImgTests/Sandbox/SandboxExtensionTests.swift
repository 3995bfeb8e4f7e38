import Foundation
import Testing

@testable import SoraImgSandbox

/// The sandbox's `POST /v1/videos/extensions` and `/v1/videos/edits`: what it refuses, and the
/// jobs it makes.
@Suite("Sandbox: extensions and edits", .hangGuard)
struct SandboxExtensionTests {
    private func post(_ sandbox: Sandbox, _ path: String, _ body: [String: Any]) async throws -> Reply {
        try await sandbox.send("POST", path, body: try JSONSerialization.data(withJSONObject: body), contentType: "application/json")
    }

    /// A completed 12-second video's id.
    private func source(_ sandbox: Sandbox) async throws -> String {
        let made = try await sandbox.create(json: ["prompt": "x", "size": "1280x720", "seconds": "12"])
        let id = try #require(try made.json()["id"] as? String, "\(made.text)")
        _ = try await sandbox.waitUntilFinished(id)
        return id
    }

    @Test("an extension: a new job on the source's model and size, its seconds the total; counted as a create")
    func extended() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0.1))
        let id = try await source(sandbox)
        let reply = try await post(sandbox, "/videos/extensions", ["video": ["id": id], "prompt": "more", "seconds": "20"])
        #expect(reply.status == 200, "\(reply.text)")
        let job = try reply.json()
        #expect(job["id"] as? String != id && job["seconds"] as? String == "32" && job["size"] as? String == "1280x720", "\(job)")
        #expect(job["status"] as? String == "queued")
        #expect(try await sandbox.uploads()["creates"] as? Int == 2)
    }

    @Test("refused: an unknown or unfinished source, seconds missing, outside 1 to 20, or past 120 in all; an uploaded video")
    func refusals() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0.1))
        let id = try await source(sandbox)
        let unknown = try await post(sandbox, "/videos/extensions", ["video": ["id": "video_nope"], "prompt": "x", "seconds": "4"])
        #expect(unknown.status == 404 && unknown.errorParam == "video", "\(unknown.text)")
        for seconds in ["0", "21", "eight"] {
            let reply = try await post(sandbox, "/videos/extensions", ["video": ["id": id], "prompt": "x", "seconds": seconds])
            #expect(reply.status == 400 && reply.errorParam == "seconds", "\(seconds): \(reply.text)")
        }
        let missing = try await post(sandbox, "/videos/extensions", ["video": ["id": id], "prompt": "x"])
        #expect(missing.status == 400 && missing.errorCode == "missing_required_parameter", "\(missing.text)")
        let noPrompt = try await post(sandbox, "/videos/edits", ["video": ["id": id]])
        #expect(noPrompt.status == 400 && noPrompt.errorParam == "prompt", "\(noPrompt.text)")
        // 12 + 5 x 20 = 112; 20 more would be 132.
        var current = id
        for _ in 0..<5 {
            let step = try await post(sandbox, "/videos/extensions", ["video": ["id": current], "prompt": "x", "seconds": "20"])
            current = try #require(try step.json()["id"] as? String, "\(step.text)")
            // Still running: not extendable yet.
            let early = try await post(sandbox, "/videos/extensions", ["video": ["id": current], "prompt": "x", "seconds": "4"])
            #expect(early.status == 400 && early.errorCode == "invalid_video_status", "\(early.text)")
            _ = try await sandbox.waitUntilFinished(current)
        }
        let past = try await post(sandbox, "/videos/extensions", ["video": ["id": current], "prompt": "x", "seconds": "20"])
        #expect(past.status == 400 && past.errorMessage?.contains("120") == true, "\(past.text)")
        // The sixth extension is allowed (8 more makes 120); a seventh is not, however short.
        let sixth = try await post(sandbox, "/videos/extensions", ["video": ["id": current], "prompt": "x", "seconds": "8"])
        let last = try #require(try sixth.json()["id"] as? String, "\(sixth.text)")
        #expect(try sixth.json()["seconds"] as? String == "120")
        _ = try await sandbox.waitUntilFinished(last)
        let seventh = try await post(sandbox, "/videos/extensions", ["video": ["id": last], "prompt": "x", "seconds": "1"])
        #expect(seventh.status == 400 && seventh.errorCode == "extension_limit_reached", "\(seventh.text)")
        var form = MultipartForm()
        form.field("prompt", "x")
        form.file("video", filename: "clip.mp4", contentType: "video/mp4", bytes: [0, 0, 0, 0])
        let uploaded = try await sandbox.send("POST", "/videos/edits", body: form.data, contentType: form.contentType)
        #expect(uploaded.status == 400 && uploaded.errorParam == "video", "\(uploaded.text)")
    }

    @Test("an edit: a new job like the source")
    func edit() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0.1))
        let id = try await source(sandbox)
        let reply = try await post(sandbox, "/videos/edits", ["video": ["id": id], "prompt": "in watercolour"])
        #expect(reply.status == 200, "\(reply.text)")
        let job = try reply.json()
        #expect(job["id"] as? String != id && job["seconds"] as? String == "12" && job["prompt"] as? String == "in watercolour", "\(job)")
    }
}
