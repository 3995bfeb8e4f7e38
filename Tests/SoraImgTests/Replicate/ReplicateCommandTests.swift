import Foundation
import Testing

@testable import SoraImg

/// The binary against the replicate sandbox, for what only Replicate has: the upload of a
/// large image through /files, outputs on a host that must not get the key, cancel, and
/// predictions that end aborted.
@Suite("replicate through the binary", .hangGuard)
struct ReplicateCommandTests {
    let photo = Paths.fixture("orientation/portrait-6.jpg")

    @Test("an image over 256,000 bytes goes through POST /files and the create names its URL; the output host gets no key")
    func largeImage() throws {
        let sandbox = try SandboxProcess(provider: "replicate")
        // 1920x1080 at quality 100 prepares to well over 256,000 bytes.
        let result = try sandbox.run(["animate", photo, "--prompt", "wide", "--size", "1920x1080", "--quality", "100", "-o", "wide.mp4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("wide.mp4")))
        let report = try sandbox.report()
        let upload = try #require((report["uploads"] as? [[String: Any]])?.last)
        #expect(report["files"] as? Int == 1 && upload["filename"] as? String == "reference.jpg", "\(report)")
        #expect(upload["width"] as? Int == 1920 && upload["height"] as? Int == 1080 && (upload["bytes"] as? Int ?? 0) > ReplicateDialect.inlineLimit)
        let downloads = report["downloads"] as? [[String: Any]] ?? []
        #expect(downloads.count == 1 && downloads.allSatisfy { $0["with_key"] as? Bool == false }, "\(report)")
    }

    @Test("a small image goes inline: no file uploaded, and the output at a host other than replicate.delivery gets no key")
    func smallImage() throws {
        let sandbox = try SandboxProcess(provider: "replicate")
        let result = try sandbox.run(["animate", photo, "--prompt", "small"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try sandbox.report()
        let downloads = report["downloads"] as? [[String: Any]] ?? []
        #expect(report["files"] as? Int == 0 && downloads.count == 1 && downloads.allSatisfy { $0["with_key"] as? Bool == false }, "\(report)")
        #expect((report["uploads"] as? [[String: Any]])?.last?["filename"] is NSNull)
    }

    @Test("cancel ID stops a running prediction: cancelled, canceled as the service says; a provider without cancel says so with 64")
    func cancel() throws {
        let sandbox = try SandboxProcess(jobSeconds: 60, provider: "replicate")
        let created = try sandbox.run(["animate", photo, "--prompt", "stop me", "--no-wait"])
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!id.isEmpty)
        let cancelled = try sandbox.run(["cancel", id])
        #expect(cancelled.status == 0 && cancelled.stdoutText == "\(id): cancelled\n", "\(cancelled.stderr)")
        let status = try sandbox.run(["status", id, "--json"]).json()
        #expect(status["status"] as? String == "cancelled" && status["provider_status"] as? String == "canceled", "\(status)")
        let elsewhere = try sandbox.run(["cancel", id, "--provider", "gemini"], environment: ["GEMINI_API_KEY": "test"])
        #expect(elsewhere.status == 64 && elsewhere.stderr.contains("gemini cannot cancel a job"), "\(elsewhere.stderr)")
    }

    @Test("a prediction that ends aborted (its deadline passed before it started) is expired: exit 1, no file")
    func aborted() throws {
        let sandbox = try SandboxProcess(["--fault", "expire"], provider: "replicate")
        let result = try sandbox.run(["animate", photo, "--prompt", "too late"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("aborted") && result.stderr.contains("deadline"), "\(result.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        let status = try sandbox.run(["status", id, "--json"]).json()
        #expect(status["status"] as? String == "expired" && status["provider_status"] as? String == "aborted", "\(status)")
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") })
    }

    @Test("an unanswered create is not matched to another client's older twin in the list, nor to a prediction of another prompt")
    func reconcileStrictly() throws {
        let sandbox = try SandboxProcess(["--fault", "drop-create:1", "--fault", "foreign-job"], provider: "replicate")
        let result = try sandbox.run(["animate", photo, "--prompt", "lost answer"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(sandbox.createCount == 1)
        let report = try sandbox.report()
        let made = try #require((report["uploads"] as? [[String: Any]])?.first?["video_id"] as? String)
        #expect(sandbox.journal.jobs().map(\.id) == [made])

        let echoed = try SandboxProcess(["--fault", "drop-create:1", "--fault", "echo-prompt:someone else's"], provider: "replicate")
        let unmatched = try echoed.run(["animate", photo, "--prompt", "lost answer"])
        // Nothing in the list is this request (every prediction there reports another prompt):
        // the lost create is taken as having made nothing and sent once more, as the engine
        // does for every provider with a list.
        #expect(unmatched.status == 0 && echoed.createCount == 2, "\(unmatched.stderr)")
    }

    @Test("--size outside 300 px a side or 2:5 to 5:2 is refused before anything is sent")
    func sizeRule() throws {
        let sandbox = try SandboxProcess(provider: "replicate")
        for size in ["299x600", "1000x300"] {
            let result = try sandbox.run(["animate", photo, "--prompt", "x", "--size", size])
            #expect(result.status == 64 && result.stderr.contains("aspect 2:5 to 5:2"), "\(result.stderr)")
        }
        #expect(sandbox.createCount == 0)
        let dry = try sandbox.run(["animate", photo, "--prompt", "x", "--size", "750x300", "--dry-run", "--json"]).json()
        let request = try #require((dry["requests"] as? [[String: Any]])?.first)
        #expect(request["size"] as? String == "750x300" && request["estimated_usd"] is NSNull && dry["estimated_usd"] is NSNull, "\(dry)")
    }

    @Test("models --provider replicate lists Kling with the image-following sizes, assumed")
    func models() throws {
        let result = try soraimg(["models", "--provider", "replicate", "--json"], timeLimit: 60)
        let models = try #require(try result.json()["models"] as? [[String: Any]])
        #expect(models.count == 1)
        #expect(models[0]["model"] as? String == "kwaivgi/kling-v2.5-turbo-pro" && models[0]["seconds"] as? [Int] == [5, 10])
        #expect(models[0]["default_seconds"] as? Int == 5 && models[0]["assumed"] as? Bool == true && models[0]["usd_per_second"] is NSNull)
        let text = try soraimg(["models", "--provider", "replicate"], timeLimit: 60)
        #expect(text.stdoutText.contains("from 300 px a side, aspect 2:5 to 5:2"))
    }
}
