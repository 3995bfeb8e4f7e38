import Foundation
import Synchronization
import Testing

@testable import SoraImg

/// The job engine through the built binary, against the sandbox: refusing before paying, one
/// job for two runs at once, a journal cut short by a full disk, secrets in the environment,
/// and as many jobs running as `--max-running` asks, whatever the number of cores.
@Suite("job engine (binary against the sandbox)")
struct EngineCommandTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    @Test("two photos that would write one video are refused before anything is paid for", .hangGuard)
    func sameOutput() throws {
        let sandbox = try SandboxProcess()
        let jpeg = sandbox.folder.copy(photo, as: "a.jpg")
        let png = sandbox.folder.file("a.png")
        let converted = try soraimg(["prep", photo, "-o", png, "--faces", "ignore"])
        #expect(converted.status == 0, "\(converted.stderr)")
        let result = try sandbox.run(["animate", jpeg, png, "--prompt", "twins"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("a.mp4") && result.stderr.contains("a.jpg") && result.stderr.contains("a.png"), "\(result.stderr)")
        #expect(sandbox.createCount == 0 && sandbox.jobCount == 0)

        // --force does not change that: the first video would be overwritten by the second.
        let forced = try sandbox.run(["animate", jpeg, png, "--prompt", "twins", "--force"])
        #expect(forced.status == 64 && sandbox.createCount == 0, "\(forced.stderr)")

        // An output that is one of the inputs is refused too, with or without --force.
        let onto = try sandbox.run(["animate", jpeg, "--prompt", "self", "-o", jpeg, "--force"])
        #expect(onto.status == 64 && sandbox.createCount == 0, "\(onto.stderr)")
        #expect(FileManager.default.contents(atPath: jpeg) == FileManager.default.contents(atPath: photo))
    }

    @Test("an existing video is refused (73) before any job is created", .hangGuard)
    func existingOutput() throws {
        let sandbox = try SandboxProcess()
        #expect(FileManager.default.createFile(atPath: sandbox.folder.file("holiday.mp4"), contents: Data("mine".utf8)))
        let result = try sandbox.run(["animate", photo, "--prompt", "exists"])
        #expect(result.status == 73, "\(result.stderr)")
        #expect(sandbox.createCount == 0)
        #expect(FileManager.default.contents(atPath: sandbox.folder.file("holiday.mp4")) == Data("mine".utf8))
    }

    @Test("a second copy downloaded elsewhere does not make the first a stranger's file: the same animate again pays nothing and exits 0", .hangGuard)
    func secondCopy() throws {
        let sandbox = try SandboxProcess()
        let arguments = ["animate", photo, "--prompt", "two copies", "--faces", "ignore"]
        #expect(try sandbox.run(arguments).status == 0)
        let id = try #require(sandbox.journal.jobs().first?.id)
        let copy = try sandbox.run(["download", id, "-o", "copy.mp4"])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(isMP4(sandbox.folder.file("copy.mp4")))
        let again = try sandbox.run(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdoutText.contains("holiday.mp4") && !again.stdoutText.contains("copy.mp4"), "\(again.stdoutText)")
        #expect(sandbox.createCount == 1)
    }

    @Test("the same command run twice at once makes one job: the second waits for the first's and downloads it", .hangGuard)
    func twoAtOnce() throws {
        let sandbox = try SandboxProcess(["--fault", "slow:300"], jobSeconds: 1)
        let arguments = ["animate", photo, "--prompt", "twice at once", "--faces", "ignore"]
        let environment = sandbox.environment
        let folder = sandbox.folder.path
        let results = Mutex<[CommandResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let result = try? soraimg(arguments, in: folder, environment: environment) { results.withLock { $0.append(result) } }
        }
        let both = results.withLock { $0 }
        #expect(both.count == 2)
        #expect(both.allSatisfy { $0.status == 0 }, "\(both.map(\.stderr))")
        #expect(sandbox.createCount == 1 && sandbox.jobCount == 1, "\(both.map(\.stderr))")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(sandbox.journal.jobs().count == 1)
    }

    @Test("a journal line cut short by a full disk never makes a rerun pay again, and the error says what happened", .hangGuard)
    func fullDisk() throws {
        let sandbox = try SandboxProcess()
        let arguments = ["animate", photo, "--prompt", "full disk", "--faces", "ignore"]
        // Room for the create's record, not for the job's: the disk fills between the two.
        let limit = 900
        var environment = sandbox.environment
        environment["SORAIMG_HTTP_TIMEOUT"] = "5s"
        let first = try runProcess("/usr/bin/prlimit", ["--fsize=\(limit)", Paths.binary] + arguments, in: sandbox.folder.path, environment: environment)
        #expect(first.status == 73, "\(first.stderr)")
        #expect(first.stderr.contains("File too large") || first.stderr.contains("disk full"), "\(first.stderr)")
        #expect(sandbox.jobCount == 1)
        let ids = try sandbox.report()["uploads"] as? [[String: Any]]
        let id = try #require(ids?.first?["video_id"] as? String)
        #expect(first.stderr.contains(id), "the job's id is shown: \(first.stderr)")
        let text = try String(contentsOfFile: sandbox.journal.path, encoding: .utf8)
        #expect(text.hasSuffix("\n") && text.contains("create-sent") && !text.contains(id), "\(text)")

        let second = try sandbox.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(sandbox.createCount == 1 && sandbox.jobCount == 1)
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(sandbox.journal.jobs().map(\.id) == [id])
    }

    @Test("a torn last line in the journal is ignored and reported, never fatal", .hangGuard)
    func tornLine() throws {
        let sandbox = try SandboxProcess()
        let arguments = ["animate", photo, "--prompt", "torn", "--faces", "ignore"]
        #expect(try sandbox.run(arguments + ["--no-wait"]).status == 0)
        // Cut the last line (the job's latest record) in half, as a crash mid-write would.
        var text = try String(contentsOfFile: sandbox.journal.path, encoding: .utf8)
        text.removeLast(text.split(separator: "\n").last!.count / 2 + 1)
        try text.write(toFile: sandbox.journal.path, atomically: true, encoding: .utf8)
        let second = try sandbox.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("its last line is unfinished"), "\(second.stderr)")
        #expect(sandbox.createCount == 1)
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
    }

    @Test("--max-running 4 runs four jobs at once on two cores", .hangGuard)
    func fourAtOnce() throws {
        let sandbox = try SandboxProcess(jobSeconds: 4)
        let photos = (0..<4).map { sandbox.folder.copy(photo, as: "p\($0).jpg") }
        let result = try sandbox.run(["animate"] + photos + ["--prompt", "four", "--faces", "ignore", "--max-running", "4", "-o", "videos/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(sandbox.jobCount == 4)
        // Four jobs were made and not yet downloaded at one moment: all four ran at once.
        // With two at a time, the third create would wait for a download.
        #expect(try mostRunningAtOnce(sandbox.journal.path, pid: result.pid) == 4)
    }

    @Test("a password in the base URL and a line break in an organization id", .hangGuard)
    func environmentSecrets() throws {
        let sandbox = try SandboxProcess()
        let withPassword = sandbox.baseURL.replacingOccurrences(of: "http://", with: "http://alice:hunter2secret@")
        let result = try sandbox.run(["animate", photo, "--prompt", "secret", "--faces", "ignore"], environment: ["OPENAI_BASE_URL": withPassword])
        #expect(result.status == 0, "\(result.stderr)")
        let journal = try String(contentsOfFile: sandbox.journal.path, encoding: .utf8)
        #expect(!journal.contains("hunter2secret") && !result.stderr.contains("hunter2secret") && !result.stdoutText.contains("hunter2secret"))
        let missing = try sandbox.run(["status", "video_nope"], environment: ["OPENAI_BASE_URL": withPassword])
        #expect(missing.status == 66 && !missing.stderr.contains("hunter2secret"), "\(missing.stderr)")

        let injected = try sandbox.run(["status", "video_nope"], environment: ["OPENAI_ORG_ID": "org-1\r\nX-Injected: yes"])
        #expect(injected.status == 64, "\(injected.stderr)")
        #expect(injected.stderr.contains("OPENAI_ORG_ID"), "\(injected.stderr)")
    }

    @Test("remix goes through the engine: a rate limit is retried, and the same remix twice is one job", .hangGuard)
    func remix() throws {
        // One job at a time may run; a job takes 2 s.
        let sandbox = try SandboxProcess(["--fault", "running-limit:1"], jobSeconds: 2)
        let limited = sandbox
        let made = try sandbox.run(["animate", "--prompt", "a boat", "--no-wait"])

        let source = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.status == 0 && source.hasPrefix("video_"), "\(made.stderr)")
        #expect(try sandbox.run(["wait", source, "--no-download"]).status == 0)
        let first = try sandbox.run(["remix", source, "--prompt", "at night", "--no-wait"])
        #expect(first.status == 0, "\(first.stderr)")
        let remixID = first.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let second = try sandbox.run(["remix", source, "--prompt", "at night", "-o", "night.mp4"])
        #expect(second.status == 0 && second.stderr.contains("resuming \(remixID)"), "\(second.stderr)")
        #expect(isMP4(sandbox.folder.file("night.mp4")))
        #expect(sandbox.jobCount == 2)

        // A 429 on the remix (too many jobs running) is retried until a slot frees.
        let busy = try limited.run(["animate", "--prompt", "a busy day", "--no-wait"])
        #expect(busy.status == 0, "\(busy.stderr)")
        let retried = try limited.run(["remix", source, "--prompt", "at dawn", "-o", "dawn.mp4"])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(retried.stderr.contains("HTTP 429; retrying in"), "\(retried.stderr)")
        #expect(isMP4(limited.folder.file("dawn.mp4")))
        #expect(sandbox.jobCount == 4)
    }
}

