import Foundation
import Testing

@testable import SoraImg

/// What a newcomer meets first: hints that lead somewhere, exit codes that say the right
/// thing, suggestions for typos, and output streams a script can rely on. Every process is
/// started through `soraimg(...)`/`SandboxProcess.run`, whose runner kills it after a limit.
@Suite("a CLI a newcomer trusts (binary)")
struct NewcomerTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    /// The environment with no soraimg or OpenAI settings at all, the state folder in `folder`.
    private func cleanEnvironment(_ folder: TemporaryFolder) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_BASE_URL", "OPENAI_API_KEY", "SORAIMG_AUTH", "SORAIMG_HTTP_TIMEOUT", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"] {
            environment.removeValue(forKey: name)
        }
        environment["XDG_STATE_HOME"] = folder.file("state")
        return environment
    }

    // MARK: Hints

    @Test("wait on a job already downloaded exits 0 saying so; download fetches only the missing variants")
    func alreadyDownloaded() throws {
        let sandbox = try SandboxProcess()
        let made = try sandbox.run(["animate", photo, "--prompt", "waves", "--faces", "ignore"])
        #expect(made.status == 0, "\(made.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        let again = try sandbox.run(["wait", id])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdoutText.contains("already downloaded") && !again.stdoutText.contains("already made"), "\(again.stdoutText)")
        let variants = try sandbox.run(["download", id, "--variant", "video,thumbnail,spritesheet"])
        #expect(variants.status == 0, "\(variants.stderr)")
        #expect(variants.stdoutText.contains("video already downloaded"), "\(variants.stdoutText)")
        #expect(variants.stdoutText.contains("thumbnail → ./holiday.thumbnail.webp"), "\(variants.stdoutText)")
        #expect(FileManager.default.fileExists(atPath: sandbox.folder.file("holiday.spritesheet.jpg")))
    }

    @Test("download of a queued job says it is still queued and to use soraimg wait")
    func downloadQueued() throws {
        let sandbox = try SandboxProcess(jobSeconds: 60)
        let made = try sandbox.run(["animate", "--prompt", "a paper boat", "--no-wait"])
        let id = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.status == 0 && id.hasPrefix("video_"), "\(made.stderr)")
        let result = try sandbox.run(["download", id])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("still queued") && result.stderr.contains("soraimg wait \(id)"), "\(result.stderr)")
    }

    @Test("a base URL without /v1 is named as the likely cause, not 'no video with this id'")
    func baseURLWithoutVersion() throws {
        let sandbox = try SandboxProcess()
        let origin = String(sandbox.baseURL.dropLast(3))
        let result = try sandbox.run(["status", "video_123"], environment: ["OPENAI_BASE_URL": origin])
        #expect(result.status != 0)
        #expect(result.stderr.contains("lacks /v1") && !result.stderr.contains("no video with this id"), "\(result.stderr)")
    }

    @Test("a name that does not resolve at the default URL is blamed on DNS, not on the shutdown")
    func unresolvedDefault() throws {
        let folder = Paths.temporaryFolder()
        var environment = cleanEnvironment(folder)
        environment["OPENAI_API_KEY"] = "sk-test"
        // A proxy whose name cannot resolve (.invalid never does): the same failure as a
        // machine without DNS, wherever the test runs.
        environment["https_proxy"] = "http://no-such-proxy.invalid:3128"
        environment["HTTPS_PROXY"] = "http://no-such-proxy.invalid:3128"
        environment.removeValue(forKey: "no_proxy")
        environment.removeValue(forKey: "NO_PROXY")
        environment["SORAIMG_HTTP_TIMEOUT"] = "5s"
        let result = try soraimg(["status", "video_123"], in: folder.path, environment: environment)
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("Could not resolve"), "\(result.stderr)")
        #expect(result.stderr.contains("DNS") && !result.stderr.contains("shut down"), "\(result.stderr)")
    }

    @Test("status on an unreachable host does not claim the job goes on")
    func statusUnreachable() throws {
        let folder = Paths.temporaryFolder()
        var environment = cleanEnvironment(folder)
        environment["OPENAI_API_KEY"] = "sk-test"
        environment["OPENAI_BASE_URL"] = "http://127.0.0.1:1/v1"
        let result = try soraimg(["status", "video_123"], in: folder.path, environment: environment)
        #expect(result.status == 69, "\(result.stderr)")
        #expect(!result.stderr.contains("goes on at the service"), "\(result.stderr)")
    }

    @Test("Ctrl-C in a batch says that running the same command again finishes it", .hangGuard)
    func interruptedBatch() throws {
        let sandbox = try SandboxProcess(jobSeconds: 30)
        let photos = ["orientation/landscape-6.jpg", "orientation/portrait-3.jpg"].map(Paths.fixture)
        let (status, stderr, _) = try sandbox.interrupted(["animate"] + photos + ["--prompt", "batch", "-o", "videos/"]) { !sandbox.journal.jobs().isEmpty }
        #expect(status == 130, "\(stderr)")
        #expect(stderr.contains("run the same command again to finish the batch"), "\(stderr)")
    }

    // MARK: Exit codes and documents

    @Test("a malformed environment value is 64, one soraimg: line naming the variable", arguments: [
        ("SORAIMG_AUTH", "bogus"), ("SORAIMG_HTTP_TIMEOUT", "soon"), ("OPENAI_BASE_URL", "ftp://example.com"),
    ])
    func badEnvironment(name: String, value: String) throws {
        let folder = Paths.temporaryFolder()
        var environment = cleanEnvironment(folder)
        environment["OPENAI_API_KEY"] = "sk-test"
        environment[name] = value
        let result = try soraimg(["status", "video_123"], in: folder.path, environment: environment)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("soraimg: ") && result.stderr.contains(name), "\(result.stderr)")
        #expect(!result.stderr.contains("Error:") && !result.stderr.contains("<subcommand>"), "\(result.stderr)")
    }

    @Test("animate --dry-run --json is one document with every request and the total")
    func dryRunJSON() throws {
        let folder = Paths.temporaryFolder()
        let second = folder.copy(Paths.fixture("orientation/portrait-3.jpg"))
        let result = try soraimg(
            ["animate", photo, second, "--prompt", "waves", "--dry-run", "--json", "-o", "videos/", "--faces", "ignore"], in: folder.path,
            environment: cleanEnvironment(folder))
        #expect(result.status == 0, "\(result.stderr)")
        let document = try result.json()
        let requests = try #require(document["requests"] as? [[String: Any]])
        #expect(requests.count == 2)
        let first = requests[0]
        #expect(first["input"] as? String == photo && first["provider"] as? String == "openai" && first["model"] as? String == "sora-2")
        #expect(first["size"] as? String == "1280x720" && first["seconds"] as? String == "4")
        let image = try #require(first["image"] as? [String: Any])
        #expect(image["width"] as? Int == 1280 && image["height"] as? Int == 720 && image["format"] as? String == "jpeg" && (image["bytes"] as? Int ?? 0) > 0)
        #expect(first["estimated_usd"] as? Double == 0.4)
        #expect(document["estimated_usd"] as? Double == 0.8)

        let text = try soraimg(["animate", photo, second, "--prompt", "waves", "--dry-run", "-o", "videos/", "--faces", "ignore"], in: folder.path, environment: cleanEnvironment(folder))
        #expect(text.status == 0 && text.stdoutText.contains("total: 2 requests, estimated cost $0.80"), "\(text.stdoutText)")

        let unknown = try soraimg(["animate", "--prompt", "x", "--model", "veo-3", "--size", "1280x720", "--dry-run", "--json"], in: folder.path, environment: cleanEnvironment(folder))
        #expect(unknown.status == 0, "\(unknown.stderr)")
        let unpriced = try unknown.json()
        #expect(unpriced["estimated_usd"] is NSNull && (unpriced["requests"] as? [[String: Any]])?.first?["image"] is NSNull)
    }

    @Test("list --help promises only what list shows; list says downloaded PATH only for a downloaded video")
    func listHonest() throws {
        let help = try soraimg(["list", "--help"])
        #expect(help.stdoutText.contains("another base URL are not shown"), "\(help.stdoutText)")
        let sandbox = try SandboxProcess()
        #expect(try sandbox.run(["animate", photo, "--prompt", "waves", "--faces", "ignore"]).status == 0)
        #expect(try sandbox.run(["animate", "--prompt", "queued only", "--no-wait"]).status == 0)
        let list = try sandbox.run(["list"])
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdoutText.split(separator: "\n")
        #expect(lines.filter { $0.contains("downloaded ./holiday.mp4") }.count == 1, "\(list.stdoutText)")
        #expect(lines.filter { $0.contains("queued only") && !$0.contains("downloaded") }.count == 1, "\(list.stdoutText)")
    }

    @Test("--api-key-file says why: missing, a folder, empty")
    func keyFileReasons() throws {
        let folder = Paths.temporaryFolder()
        var environment = cleanEnvironment(folder)
        environment["OPENAI_BASE_URL"] = "http://127.0.0.1:1/v1"
        #expect(FileManager.default.createFile(atPath: folder.file("empty.txt"), contents: Data(), attributes: [.posixPermissions: 0o600]))
        try FileManager.default.createDirectory(atPath: folder.file("keys"), withIntermediateDirectories: true)
        let cases = [("nokey.txt", "does not exist"), ("keys", "is a folder"), ("empty.txt", "is empty")]
        for (file, reason) in cases {
            let result = try soraimg(["status", "video_1", "--api-key-file", file], in: folder.path, environment: environment)
            #expect(result.status == 64, "\(file): \(result.stderr)")
            #expect(result.stderr.contains(reason), "\(file): \(result.stderr)")
        }
    }

    // MARK: Did you mean

    @Test("a near-miss model is refused with a suggestion before anything is read; --size WxH lets any name through")
    func modelSuggestion() throws {
        let folder = Paths.temporaryFolder()
        for name in ["sora2", "Sora-2"] {
            // The photo does not exist: the model is refused before any file is read.
            let result = try soraimg(["prep", folder.file("missing.jpg"), "--model", name], in: folder.path)
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("unknown model '\(name)'; did you mean sora-2?"), "\(result.stderr)")
        }
        let animate = try soraimg(["animate", "--prompt", "x", "--model", "sora2"], in: folder.path, environment: cleanEnvironment(folder))
        #expect(animate.status == 64 && animate.stderr.contains("did you mean sora-2?"), "\(animate.stderr)")
        let through = try soraimg(["prep", photo, "--model", "sora2", "--size", "1280x720", "-o", folder.file("out.jpg"), "--faces", "ignore"])
        #expect(through.status == 0, "\(through.stderr)")
    }

    @Test("did you mean for --fit, --crop, --background and subcommands", arguments: [
        (["prep", "x.jpg", "--fit", "covr"], "did you mean cover?"),
        (["prep", "x.jpg", "--crop", "atention"], "did you mean attention?"),
        (["prep", "x.jpg", "--background", "blck"], "did you mean black?"),
        (["animte", "x.jpg"], "unknown command 'animte'; did you mean animate?"),
    ])
    func suggestions(arguments: [String], expected: String) throws {
        let result = try soraimg(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    // MARK: The sandbox story

    @Test("no key with a sandbox URL: the hint says the sandbox takes any key; the sandbox says so too", .hangGuard)
    func sandboxKey() throws {
        let sandbox = try SandboxProcess()
        var environment = sandbox.environment
        environment.removeValue(forKey: "OPENAI_API_KEY")
        let result = try soraimg(["status", "video_1"], in: sandbox.folder.path, environment: environment)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("takes any non-empty key") && result.stderr.contains("OPENAI_API_KEY=test"), "\(result.stderr)")
        #expect(!result.stderr.contains("try `soraimg sandbox`"), "\(result.stderr)")

        // The sandbox's own note, read from its standard error until the ready line's note.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["sandbox"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        defer {
            process.terminate()
            // Killed if SIGTERM is not enough, so this test cannot hang the suite.
            DispatchQueue.global().asyncAfter(deadline: .now() + 10) { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
        // Read on another thread: a sandbox that writes no note must fail this test, not hang it.
        let reader = errors.fileHandleForReading
        let collected = DispatchSemaphore(value: 0)
        let box = NoteBox()
        DispatchQueue.global().async {
            var note = Data()
            while !note.contains(0x0A) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                note.append(chunk)
            }
            box.set(note)
            collected.signal()
        }
        if collected.wait(timeout: .now() + 120) == .timedOut { kill(pid, SIGKILL) }
        let note = box.get()
        #expect(String(decoding: note, as: UTF8.self).contains("any non-empty key works"), "\(String(decoding: note, as: UTF8.self))")
    }

    @Test("--api-key is explained, never echoed")
    func apiKeyOption() throws {
        let result = try soraimg(["animate", "photo.jpg", "--prompt", "x", "--api-key", "sk-secret-123"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("ps") && result.stderr.contains("OPENAI_API_KEY") && result.stderr.contains("--api-key-file"), "\(result.stderr)")
        #expect(!result.stderr.contains("sk-secret-123") && !result.stderr.contains("Unknown option"))
    }

    // MARK: Usage errors

    @Test("a usage error found after parsing is one soraimg: line and the subcommand's usage")
    func usageAfterParsing() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", photo, "-o", "newdir"], in: folder.path)
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("soraimg: ") == true && lines.last?.contains("soraimg prep") == true, "\(result.stderr)")
        #expect(!result.stderr.contains("Error:") && !result.stderr.contains("<subcommand>"), "\(result.stderr)")
        // Both readings of a bare name are offered.
        #expect(result.stderr.contains("-o newdir/") && result.stderr.contains("--format jpeg"), "\(result.stderr)")
    }
}

/// The sandbox's note, handed from the reading thread to the test.
private final class NoteBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
