import Foundation
import Testing

@testable import SoraImg

/// Where a newcomer's results go and how options read: streams, --quiet, units, the models
/// table, and prep run twice in one folder. Every process runs under the runner's kill timer.
@Suite("output streams, units and the model table (binary)")
struct NewcomerOutputTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    @Test("prep run again over a folder skips its own earlier outputs with a note")
    func prepSkipsOwnOutputs() throws {
        let folder = Paths.temporaryFolder()
        folder.copy(photo, as: "photo.jpg")
        #expect(try soraimg(["prep", "photo.jpg", "--faces", "ignore"], in: folder.path).status == 0)
        // What `soraimg prep *.jpg` expands to now.
        let again = try soraimg(["prep", "photo.1280x720.jpg", "photo.jpg", "-o", "out/", "--faces", "ignore"], in: folder.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("photo.1280x720.jpg: skipped"), "\(again.stderr)")
        #expect(TemporaryFolderContents(folder.file("out")) == ["photo.1280x720.jpg"])
    }

    @Test("result lines on stdout, notes on stderr; --quiet keeps only warnings and errors; --json unchanged")
    func prepStreams() throws {
        let folder = Paths.temporaryFolder()
        folder.copy(photo, as: "a.jpg")
        folder.copy(photo, as: "b.jpg")
        let plain = try soraimg(["prep", "a.jpg", "b.jpg", "--faces", "ignore"], in: folder.path)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdoutText.contains("a.jpg → ./a.1280x720.jpg") && plain.stdoutText.contains("b.jpg → ./b.1280x720.jpg"), "\(plain.stdoutText)")
        #expect(!plain.stdoutText.contains("removed") && plain.stderr.contains("removed gps"), "\(plain.stderr)")
        #expect(plain.stderr.contains("2 prepared, 0 failed"))

        let quiet = try soraimg(["prep", "a.jpg", "b.jpg", "--faces", "ignore", "--force", "--quiet"], in: folder.path)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdoutText.contains("a.jpg → "))

        let json = try soraimg(["prep", "a.jpg", "--faces", "ignore", "--force", "--json"], in: folder.path)
        let outputs = try json.json()["outputs"] as? [[String: Any]]
        #expect(json.status == 0 && outputs?.count == 1, "\(json.stdoutText)")
    }

    @Test("animate: the video line on stdout, a batch summary on stderr, --quiet silences progress")
    func animateStreams() throws {
        let sandbox = try SandboxProcess()
        let photos = ["orientation/landscape-6.jpg", "orientation/portrait-3.jpg"].map(Paths.fixture)
        let result = try sandbox.run(["animate"] + photos + ["--prompt", "batch", "-o", "videos/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("video → videos/landscape-6.mp4"), "\(result.stdoutText)")
        #expect(result.stderr.contains("2 videos, 0 failed, 0 resumed"), "\(result.stderr)")
        let again = try sandbox.run(["animate"] + photos + ["--prompt", "batch", "-o", "videos/", "--quiet"])
        // --quiet leaves warnings (these small fixtures are enlarged) and nothing else.
        let unquiet = again.stderr.split(separator: "\n").filter { !$0.hasPrefix("soraimg: warning:") }
        #expect(again.status == 0 && unquiet.isEmpty, "\(again.stderr)")
        #expect(again.stdoutText.contains("already made by"), "\(again.stdoutText)")
    }

    @Test("units: bytes with KB..GiB, pixels with M, durations with s/m/h, colour names", arguments: [
        ["--max-bytes", "256MiB"], ["--max-bytes", "300MB"], ["--max-pixels", "100M"], ["--time-limit", "60s"],
        ["--time-limit", "1m"], ["--background", "grey", "--fit", "contain"], ["--background", "Blue", "--fit", "contain"],
    ])
    func units(option: [String]) throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", photo, "-o", folder.file("out.jpg"), "--faces", "ignore"] + option)
        #expect(result.status == 0, "\(option): \(result.stderr)")
    }

    @Test("a unit the option does not take is refused naming the forms it does")
    func unitRefused() throws {
        let result = try soraimg(["prep", photo, "--max-bytes", "lots"])
        #expect(result.status == 64 && result.stderr.contains("256MiB"), "\(result.stderr)")
        let small = try soraimg(["prep", photo, "--max-bytes", "1KB", "-o", Paths.temporaryFolder().file("x.jpg")])
        #expect(small.status == 65, "1KB is 1000 bytes: \(small.stderr)")
    }

    @Test("animate --seconds 8s is 8; --deadline takes units")
    func animateSeconds() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["animate", "--prompt", "x", "--seconds", "8s", "--deadline", "90s", "--dry-run", "--json"], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try result.json()["requests"] as? [[String: Any]])?.first?["seconds"] as? String == "8")
    }

    @Test("options that do nothing for inspect are refused; inspect --help describes every --faces value")
    func inspectOptions() throws {
        let quality = try soraimg(["inspect", photo, "--quality", "80"])
        #expect(quality.status == 64 && quality.stderr.contains("--quality"), "\(quality.stderr)")
        let help = try soraimg(["inspect", "--help"])
        let text = help.stdoutText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("warn") && text.contains("refuse") && text.contains("ignore does not look"), "\(help.stdoutText)")
    }

    @Test("prep -o - on a terminal refuses to write image bytes to it")
    func binaryOnTerminal() throws {
        // A pseudo-terminal as standard output, as in an interactive shell.
        let script = """
            import os, subprocess, sys
            primary, secondary = os.openpty()
            status = subprocess.run(sys.argv[1:], stdout=secondary, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
            os.close(secondary)
            sys.stderr.buffer.write(status.stderr)
            sys.exit(status.returncode)
            """
        let result = try runProcess("/usr/bin/env", ["python3", "-c", script, Paths.binary, "prep", photo, "-o", "-"], timeLimit: 90)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("terminal") && result.stderr.contains("-o FILE"), "\(result.stderr)")
    }

    @Test("a missing photo is named once; an output folder that cannot be made is refused in soraimg's words before anything is sent")
    func missingAndUncreatable() throws {
        let sandbox = try SandboxProcess()
        let missing = try sandbox.run(["animate", "nope.jpg", "--prompt", "x"])
        #expect(missing.status == 66, "\(missing.stderr)")
        #expect(missing.stderr.components(separatedBy: "nope.jpg").count == 2, "\(missing.stderr)")
        let blocker = sandbox.folder.copy(photo, as: "file.jpg")
        let folder = try sandbox.run(["animate", photo, "--prompt", "x", "-o", "file.jpg/videos/"])
        #expect(folder.status == 73, "\(folder.stderr)")
        #expect(folder.stderr.contains("cannot create folder file.jpg/videos") && folder.stderr.contains("is a file, not a folder"), "\(folder.stderr)")
        #expect(sandbox.createCount == 0)
        let prep = try soraimg(["prep", photo, "-o", blocker + "/out/"])
        #expect(prep.status == 73 && prep.stderr.contains("is a file, not a folder") && !prep.stderr.contains("could not be completed"), "\(prep.stderr)")
    }

    @Test("soraimg models lists the table; --json has every field; the root help points to it")
    func models() throws {
        let text = try soraimg(["models"])
        #expect(text.status == 0 && text.stdoutText.contains("sora-2-pro") && text.stdoutText.contains("1920x1080 $0.70"), "\(text.stdoutText)")
        let json = try soraimg(["models", "--json"])
        let models = try #require(try json.json()["models"] as? [[String: Any]])
        let pro = try #require(models.first { $0["model"] as? String == "sora-2-pro" })
        #expect(pro["provider"] as? String == "openai" && (pro["sizes"] as? [String])?.contains("1792x1024") == true)
        #expect(pro["seconds"] as? [Int] == [4, 8, 12, 16, 20] && pro["default_seconds"] as? Int == 4)
        #expect(pro["usd_per_second"] as? Double == 0.3 && (pro["usd_per_second_by_size"] as? [String: Double])?["1920x1080"] == 0.7)
        #expect(pro["first_frame"] as? Bool == true && pro["assumed"] as? Bool == false && pro["source"] is String)
        let help = try soraimg(["--help"])
        #expect(help.stdoutText.contains("soraimg models"), "\(help.stdoutText)")
    }
}
