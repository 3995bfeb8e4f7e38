import Foundation
import SoraImgSandbox
import Testing

@Suite("Sandbox: jobs, listing, content")
struct SandboxJobTests {
    private func createJob(_ sandbox: Sandbox, prompt: String = "waves") async throws -> String {
        let reply = try await sandbox.create(json: ["prompt": prompt, "size": "1280x720"])
        #expect(reply.status == 200, "\(reply.text)")
        return try #require(try reply.json()["id"] as? String)
    }

    @Test("a job goes queued → in_progress with rising progress → completed, with poll hints")
    func lifecycle() async throws {
        // Long enough that a loaded machine still polls during in_progress.
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 2))
        let id = try await createJob(sandbox)
        var seen: [String] = []
        var progress: [Int] = []
        var final: [String: Any] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let reply = try await sandbox.send("GET", "/videos/\(id)")
            #expect(reply.status == 200)
            // A quarter of the job time.
            #expect(reply.headers["openai-poll-after-ms"] == "500")
            let video = try reply.json()
            let status = try #require(video["status"] as? String)
            if seen.last != status { seen.append(status) }
            if status == "in_progress", let value = video["progress"] as? Int { progress.append(value) }
            if status == "completed" {
                final = video
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(seen.last == "completed", "\(seen)")
        // The statuses come in order. Whether a poll lands inside in_progress depends on the
        // test runner's scheduling under load, so the phases themselves are checked against
        // the clock in SandboxJobTimingTests.
        let order = ["queued", "in_progress", "completed"]
        #expect(seen.allSatisfy(order.contains) && seen.map { order.firstIndex(of: $0)! } == seen.map { order.firstIndex(of: $0)! }.sorted(), "\(seen)")
        #expect(progress == progress.sorted() && progress.allSatisfy { (0...99).contains($0) }, "\(progress)")
        #expect(final["progress"] as? Int == 100)
        let completed = try #require(final["completed_at"] as? Int)
        #expect(final["expires_at"] as? Int == completed + 3600)
        #expect(final["error"] is NSNull)
    }

    @Test("--job-seconds 0 completes at the first poll")
    func instant() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0))
        let id = try await createJob(sandbox)
        let reply = try await sandbox.send("GET", "/videos/\(id)")
        #expect(try reply.json()["status"] as? String == "completed")
        #expect(reply.headers["openai-poll-after-ms"] == "100")
    }

    @Test("an unknown id is 404 video_not_found")
    func unknown() async throws {
        let sandbox = try Sandbox()
        let reply = try await sandbox.send("GET", "/videos/video_000000000000000000000000")
        #expect(reply.status == 404)
        #expect(reply.errorCode == "video_not_found")
        #expect(reply.errorParam == "video_id")
    }

    @Test("content: video (ftyp at offset 4), thumbnail (WebP), spritesheet (JPEG), with their types")
    func content() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0))
        let id = try await createJob(sandbox)
        let video = try await sandbox.send("GET", "/videos/\(id)/content")
        #expect(video.status == 200)
        #expect(video.headers["content-type"] == "video/mp4")
        #expect(video.headers["content-length"] == String(video.body.count))
        #expect(video.body.count > 1000 && video.body.count < 100_000)
        #expect(Array(video.body[4..<8]) == Array("ftyp".utf8))
        let thumbnail = try await sandbox.send("GET", "/videos/\(id)/content?variant=thumbnail")
        #expect(thumbnail.headers["content-type"] == "image/webp")
        #expect(Array(thumbnail.body.prefix(4)) == Array("RIFF".utf8) && Array(thumbnail.body[8..<12]) == Array("WEBP".utf8))
        let sprites = try await sandbox.send("GET", "/videos/\(id)/content?variant=spritesheet")
        #expect(sprites.headers["content-type"] == "image/jpeg")
        #expect(Array(sprites.body.prefix(3)) == [0xFF, 0xD8, 0xFF])
        // The served bytes are the committed fixtures.
        for (reply, name) in [(video, "video.mp4"), (thumbnail, "thumbnail.webp"), (sprites, "spritesheet.jpg")] {
            #expect(reply.body == (try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("sandbox/" + name)))), "\(name)")
        }
        let bad = try await sandbox.send("GET", "/videos/\(id)/content?variant=poster")
        #expect(bad.status == 400 && bad.errorParam == "variant")
    }

    @Test("content before completion is 404 video_not_ready")
    func contentNotReady() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 3600))
        let id = try await createJob(sandbox)
        let reply = try await sandbox.send("GET", "/videos/\(id)/content")
        #expect(reply.status == 404)
        #expect(reply.errorCode == "video_not_ready")
        #expect(reply.headers["content-type"] == "application/json")
    }

    @Test("list: newest first, limit, after, order=asc, has_more")
    func list() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0))
        var ids: [String] = []
        for index in 0..<3 { ids.append(try await createJob(sandbox, prompt: "job \(index)")) }
        let all = try await sandbox.send("GET", "/videos").json()
        #expect(all["object"] as? String == "list")
        #expect((all["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids.reversed())
        #expect(all["has_more"] as? Bool == false)
        let first = try await sandbox.send("GET", "/videos?limit=2").json()
        #expect((first["data"] as? [Any])?.count == 2)
        #expect(first["first_id"] as? String == ids[2] && first["last_id"] as? String == ids[1])
        #expect(first["has_more"] as? Bool == true)
        let next = try await sandbox.send("GET", "/videos?limit=2&after=\(ids[1])").json()
        #expect((next["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]])
        #expect(next["has_more"] as? Bool == false)
        let ascending = try await sandbox.send("GET", "/videos?order=asc&limit=1").json()
        #expect(ascending["first_id"] as? String == ids[0])
        #expect(try await sandbox.send("GET", "/videos?limit=101").status == 400)
        #expect(try await sandbox.send("GET", "/videos?order=sideways").status == 400)
    }

    @Test("delete answers video.deleted, then the job is gone")
    func delete() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0))
        let id = try await createJob(sandbox)
        let reply = try await sandbox.send("DELETE", "/videos/\(id)")
        #expect(reply.status == 200)
        let body = try reply.json()
        #expect(body["id"] as? String == id && body["object"] as? String == "video.deleted" && body["deleted"] as? Bool == true)
        #expect(try await sandbox.send("GET", "/videos/\(id)").status == 404)
        #expect(try await sandbox.send("DELETE", "/videos/\(id)").status == 404)
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
    }

    @Test("remix: a completed job gives a new queued job like it; an unfinished one is refused")
    func remix() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(jobSeconds: 0))
        let id = try await createJob(sandbox)
        let body = try JSONSerialization.data(withJSONObject: ["prompt": "now at night"])
        let reply = try await sandbox.send("POST", "/videos/\(id)/remix", body: body, contentType: "application/json")
        #expect(reply.status == 200, "\(reply.text)")
        let remix = try reply.json()
        #expect(remix["remixed_from_video_id"] as? String == id)
        #expect(remix["id"] as? String != id)
        #expect(remix["status"] as? String == "queued")
        #expect(remix["prompt"] as? String == "now at night")
        #expect(remix["size"] as? String == "1280x720" && remix["seconds"] as? String == "4" && remix["model"] as? String == "sora-2")
        #expect(try await sandbox.send("POST", "/videos/video_000000000000000000000000/remix", body: body, contentType: "application/json").status == 404)

        let slow = try Sandbox(SandboxConfiguration(jobSeconds: 3600))
        let running = try await createJob(slow)
        let refused = try await slow.send("POST", "/videos/\(running)/remix", body: body, contentType: "application/json")
        #expect(refused.status == 400)
        #expect(refused.errorMessage?.contains("completed") == true)
    }
}
