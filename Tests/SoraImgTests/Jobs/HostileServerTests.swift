import Foundation
import Testing

@testable import SoraImg

/// The built binary against a sandbox that lies: ids that are paths or terminal escapes, absurd
/// numbers, echoes that differ from what was asked, another client's job in the list, content
/// that trickles or ends early, a finished job carrying an error. Each ends as a user would
/// want: no file outside the folder, nothing unprintable on the terminal, no crash, never a
/// second job, never half a video.
@Suite("job engine against a hostile server (binary)", .hangGuard)
struct HostileServerTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    /// No control character but the newline reaches the user.
    private func expectPrintable(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = result.stderr + result.stdoutText
        #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }, "\(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test("an id that is a path names a file inside the folder; an id with escapes gets a hashed name")
    func idAsPath() throws {
        let sandbox = try SandboxProcess(["--fault", "chosen-id:../../x/y", "--fault", "chosen-id:video_\u{1B}[31mred\u{07}"], jobSeconds: 0)
        let first = try sandbox.run(["animate", "--prompt", "a path", "--faces", "ignore"])
        #expect(first.status == 0, "\(first.stderr)")
        expectPrintable(first)
        #expect(sandbox.folder.contents == ["state", "y.mp4"], "\(sandbox.folder.contents)")
        #expect(isMP4(sandbox.folder.file("y.mp4")))
        #expect(!FileManager.default.fileExists(atPath: sandbox.folder.file("../../x")))

        let second = try sandbox.run(["animate", "--prompt", "escapes", "--faces", "ignore"])
        #expect(second.status == 0, "\(second.stderr)")
        expectPrintable(second)
        let hashed = sandbox.folder.contents.filter { $0.hasPrefix("video-") }
        #expect(hashed.count == 1 && hashed[0].count == "video-".count + 12 + ".mp4".count, "\(sandbox.folder.contents)")
    }

    @Test("terminal escapes in ids, statuses and errors are shown escaped, by every command")
    func controlCharacters() throws {
        let sandbox = try SandboxProcess(["--fault", "control-chars"], jobSeconds: 0)
        let animate = try sandbox.run(["animate", photo, "--prompt", "escapes", "--faces", "ignore", "--deadline", "2s"])
        expectPrintable(animate)
        let id = try #require(sandbox.journal.jobs().first?.id)
        for command in [["status", id], ["list"], ["wait", id, "--deadline", "1s"], ["status", "video_nope"]] {
            let result = try sandbox.run(command)
            expectPrintable(result)
        }
    }

    @Test("a progress of 1e300 neither crashes status nor wait", arguments: ["1e300", "-1e300", "\"NaN\""])
    func absurdProgress(value: String) throws {
        let sandbox = try SandboxProcess(["--fault", "progress:\(value)"], jobSeconds: 1)
        let made = try sandbox.run(["animate", "--prompt", "absurd", "--no-wait"])
        let id = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.status == 0, "\(made.stderr)")
        let status = try sandbox.run(["status", id])
        #expect(status.status == 0, "\(status.stderr)")
        let json = try sandbox.run(["status", id, "--json"])
        let progress = try json.json()["progress"] as? Double
        #expect(progress.map { (0...100).contains($0) } ?? true, "\(json.stdoutText)")
        let waited = try sandbox.run(["wait", id])
        #expect(waited.status == 0, "\(waited.stderr)")
    }

    @Test("a service that echoes a dated model and its own prompt: the rerun resumes, never pays again")
    func echoes() throws {
        let sandbox = try SandboxProcess(
            ["--fault", "echo-model:sora-2-2025-10-06", "--fault", "echo-prompt:Waves Roll In (normalised)"], jobSeconds: 3)
        let arguments = ["animate", photo, "--prompt", "waves roll in", "--faces", "ignore"]
        let first = try sandbox.run(arguments + ["--deadline", "1s"])
        #expect(first.status == 75, "\(first.stderr)")
        let second = try sandbox.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("resuming"), "\(second.stderr)")
        #expect(sandbox.createCount == 1 && sandbox.jobCount == 1)
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
    }

    @Test("after an unanswered create, another client's older job in the list is not taken for this one")
    func foreignJob() throws {
        let sandbox = try SandboxProcess(["--fault", "foreign-job", "--fault", "drop-create:1"], jobSeconds: 0.3)
        let result = try sandbox.run(["animate", photo, "--prompt", "mine", "--faces", "ignore"], environment: ["SORAIMG_HTTP_TIMEOUT": "3s"])
        #expect(result.status == 0, "\(result.stderr)")
        let uploads = try #require(try sandbox.report()["uploads"] as? [[String: Any]])
        let mine = try #require(uploads.first?["video_id"] as? String)
        #expect(sandbox.journal.jobs().map(\.id) == [mine])
        #expect(sandbox.createCount == 1)
    }

    @Test("a finished job that carries an error is a failure, not a download")
    func completedWithError() throws {
        let sandbox = try SandboxProcess(["--fault", "completed-with-error"], jobSeconds: 0)
        let result = try sandbox.run(["animate", photo, "--prompt", "broken", "--faces", "ignore"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("internal_error"), "\(result.stderr)")
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") || $0.hasSuffix(".tmp") })
    }

    @Test("content without a length that ends early is fetched again; if it never arrives whole, nothing is saved")
    func unterminatedContent() throws {
        let once = try SandboxProcess(["--fault", "unterminated-content:1"], jobSeconds: 0)
        let retried = try once.run(["animate", photo, "--prompt", "half", "--faces", "ignore"])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(retried.stderr.contains("arrived incomplete; retrying"), "\(retried.stderr)")
        #expect(isMP4(once.folder.file("holiday.mp4")))

        let always = try SandboxProcess(["--fault", "unterminated-content:20"], jobSeconds: 0)
        let failed = try always.run(["animate", photo, "--prompt", "half", "--faces", "ignore"])
        #expect(failed.status == 65, "\(failed.stderr)")
        #expect(failed.stderr.contains("not a whole MP4"), "\(failed.stderr)")
        #expect(always.folder.contents == ["state"], "\(always.folder.contents)")
    }

    @Test("a download that trickles ends at the deadline, with the id to resume and nothing half-written")
    func trickle() throws {
        let sandbox = try SandboxProcess(["--fault", "trickle-content:200"], jobSeconds: 0)
        let started = Date()
        let result = try sandbox.run(["animate", photo, "--prompt", "slowly", "--faces", "ignore", "--deadline", "3s"])
        let took = Date().timeIntervalSince(started)
        #expect(result.status == 75, "\(result.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        #expect(result.stderr.contains("soraimg wait \(id)"), "\(result.stderr)")
        #expect(sandbox.folder.contents == ["state"], "\(sandbox.folder.contents)")
        // The video is about 17 KB: at 200 bytes a second it would take 86 s.
        #expect(took < 60, "took \(took) s")
        print("measured: trickled download stopped by a 3 s deadline after \(String(format: "%.1f", took)) s")
    }

    @Test("SIGTERM during a download: exit 143, the temporary file removed, the id printed", arguments: [SIGTERM, SIGHUP])
    func terminated(signal: Int32) throws {
        let sandbox = try SandboxProcess(["--fault", "trickle-content:2000"], jobSeconds: 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["animate", photo, "--prompt", "terminated", "--faces", "ignore"]
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.folder.path)
        process.environment = sandbox.environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Once the download has begun (its temporary file exists), as a service manager would.
        let start = Date()
        while !sandbox.folder.contents.contains(where: { $0.hasSuffix(".tmp") }) && Date().timeIntervalSince(start) < 30 { usleep(20_000) }
        #expect(sandbox.folder.contents.contains { $0.hasSuffix(".tmp") })
        kill(process.processIdentifier, signal)
        let killer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: killer)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        killer.cancel()
        #expect(process.terminationStatus == 143, "\(stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        #expect(stderr.contains("soraimg wait \(id)"), "\(stderr)")
        #expect(sandbox.folder.contents == ["state"], "\(sandbox.folder.contents)")
    }
}