extension EngineCommandTests {
    @Test("status polls and the download reuse one kept-alive connection; the create gets its own", .hangGuard)
    func connectionReuse() throws {
        let sandbox = try SandboxProcess(jobSeconds: 2)
        let result = try sandbox.run(["animate", photo, "--prompt", "reuse", "--faces", "ignore"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try sandbox.report()
        let requests = try #require(report["requests"] as? Int)
        let connections = try #require(report["connections"] as? Int)
        // A create never goes on a reused connection: libcurl would silently resend it if the
        // connection turned out dead, which for a create is a second billed job.
        #expect(requests >= 3 && connections == 2, "\(requests) requests over \(connections) connections")
        print("measured: connection reuse: \(requests) requests over \(connections) connections")
    }
}

extension EngineCommandTests {
    @Test("a manifest: every bad line is reported with its number before anything is sent", .hangGuard)
    func manifestBadLines() throws {
        let sandbox = try SandboxProcess()
        _ = sandbox.folder.copy(photo, as: "a.jpg")
        let manifest = sandbox.folder.file("jobs.jsonl")
        try """
            {"image": "a.jpg", "prompt": "fine"}
            {"image": "a.jpg", "prompt": "typo", "secnds": "8"}
            # a comment, and a blank line next

            {"image": "a.jpg"}
            {"image": "missing.jpg", "prompt": "gone"}
            {"prompt": "too long", "seconds": "7"}
            not json
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["animate", "--manifest", manifest])
        #expect(result.status == 64, "\(result.stderr)")
        for line in [2, 5, 6, 7, 8] { #expect(result.stderr.contains("jobs.jsonl:\(line):"), "line \(line): \(result.stderr)") }
        #expect(!result.stderr.contains("jobs.jsonl:1:"), "\(result.stderr)")
        #expect(result.stderr.contains("secnds") && result.stderr.contains("nothing was sent"), "\(result.stderr)")
        #expect(sandbox.createCount == 0)
    }

    @Test("a manifest runs through the engine: each line its own settings, and a rerun pays for nothing", .hangGuard)
    func manifestRuns() throws {
        let sandbox = try SandboxProcess()
        let folder = sandbox.folder.file("batch")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try FileManager.default.copyItem(atPath: photo, toPath: folder + "/a.jpg")
        _ = try FileManager.default.copyItem(atPath: Paths.fixture("orientation/portrait-3.jpg"), toPath: folder + "/b.jpg")
        let manifest = folder + "/jobs.jsonl"
        try """
            {"image": "a.jpg", "prompt": "waves", "seconds": 8, "output": "out/a.mp4"}
            {"image": "b.jpg", "prompt": "leaves", "model": "sora-2-pro", "size": "max", "output": "out/"}
            {"prompt": "a paper boat", "output": "out/boat.mp4", "provider": "openai"}
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        let arguments = ["animate", "--manifest", manifest, "--faces", "ignore", "--json"]
        let result = try sandbox.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(TemporaryFolderContents(folder + "/out") == ["a.mp4", "b.mp4", "boat.mp4"])
        let uploads = try #require(try sandbox.report()["uploads"] as? [[String: Any]])
        let byPrompt = Dictionary(uploads.map { (($0["prompt"] as? String) ?? "", $0) }) { a, _ in a }
        #expect(byPrompt["waves"]?["seconds"] as? String == "8")
        #expect(byPrompt["leaves"]?["model"] as? String == "sora-2-pro" && byPrompt["leaves"]?["size"] as? String == "1080x1920")
        #expect(sandbox.jobCount == 3)

        let again = try sandbox.run(arguments.filter { $0 != "--json" })
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdoutText.components(separatedBy: "already made by").count - 1 == 3, "\(again.stderr)")
        #expect(sandbox.createCount == 3)

        // Another provider's line is refused: one manifest per provider.
        try #"{"prompt": "x", "provider": "gemini"}"#.write(toFile: manifest, atomically: true, encoding: .utf8)
        let other = try sandbox.run(arguments)
        #expect(other.status == 64 && other.stderr.contains("gemini"), "\(other.stderr)")
    }
}

extension EngineCommandTests {
    @Test("a one-letter output folder works for prep and animate", .hangGuard)
    func oneLetterFolder() throws {
        let sandbox = try SandboxProcess()
        let prepared = try sandbox.run(["prep", photo, "-o", "p/", "--faces", "ignore"])
        #expect(prepared.status == 0, "\(prepared.stderr)")
        #expect(FileManager.default.fileExists(atPath: sandbox.folder.file("p/holiday.1280x720.jpg")))
        let animated = try sandbox.run(["animate", photo, "--prompt", "one letter", "-o", "v/", "--faces", "ignore"])
        #expect(animated.status == 0, "\(animated.stderr)")
        #expect(isMP4(sandbox.folder.file("v/holiday.mp4")))
    }
}
