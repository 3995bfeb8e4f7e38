import Foundation
import Testing

@testable import SoraImg

/// The built binary with `--provider openrouter` against a server speaking OpenRouter's shapes:
/// one create per job, retries where they are safe, never a second create after a lost
/// answer, the provider's reason for a failed job, and the key only ever at the base URL.
@Suite("openrouter (binary against a scripted server)", .hangGuard)
struct OpenRouterCommandTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    @Test("a clean run: one create whose JSON carries the exact photo, one MP4, the cost reported")
    func cleanRun() throws {
        let fake = try FakeOpenRouter()
        let result = try fake.run(["animate", photo, "--prompt", "waves roll in", "--faces", "ignore", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fake.creates.count == 1)
        let output = fake.folder.file("holiday.mp4")
        #expect(FileManager.default.contents(atPath: output).map(Array.init) == FakeOpenRouter.video)

        let body = try #require(try fake.creates.first?.json())
        #expect(body["model"] as? String == "google/veo-3.1")
        #expect(body["prompt"] as? String == "waves roll in")
        #expect(body["duration"] as? Int == 8)
        #expect(body["resolution"] as? String == "720p" && body["aspect_ratio"] as? String == "16:9")
        let frames = try #require(body["frame_images"] as? [[String: Any]])
        #expect(frames.count == 1 && frames[0]["frame_type"] as? String == "first_frame" && frames[0]["type"] as? String == "image_url")
        let url = try #require((frames[0]["image_url"] as? [String: Any])?["url"] as? String)
        let prefix = "data:image/jpeg;base64,"
        #expect(url.hasPrefix(prefix))
        let image = try #require(Data(base64Encoded: String(url.dropFirst(prefix.count))).map(Array.init))
        let pixels = try Pixels(bytes: image)
        #expect(pixels.width == 1280 && pixels.height == 720)
        #expect(try MetadataCheck.libvipsFields(image) == [], "the uploaded photo carries no metadata")

        let paths = fake.server.requests.map { "\($0.method) \($0.target)" }
        #expect(paths.contains("GET /api/v1/videos/job-1") && paths.contains("GET /api/v1/videos/job-1/content?index=0"), "\(paths)")
        fake.expectKeyOnEveryRequest()

        let document = try result.json()
        let job = try #require((document["jobs"] as? [[String: Any]])?.first)
        #expect(job["id"] as? String == "job-1" && job["status"] as? String == "completed" && job["cost_usd"] as? Double == 4.0)
        #expect(fake.journal.jobs().map(\.id) == ["job-1"])

        let status = try fake.run(["status", "job-1", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let shown = try status.json()
        #expect(shown["status"] as? String == "completed" && shown["provider_status"] as? String == "completed" && shown["cost_usd"] as? Double == 4.0)
        let text = try fake.run(["status", "job-1"])
        #expect(text.stdoutText.contains("cost $4.0000"), "\(text.stdoutText)")

        // Run again: the journal knows the job and its file; nothing is paid for again.
        let again = try fake.run(["animate", photo, "--prompt", "waves roll in", "--faces", "ignore"])
        #expect(again.status == 0 && fake.creates.count == 1, "\(again.stderr)")

        let download = try fake.run(["download", "job-1", "-o", "again.mp4"])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(FileManager.default.contents(atPath: fake.folder.file("again.mp4")).map(Array.init) == FakeOpenRouter.video)
        let thumbnail = try fake.run(["download", "job-1", "--variant", "thumbnail"])
        #expect(thumbnail.status == 64, "\(thumbnail.stderr)")
    }

    @Test("a 429 with Retry-After is waited out and retried: one job")
    func rateLimited() throws {
        let fake = try FakeOpenRouter()
        fake.script.creates = [
            .json(429, #"{"error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}},"user_id":null}"#, headers: ["Retry-After": "1"])
        ]
        let result = try fake.run(["animate", photo, "--prompt", "later", "--faces", "ignore"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("HTTP 429; retrying in 1.0 s"), "\(result.stderr)")
        #expect(fake.creates.count == 2 && fake.script.made == 1)
        #expect(fake.journal.jobs().map(\.id) == ["job-1"])
        #expect(isMP4(fake.folder.file("holiday.mp4")))
    }

    @Test("500s on polls are retried; the job is followed to its video")
    func failingPolls() throws {
        let fake = try FakeOpenRouter()
        let failure = ScriptedServer.Reply.json(500, #"{"error":{"code":500,"message":"Internal Server Error"}}"#)
        fake.script.polls = [failure, failure]
        let result = try fake.run(["animate", photo, "--prompt", "steady", "--faces", "ignore"])
        #expect(result.status == 0, "\(result.stderr)")
        // Two refused polls, then in_progress, then completed.
        #expect(fake.server.requests.filter { $0.target == "/api/v1/videos/job-1" }.count == 4)
        #expect(fake.creates.count == 1)
        #expect(isMP4(fake.folder.file("holiday.mp4")))
    }

    @Test("a create whose connection closes after the body is never sent again without the user's word")
    func droppedCreate() throws {
        let fake = try FakeOpenRouter()
        fake.script.creates = [.drop]
        let arguments = ["animate", photo, "--prompt", "lost", "--faces", "ignore"]
        let first = try fake.run(arguments)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(fake.creates.count == 1)
        #expect(first.stderr.contains("--resend-unconfirmed"), "\(first.stderr)")
        #expect(fake.journal.unconfirmedCreates().count == 1 && fake.journal.jobs().isEmpty)
        let journal = try String(contentsOfFile: fake.journal.path, encoding: .utf8)
        #expect(journal.contains("\"create-unanswered\""), "\(journal)")
        #expect(!fake.folder.contents.contains { $0.hasSuffix(".mp4") })

        // A rerun stops too, still without sending.
        let rerun = try fake.run(arguments)
        #expect(rerun.status == 75 && fake.creates.count == 1, "\(rerun.stderr)")
        // The user checked: send it again.
        let resent = try fake.run(arguments + ["--resend-unconfirmed"])
        #expect(resent.status == 0, "\(resent.stderr)")
        #expect(fake.creates.count == 2 && fake.script.made == 1)
        #expect(isMP4(fake.folder.file("holiday.mp4")))
    }

    @Test("an id that is a path names a file inside the folder; one with escapes a hashed name; nothing unprintable shown")
    func hostileIDs() throws {
        let fake = try FakeOpenRouter()
        fake.script.ids = ["../../x/y", "job\\u001b[31m\\u0007red"]
        let first = try fake.run(["animate", "--prompt", "a path"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(fake.folder.contents == ["cache", "state", "y.mp4"] || fake.folder.contents == ["state", "y.mp4"], "\(fake.folder.contents)")
        let second = try fake.run(["animate", "--prompt", "escapes"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(fake.folder.contents.filter { $0.hasPrefix("video-") && $0.hasSuffix(".mp4") }.count == 1, "\(fake.folder.contents)")
        for result in [first, second] {
            let text = result.stderr + result.stdoutText
            #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }, "\(text.debugDescription)")
        }
        // Every request stayed under the API's path, the id one escaped segment.
        for request in fake.server.requests {
            #expect(request.path.hasPrefix("/api/v1/videos") && !request.path.contains("/../"), "\(request.target)")
        }
    }

    @Test("a 503 (no provider to route to) on create is retried; a 500 is not sent again, since routing may have begun")
    func serverErrorsOnCreate() throws {
        let fake = try FakeOpenRouter()
        fake.script.creates = [.json(503, #"{"error":{"code":503,"message":"No available model provider that meets your routing requirements"}}"#)]
        let retried = try fake.run(["animate", "--prompt", "routed later", "-o", "a.mp4"])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(fake.creates.count == 2 && fake.script.made == 1)

        fake.script.creates = [.json(500, #"{"error":{"code":500,"message":"Internal Server Error"}}"#)]
        let stopped = try fake.run(["animate", "--prompt", "maybe made", "-o", "b.mp4"])
        #expect(stopped.status == 75, "\(stopped.stderr)")
        #expect(fake.creates.count == 3 && fake.script.made == 1)
        #expect(fake.journal.unconfirmedCreates().count == 1)
    }

    @Test("a create accepted with an answer cut short is unconfirmed (75), never resent by itself")
    func unreadableCreate() throws {
        let fake = try FakeOpenRouter()
        fake.script.creates = [.json(202, #"{"id":"job-9","polling_url":"/api/v1/vid"#)]
        let result = try fake.run(["animate", "--prompt", "cut short"])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("--resend-unconfirmed") && !result.stderr.contains("soraimg list"), "\(result.stderr)")
        #expect(fake.creates.count == 1 && fake.journal.unconfirmedCreates().count == 1)
    }

    @Test("a failed job: exit 1, the provider's reason shown, no file")
    func failedJob() throws {
        let fake = try FakeOpenRouter()
        fake.script.finished = { #"{"id":"\#($0)","status":"failed","error":"Content policy violation"}"# }
        let result = try fake.run(["animate", photo, "--prompt", "refused", "--faces", "ignore"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("Content policy violation") && result.stderr.contains("job-1"), "\(result.stderr)")
        #expect(fake.folder.contents == ["state"], "\(fake.folder.contents)")
    }

    @Test("the key never goes to another origin: not to a foreign polling URL, not through a redirect of the download")
    func otherOrigin() throws {
        let elsewhere = try ScriptedServer(host: "localhost") { request in
            request.path.hasSuffix("/content")
                ? .answer(status: 200, headers: ["Content-Type": "video/mp4"], body: FakeOpenRouter.video)
                : .json(401, #"{"error":{"code":401,"message":"No auth credentials found"}}"#)
        }
        defer { elsewhere.stop() }
        let fake = try FakeOpenRouter()
        fake.script.pollingURL = { "\(elsewhere.origin)/api/v1/videos/\($0)" }
        fake.script.content = .answer(status: 302, headers: ["Location": "\(elsewhere.origin)/cdn/video/content"], body: [])
        let result = try fake.run(["animate", photo, "--prompt", "elsewhere", "--faces", "ignore"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(fake.folder.file("holiday.mp4")))
        // The download followed the redirect without the key; the polling URL was never asked.
        #expect(elsewhere.requests.map(\.path) == ["/cdn/video/content"])
        for request in elsewhere.requests {
            #expect(request.headers["authorization"] == nil && !request.raw.contains(fake.key), "\(request.raw)")
        }
        fake.expectKeyOnEveryRequest()
    }

    @Test("models --provider openrouter: the service's list, cached; prep sizes a listed model from the cache without the network")
    func models() throws {
        let fake = try FakeOpenRouter()
        let listed = try fake.run(["models", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let models = try #require(try listed.json()["models"] as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == ["google/veo-3.1", "google/veo-3.1-lite", "acme/text-only"])
        for model in models {
            #expect(Set(model.keys) == ["provider", "model", "sizes", "seconds", "default_seconds", "usd_per_second", "usd_per_second_by_size", "first_frame", "assumed", "source"])
            #expect(model["provider"] as? String == "openrouter")
        }
        let lite = try #require(models.first { $0["model"] as? String == "google/veo-3.1-lite" })
        #expect(lite["sizes"] as? [String] == ["1280x720", "720x1280", "1920x1080", "1080x1920"] && lite["assumed"] as? Bool == true)
        #expect(lite["seconds"] as? [Int] == [8, 4, 6] && lite["default_seconds"] as? Int == 8 && lite["first_frame"] as? Bool == true)
        #expect(lite["usd_per_second"] as? Double == 0.2 && (lite["usd_per_second_by_size"] as? [String: Double])?["1280x720"] == 0.2)
        #expect(models.first { $0["model"] as? String == "acme/text-only" }?["first_frame"] as? Bool == false)
        let cached = fake.folder.file("cache/soraimg")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: cached)) ?? []).contains { $0.hasPrefix("openrouter-models-") })

        // Within a day the list is read from the cache: the server is not asked again.
        let text = try fake.run(["models"])
        #expect(text.status == 0 && text.stdoutText.contains("photo as first frame: no"), "\(text.stdoutText)")
        #expect(fake.server.requests.filter { $0.path == "/api/v1/videos/models" }.count == 1)

        fake.server.stop()
        let prepared = try fake.run(["prep", photo, "--model", "google/veo-3.1-lite", "--faces", "ignore", "-o", "lite.jpg"])
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let pixels = try Pixels(file: fake.folder.file("lite.jpg"))
        #expect(pixels.width == 1280 && pixels.height == 720)
    }

    @Test("refused before anything is sent: a photo for a model without first frames, a variant OpenRouter does not serve")
    func refusals() throws {
        let fake = try FakeOpenRouter()
        let noFrame = try fake.run(["animate", photo, "--prompt", "p", "--model", "acme/text-only", "--faces", "ignore"])
        #expect(noFrame.status == 64, "\(noFrame.stderr)")
        #expect(noFrame.stderr.contains("acme/text-only") && noFrame.stderr.contains("first frame"), "\(noFrame.stderr)")
        let thumbnail = try fake.run(["animate", photo, "--prompt", "p", "--variant", "video,thumbnail", "--faces", "ignore"])
        #expect(thumbnail.status == 64, "\(thumbnail.stderr)")
        #expect(thumbnail.stderr.contains("thumbnail"), "\(thumbnail.stderr)")
        #expect(fake.creates.isEmpty)
        // A model no list names, with no size given: as for any model soraimg has no table for.
        let unknown = try fake.run(["prep", photo, "--model", "nobody/knows", "--faces", "ignore", "-o", "x.jpg"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--size WxH"), "\(unknown.stderr)")
        let sized = try fake.run(["prep", photo, "--model", "nobody/knows", "--size", "1000x700", "--faces", "ignore", "-o", "x.jpg"])
        #expect(sized.status == 0, "\(sized.stderr)")
    }

    @Test("a manifest line may name any model OpenRouter lists; the list is asked for once")
    func manifest() throws {
        let fake = try FakeOpenRouter()
        fake.folder.copy(photo)
        let lines = [
            #"{"image": "holiday.jpg", "prompt": "lite", "model": "google/veo-3.1-lite", "seconds": 4, "output": "lite.mp4"}"#,
            #"{"prompt": "text only", "output": "veo.mp4"}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: fake.folder.file("jobs.jsonl"), atomically: true, encoding: .utf8)
        let result = try fake.run(["animate", "--manifest", fake.folder.file("jobs.jsonl"), "--faces", "ignore"])
        #expect(result.status == 0, "\(result.stderr)")
        let bodies = try fake.creates.map { try $0.json() }
        #expect(Set(bodies.compactMap { $0["model"] as? String }) == ["google/veo-3.1-lite", "google/veo-3.1"])
        let lite = try #require(bodies.first { $0["model"] as? String == "google/veo-3.1-lite" })
        #expect(lite["duration"] as? Int == 4 && lite["resolution"] as? String == "720p" && lite["frame_images"] != nil)
        #expect(isMP4(fake.folder.file("lite.mp4")) && isMP4(fake.folder.file("veo.mp4")))
        #expect(fake.server.requests.filter { $0.path == "/api/v1/videos/models" }.count == 1)
    }

    @Test("a refused key names OPENROUTER_API_KEY; no credits say so")
    func refusedKey() throws {
        let fake = try FakeOpenRouter()
        fake.script.creates = [.json(401, #"{"error":{"code":401,"message":"User not found."}}"#)]
        let refused = try fake.run(["animate", "--prompt", "p"])
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("OPENROUTER_API_KEY"), "\(refused.stderr)")
        fake.script.creates = [.json(402, #"{"error":{"code":402,"message":"Insufficient credits"}}"#)]
        let poor = try fake.run(["animate", "--prompt", "p2"])
        #expect(poor.status == 77 && poor.stderr.contains("credits"), "\(poor.stderr)")
        #expect(fake.script.made == 0)
    }

    @Test("dry run: the provider and the estimate from the table or the service's prices")
    func dryRun() throws {
        let fake = try FakeOpenRouter()
        let veo = try fake.run(["animate", photo, "--prompt", "p", "--dry-run", "--json", "--faces", "ignore"])
        #expect(veo.status == 0, "\(veo.stderr)")
        let request = try #require((try veo.json()["requests"] as? [[String: Any]])?.first)
        #expect(request["provider"] as? String == "openrouter" && request["model"] as? String == "google/veo-3.1")
        #expect(request["seconds"] as? String == "8" && request["size"] as? String == "1280x720")
        #expect(request["estimated_usd"] as? Double == 4.0)
        let big = try fake.run(["animate", photo, "--prompt", "p", "--dry-run", "--json", "--size", "1920x1080", "--seconds", "4", "--faces", "ignore"])
        #expect(try big.json()["estimated_usd"] as? Double == 3.0, "\(big.stdoutText)")
        #expect(fake.server.requests.isEmpty, "a dry run sends nothing")

        _ = try fake.run(["models"])
        let lite = try fake.run(["animate", photo, "--prompt", "p", "--dry-run", "--json", "--model", "google/veo-3.1-lite", "--faces", "ignore"])
        #expect(lite.status == 0, "\(lite.stderr)")
        #expect(try lite.json()["estimated_usd"] as? Double == 1.6, "\(lite.stdoutText)")
    }
}
