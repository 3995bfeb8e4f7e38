import Foundation
import Testing

@testable import SoraImg

/// Each provider's client and its sandbox dialect, through the binary, as a user runs them:
/// the two sides were written apart from each other from the providers' documents and SDKs,
/// so these runs are where a disagreement on the wire shows.
@Suite("providers end to end: the binary against each sandbox dialect", .hangGuard)
struct ProviderSandboxTests {
    static let providers = ["gemini", "openrouter", "xai", "fal", "replicate"]
    /// Providers that keep a job list: a create whose answer was lost is found there, not left
    /// unconfirmed (`droppedCreateFound`); the others cannot look it up (`droppedCreate`).
    static let listing = ["replicate"]
    /// Upright landscape after EXIF orientation 6: the sandbox must see the turned image.
    let photo = Paths.fixture("orientation/portrait-6.jpg")

    private func upload(_ sandbox: SandboxProcess) throws -> [String: Any] {
        try #require((sandbox.report()["uploads"] as? [[String: Any]])?.last)
    }

    /// The key reached neither output nor the journal.
    /// - Parameter journalled: the run reached the create, so the journal has lines to search.
    private func expectKeyKept(
        _ sandbox: SandboxProcess, _ results: CommandResult..., journalled: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for result in results {
            #expect(!result.stderr.contains(sandbox.key) && !result.stdoutText.contains(sandbox.key), sourceLocation: sourceLocation)
        }
        let journal = (try? String(contentsOfFile: sandbox.journal.path, encoding: .utf8)) ?? ""
        #expect(journal.isEmpty == !journalled && !journal.contains(sandbox.key), sourceLocation: sourceLocation)
    }

    @Test("a clean run: one create, the photo upright, exact and bare as the sandbox saw it, the MP4 in place", arguments: providers)
    func clean(provider: String) throws {
        let sandbox = try SandboxProcess(provider: provider)
        let result = try sandbox.run(["animate", photo, "--prompt", "waves roll in"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("portrait-6.mp4")))
        #expect(sandbox.createCount == 1 && sandbox.jobCount == 1)
        let upload = try upload(sandbox)
        // portrait-6 is stored landscape with orientation 6: upright it is portrait.
        #expect(upload["width"] as? Int == 720 && upload["height"] as? Int == 1280, "\(upload)")
        #expect(upload["content_type"] as? String == "image/jpeg")
        #expect((upload["metadata"] as? [String])?.isEmpty == true, "\(upload)")
        expectKeyKept(sandbox, result)
        // The same command again pays for nothing.
        let again = try sandbox.run(["animate", photo, "--prompt", "waves roll in"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(sandbox.createCount == 1)
    }

    @Test("429 with Retry-After on the create, then success: one job", arguments: providers)
    func rateLimited(provider: String) throws {
        let sandbox = try SandboxProcess(["--fault", "rate-limit-create:1"], provider: provider)
        let result = try sandbox.run(["animate", photo, "--prompt", "patience"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("429"), "\(result.stderr)")
        #expect(sandbox.jobCount == 1)
        #expect(isMP4(sandbox.folder.file("portrait-6.mp4")))
    }

    @Test("500 on two polls, then success", arguments: providers)
    func pollErrors(provider: String) throws {
        let sandbox = try SandboxProcess(["--fault", "error-status:2"], jobSeconds: 1, provider: provider)
        let result = try sandbox.run(["animate", photo, "--prompt", "steady"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(sandbox.createCount == 1)
        #expect(isMP4(sandbox.folder.file("portrait-6.mp4")))
    }

    @Test(
        "a create made but never answered: no second create, 75, unconfirmed in the journal until --resend-unconfirmed",
        arguments: providers.filter { !listing.contains($0) })
    func droppedCreate(provider: String) throws {
        let sandbox = try SandboxProcess(["--fault", "drop-create:1"], provider: provider)
        let arguments = ["animate", photo, "--prompt", "lost answer"]
        let first = try sandbox.run(arguments)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(sandbox.createCount == 1)
        #expect(!sandbox.journal.unconfirmedCreates().isEmpty)
        // A rerun does not guess: the provider keeps no job list to look the job up in.
        let rerun = try sandbox.run(arguments)
        #expect(rerun.status == 75, "\(rerun.stderr)")
        #expect(sandbox.createCount == 1)
        let resent = try sandbox.run(arguments + ["--resend-unconfirmed"])
        #expect(resent.status == 0, "\(resent.stderr)")
        #expect(sandbox.createCount == 2)
        #expect(isMP4(sandbox.folder.file("portrait-6.mp4")))
        expectKeyKept(sandbox, first, rerun, resent)
    }

    @Test("a create made but never answered, at a provider with a job list: found there, one job, the video in place", arguments: listing)
    func droppedCreateFound(provider: String) throws {
        let sandbox = try SandboxProcess(["--fault", "drop-create:1"], provider: provider)
        let result = try sandbox.run(["animate", photo, "--prompt", "lost answer"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(sandbox.createCount == 1 && sandbox.jobCount == 1)
        #expect(sandbox.journal.unconfirmedCreates().isEmpty)
        #expect(isMP4(sandbox.folder.file("portrait-6.mp4")))
        expectKeyKept(sandbox, result)
    }

    @Test("a failed job: exit 1, the provider's reason, no file", arguments: providers)
    func failedJob(provider: String) throws {
        let sandbox = try SandboxProcess(["--fault", "fail-job:moderation_blocked"], provider: provider)
        let result = try sandbox.run(["animate", photo, "--prompt", "refused"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.localizedCaseInsensitiveContains("moderation") || result.stderr.contains("failed"), "\(result.stderr)")
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") || $0.hasSuffix(".tmp") })
    }

    @Test("a redirect to another origin: the key is not sent there, and the run stops with the reason", arguments: providers)
    func redirectElsewhere(provider: String) throws {
        let elsewhere = try RecordingServer(content: [])
        let sandbox = try SandboxProcess(["--fault", "redirect:\(elsewhere.origin)"], provider: provider)
        let result = try sandbox.run(["animate", photo, "--prompt", "moved"])
        #expect(result.status != 0)
        for request in elsewhere.requests {
            #expect(!request.lowercased().contains(sandbox.key.lowercased()), "\(request)")
        }
        // fal's first request is the image's upload to its storage, a POST, which soraimg never
        // follows to another origin: the run stops before the paid submit, so nothing is
        // journalled and nothing reached the other origin at all.
        if provider == "fal" { #expect(elsewhere.requests.isEmpty && result.stderr.contains("another origin"), "\(result.stderr)") }
        expectKeyKept(sandbox, result, journalled: provider != "fal")
    }
}
