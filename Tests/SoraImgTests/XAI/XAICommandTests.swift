import Foundation
import Testing

@testable import SoraImg

/// `--provider xai` through the binary against `soraimg sandbox --provider xai`: what only xAI
/// does (202 while pending, the video at a link of its own, durations 1 to 15, sizes that follow
/// the image), the commands it lacks, the model table and the dry run.
@Suite("xAI provider (binary against the sandbox)", .hangGuard)
struct XAICommandTests {
    private let photo = Paths.fixture("orientation/portrait-6.jpg")

    private func uploads(_ sandbox: SandboxProcess) throws -> [[String: Any]] {
        try #require(sandbox.report()["uploads"] as? [[String: Any]])
    }

    private func downloads(_ sandbox: SandboxProcess) throws -> [Bool?] {
        try #require(sandbox.report()["downloads"] as? [[String: Any]]).map { $0["with_key"] as? Bool }
    }

    @Test("a pending job (202) shows in progress with xAI's own word, and the run resumes to the video")
    func pending() throws {
        let sandbox = try SandboxProcess(jobSeconds: 3600, provider: "xai")
        let made = try sandbox.run(["animate", photo, "--prompt", "slowly", "--no-wait", "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        let status = try sandbox.run(["status", id, "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let json = try status.json()
        #expect(json["status"] as? String == "in_progress" && json["provider_status"] as? String == "pending", "\(status.stdoutText)")
        let list = try sandbox.run(["list", "--json"])
        #expect(list.status == 0 && list.stdoutText.contains(id), "\(list.stderr)")
    }

    @Test("the video's link at the base URL's origin gets the key; at another origin it is fetched without it")
    func linkOrigin() throws {
        let same = try SandboxProcess(provider: "xai")
        let here = try same.run(["animate", photo, "--prompt", "here"])
        #expect(here.status == 0, "\(here.stderr)")
        #expect(try downloads(same) == [true])

        // The API at localhost, the link the sandbox writes at 127.0.0.1: another origin.
        let other = try SandboxProcess(provider: "xai")
        let base = other.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        let elsewhere = try other.run(["animate", photo, "--prompt", "elsewhere"], environment: ["SORAIMG_BASE_URL": base])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(try downloads(other) == [false])
        #expect(isMP4(other.folder.file("portrait-6.mp4")))
    }

    @Test("a duration outside 1 to 15 is refused before anything is sent; 1 and 15 are sent as integers", arguments: ["0", "16", "8.5"])
    func durationRefused(seconds: String) throws {
        let sandbox = try SandboxProcess(provider: "xai")
        let result = try sandbox.run(["animate", photo, "--prompt", "too long", "--seconds", seconds])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(sandbox.createCount == 0)
        // A model soraimg has no table for is held to the same range.
        let unknown = try sandbox.run(["animate", photo, "--prompt", "too long", "--model", "grok-video-next", "--size", "1280x720", "--seconds", seconds])
        #expect(unknown.status == 64, "\(unknown.stderr)")
        #expect(sandbox.createCount == 0)
    }

    @Test("the ends of the range pass", arguments: ["1", "15"])
    func durationEnds(seconds: String) throws {
        let sandbox = try SandboxProcess(provider: "xai")
        let result = try sandbox.run(["animate", photo, "--prompt", "edge", "--seconds", seconds])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try uploads(sandbox).last?["seconds"] as? String == seconds)
    }

    @Test("a size that is not 16:9 is taken from 2:5 to 5:2 and 300 px a side: the sandbox sees that exact image", arguments: ["1000x1000", "600x1500", "1500x600", "300x300"])
    func sizeAccepted(size: String) throws {
        let sandbox = try SandboxProcess(provider: "xai")
        let result = try sandbox.run(["animate", photo, "--prompt", "square", "--size", size])
        #expect(result.status == 0, "\(result.stderr)")
        let upload = try #require(try uploads(sandbox).last)
        #expect("\(upload["width"] as? Int ?? 0)x\(upload["height"] as? Int ?? 0)" == size, "\(upload)")
    }

    @Test("a size outside 2:5 to 5:2 or under 300 px a side is refused before anything is sent", arguments: ["1600x600", "500x1400", "299x600", "1920x100"])
    func sizeRefused(size: String) throws {
        let sandbox = try SandboxProcess(provider: "xai")
        let result = try sandbox.run(["animate", photo, "--prompt", "too wide", "--size", size])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("2:5 to 5:2"), "\(result.stderr)")
        #expect(sandbox.createCount == 0)
    }

    @Test("delete, remix and thumbnails are refused (64) with nothing sent")
    func absentCommands() throws {
        let sandbox = try SandboxProcess(provider: "xai")
        let delete = try sandbox.run(["delete", "d97415a1"])
        #expect(delete.status == 64 && delete.stderr.contains("xai cannot delete"), "\(delete.stderr)")
        let remix = try sandbox.run(["remix", "d97415a1", "--prompt", "again"])
        #expect(remix.status == 64 && remix.stderr.contains("xai cannot remix"), "\(remix.stderr)")
        let thumbnail = try sandbox.run(["animate", photo, "--prompt", "x", "--variant", "video,thumbnail"])
        #expect(thumbnail.status == 64, "\(thumbnail.stderr)")
        #expect(sandbox.createCount == 0)
    }

    @Test("an expired job ends 66, with no file")
    func expired() throws {
        let sandbox = try SandboxProcess(["--fault", "expire"], provider: "xai")
        let result = try sandbox.run(["animate", photo, "--prompt", "late"])
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("expired"), "\(result.stderr)")
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") })
    }

    @Test("a video the moderation withheld (rai-filter) ends 1, saying so, with no file")
    func moderated() throws {
        let sandbox = try SandboxProcess(["--fault", "rai-filter"], provider: "xai")
        let result = try sandbox.run(["animate", photo, "--prompt", "withheld"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("moderation"), "\(result.stderr)")
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") })
    }

    @Test("models --provider xai: grok-imagine-video, 1 to 15 s (8), no price, assumed; a dry run estimates nothing and shows xAI's fields")
    func modelsAndDryRun() throws {
        let sandbox = try SandboxProcess(provider: "xai")
        let models = try sandbox.run(["models", "--provider", "xai", "--json"])
        #expect(models.status == 0, "\(models.stderr)")
        let entry = try #require((try models.json()["models"] as? [[String: Any]])?.first)
        #expect(entry["provider"] as? String == "xai" && entry["model"] as? String == "grok-imagine-video")
        #expect(entry["seconds"] as? [Int] == Array(1...15) && entry["default_seconds"] as? Int == 8, "\(entry)")
        #expect(entry["usd_per_second"] is NSNull && entry["assumed"] as? Bool == true, "\(entry)")
        let text = try sandbox.run(["models", "--provider", "xai"])
        #expect(text.status == 0 && text.stdoutText.contains("grok-imagine-video"), "\(text.stderr)")

        let dry = try sandbox.run(["animate", photo, "--prompt", "dry", "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let json = try dry.json()
        #expect(json["estimated_usd"] is NSNull, "\(dry.stdoutText)")
        let request = try #require((json["requests"] as? [[String: Any]])?.first)
        #expect(request["provider"] as? String == "xai" && request["model"] as? String == "grok-imagine-video")
        #expect(request["seconds"] as? String == "8" && request["size"] as? String == "720x1280", "\(request)")
        let human = try sandbox.run(["animate", photo, "--prompt", "dry", "--dry-run"])
        #expect(human.status == 0 && (human.stderr + human.stdoutText).contains("resolution"), "\(human.stderr)")
        #expect(sandbox.createCount == 0)
    }
}
