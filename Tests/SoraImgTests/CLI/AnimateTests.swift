import Foundation
import Testing

@testable import SoraImg

/// `soraimg animate` and the job commands, over real HTTP against the sandbox as a process.
@Suite("animate against the sandbox (binary)")
struct AnimateTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    @Test("an image job ends with the MP4 on disk; the upload was exact-size, metadata-free, named and typed")
    func imageJob() throws {
        let sandbox = try SandboxProcess()
        let result = try sandbox.run(["animate", photo, "--prompt", "waves roll in", "--variant", "video,thumbnail,spritesheet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(FileManager.default.contents(atPath: sandbox.folder.file("holiday.thumbnail.webp"))?.prefix(4) == Data("RIFF".utf8))
        #expect(FileManager.default.contents(atPath: sandbox.folder.file("holiday.spritesheet.jpg"))?.prefix(3) == Data([0xFF, 0xD8, 0xFF]))
        let upload = try #require((try sandbox.report()["uploads"] as? [[String: Any]])?.first)
        #expect(upload["filename"] as? String == "reference.jpg")
        #expect(upload["content_type"] as? String == "image/jpeg")
        #expect(upload["size"] as? String == "1280x720" && upload["width"] as? Int == 1280 && upload["height"] as? Int == 720)
        #expect(upload["metadata"] as? [String] == [])
        #expect(upload["seconds"] as? String == "4")
        let jobs = sandbox.journal.jobs()
        #expect(jobs.count == 1 && jobs[0].downloads[.video] == "./holiday.mp4" && jobs[0].output == "./holiday.mp4" && jobs[0].input == photo)
        #expect(sandbox.jobCount == 1)
    }

    @Test("a text-only job lands as ./VIDEO_ID.mp4; data-url uploads work too")
    func textOnlyAndDataURL() throws {
        let sandbox = try SandboxProcess()
        var result = try sandbox.run(["animate", "--prompt", "a paper boat", "--seconds", "8", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let job = try #require((try result.json()["jobs"] as? [[String: Any]])?.first)
        let id = try #require(job["id"] as? String)
        #expect(isMP4(sandbox.folder.file("\(id).mp4")))

        result = try sandbox.run(["animate", photo, "--prompt", "as data", "--input-reference", "data-url", "-o", "data.mp4", "--model", "sora-2-pro", "--size", "max"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("data.mp4")))
        let uploads = try #require(try sandbox.report()["uploads"] as? [[String: Any]])
        #expect(uploads.contains { $0["size"] as? String == "1920x1080" && $0["width"] as? Int == 1920 })
    }

    @Test(
        "transient faults end in success with exactly one job on the server",
        arguments: ["rate-limit-create:2", "error-status:3", "error-content:2", "drop-create:1"])
    func faults(fault: String) throws {
        let sandbox = try SandboxProcess(["--fault", fault])
        let result = try sandbox.run(["animate", photo, "--prompt", "fault \(fault)"])
        #expect(result.status == 0, "\(fault): \(result.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")), "\(fault)")
        let report = try sandbox.report()
        #expect(report["jobs"] as? Int == 1, "\(fault): \(report)")
        #expect(sandbox.journal.jobs().count == 1)
    }

    @Test("a deadline exits 75 with the id and how to resume; wait then finishes the job")
    func deadlineThenWait() throws {
        let sandbox = try SandboxProcess(["--fault", "slow:200"], jobSeconds: 3)
        let result = try sandbox.run(["animate", photo, "--prompt", "slow", "--deadline", "1s"])
        #expect(result.status == 75, "\(result.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        #expect(result.stderr.contains("soraimg wait \(id)"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.folder.file("holiday.mp4")))
        let resumed = try sandbox.run(["wait", id])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(sandbox.jobCount == 1)
    }

    @Test("Ctrl-C while waiting exits 130 with the id and how to resume; nothing is lost")
    func interrupted() throws {
        let sandbox = try SandboxProcess(jobSeconds: 30)
        // Interrupt once the job is in the journal, as a person would while it runs.
        let (status, stderr, _) = try sandbox.interrupted(["animate", photo, "--prompt", "interrupt me"]) { !sandbox.journal.jobs().isEmpty }
        let id = try #require(sandbox.journal.jobs().first?.id)
        #expect(status == 130, "\(stderr)")
        #expect(stderr.contains("soraimg wait \(id)"), "\(stderr)")
        #expect(sandbox.jobCount == 1)
        #expect(!sandbox.folder.contents.contains { $0.hasSuffix(".mp4") || $0.hasSuffix(".tmp") })
    }

    @Test("several photos: one job and one video each, into -o DIR/, every id in the journal")
    func severalPhotos() throws {
        let sandbox = try SandboxProcess()
        let photos = ["orientation/landscape-6.jpg", "orientation/portrait-3.jpg", "shapes/49x500.png"].map(Paths.fixture)
        let result = try sandbox.run(["animate"] + photos + ["--prompt", "batch", "-o", "videos/", "--max-running", "2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(TemporaryFolderContents(sandbox.folder.file("videos")) == ["49x500.mp4", "landscape-6.mp4", "portrait-3.mp4"])
        let report = try sandbox.report()
        let uploads = try #require(report["uploads"] as? [[String: Any]])
        #expect(Set(uploads.compactMap { $0["size"] as? String }) == ["1280x720", "720x1280"])
        #expect(report["jobs"] as? Int == 3)
        let served = Set(uploads.compactMap { $0["video_id"] as? String })
        #expect(Set(sandbox.journal.jobs().map(\.id)) == served)
        let jobs = try #require(try result.json()["jobs"] as? [[String: Any]])
        #expect(jobs.count == 3 && jobs.allSatisfy { ($0["outputs"] as? [String])?.count == 1 })
    }

    @Test("a rerun waits for the journal's unfinished job instead of paying again; a job the service lost is made anew")
    func rerunResumes() throws {
        let sandbox = try SandboxProcess()
        let arguments = ["animate", photo, "--prompt", "again", "-o", "videos/", "--faces", "ignore"]
        let video = sandbox.folder.file("videos/holiday.mp4")
        let first = try sandbox.run(arguments + ["--no-wait"])
        #expect(first.status == 0, "\(first.stderr)")
        let id = first.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let resumed = try sandbox.run(arguments)
        #expect(resumed.status == 0 && resumed.stderr.contains("resuming \(id)"), "\(resumed.stderr)")
        #expect(isMP4(video))
        let again = try sandbox.run(arguments)
        #expect(again.status == 0 && again.stdoutText.contains("already made by \(id)"), "\(again.stdoutText)")
        #expect(sandbox.createCount == 1)

        // The service loses the job behind soraimg's back, and the video file goes too.
        let url = "\(sandbox.baseURL)/videos/\(id)"
        let deleted = try HTTPClient().send(HTTPRequest(method: .delete, url: url, headers: [HTTPHeader("Authorization", "Bearer \(sandbox.key)")]))
        #expect(deleted.status == 200)
        try FileManager.default.removeItem(atPath: video)
        let lost = try sandbox.run(arguments)
        #expect(lost.status == 66 && lost.stderr.contains(id), "\(lost.stderr)")
        let remade = try sandbox.run(arguments)
        #expect(remade.status == 0 && remade.stderr.contains(": created video_"), "\(remade.stderr)")
        #expect(sandbox.createCount == 2 && isMP4(video))
    }

    @Test("a moderation failure exits 1 with the code and a hint, and leaves no file")
    func moderation() throws {
        let sandbox = try SandboxProcess(["--fault", "fail-job:moderation_blocked"])
        let result = try sandbox.run(["animate", photo, "--prompt", "blocked"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("moderation_blocked") && result.stderr.contains("hint:"))
        #expect(sandbox.folder.contents.filter { $0 != "state" }.isEmpty, "\(sandbox.folder.contents)")
        #expect(sandbox.journal.jobs().first?.status == .failed)
    }

    @Test("expired content, a wrong key and a base URL without the Videos API each get their hint")
    func hints() throws {
        let expired = try SandboxProcess(["--fault", "expire"])
        var result = try expired.run(["animate", photo, "--prompt", "expire"])
        #expect(result.status == 66 && result.stderr.contains("expired") && result.stderr.contains("hint:"), "\(result.stderr)")
        #expect(!expired.folder.contents.contains { $0.hasSuffix(".mp4") || $0.hasSuffix(".tmp") })

        let locked = try SandboxProcess(["--key", "the-right-key"])
        result = try locked.run(["animate", photo, "--prompt", "key"], environment: ["OPENAI_API_KEY": "a-wrong-key"])
        #expect(result.status == 77 && result.stderr.contains("OPENAI_API_KEY"), "\(result.stderr)")
        #expect(locked.jobCount == 0)

        result = try locked.run(["animate", "--prompt", "nowhere"], environment: ["OPENAI_BASE_URL": String(locked.baseURL.dropLast(3)), "OPENAI_API_KEY": "the-right-key"])
        #expect(result.status == 69 && result.stderr.contains("does not serve the Videos API"), "\(result.stderr)")
    }

    @Test("an existing output is refused before any job is paid for; --dry-run sends nothing")
    func nothingSent() throws {
        let sandbox = try SandboxProcess()
        try Data("keep".utf8).write(to: URL(fileURLWithPath: sandbox.folder.file("holiday.mp4")))
        var result = try sandbox.run(["animate", photo, "--prompt", "exists"])
        #expect(result.status == 73)
        result = try sandbox.run(["animate", photo, "--prompt", "dry", "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("size: 1280x720") && result.stdoutText.contains("estimated cost: $0.40"))
        #expect(result.stdoutText.contains("input_reference: reference.jpg (image/jpeg)"))
        #expect(sandbox.createCount == 0)
        #expect(try String(contentsOfFile: sandbox.folder.file("holiday.mp4"), encoding: .utf8) == "keep")
    }

    @Test("checks before sending: seconds and size against the model")
    func validation() throws {
        let sandbox = try SandboxProcess()
        for arguments in [["--seconds", "5"], ["--size", "1920x1080"], ["--prompt", ""]] {
            let result = try sandbox.run(["animate", photo, "--prompt", "x"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
        #expect(sandbox.createCount == 0)
    }

    @Test("--no-wait prints the id; status, list, download, remix and delete work on it")
    func jobCommands() throws {
        let sandbox = try SandboxProcess(jobSeconds: 0)
        var result = try sandbox.run(["animate", "--prompt", "later", "--no-wait"])
        #expect(result.status == 0, "\(result.stderr)")
        let id = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("video_"))
        #expect(sandbox.journal.job(id) != nil)

        result = try sandbox.run(["status", id])
        #expect(result.status == 0 && result.stdoutText.contains("\(id): completed"), "\(result.stdoutText)")
        result = try sandbox.run(["download", id, "-o", "got.mp4", "--variant", "video,thumbnail"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("got.mp4")) && FileManager.default.fileExists(atPath: sandbox.folder.file("got.thumbnail.webp")))

        result = try sandbox.run(["remix", id, "--prompt", "now at night", "-o", "night.mp4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("night.mp4")))

        result = try sandbox.run(["list", "--json"])
        let rows = try #require(try result.json()["jobs"] as? [[String: Any]])
        #expect(rows.count == 2 && rows.allSatisfy { $0["source"] as? String == "service+journal" })

        result = try sandbox.run(["delete", id])
        #expect(result.status == 0)
        result = try sandbox.run(["status", id])
        #expect(result.status == 66)
        result = try sandbox.run(["list", "--json"])
        let afterDelete = try #require(try result.json()["jobs"] as? [[String: Any]])
        #expect(afterDelete.contains { $0["id"] as? String == id && $0["status"] as? String == "deleted" && $0["source"] as? String == "journal" })
    }

    @Test("the API key appears in no output, no error and not in the journal")
    func keyNeverShown() throws {
        let sandbox = try SandboxProcess(["--fault", "rate-limit-create:1", "--fault", "error-status:1"])
        var outputs: [String] = []
        for arguments in [
            ["animate", photo, "--prompt", "secret", "--variant", "video,thumbnail"], ["list"], ["list", "--json"],
            ["status", "video_missing"], ["animate", "--prompt", "dry", "--dry-run"],
            ["animate", "--prompt", "x", "--base-url", String(sandbox.baseURL.dropLast(3))],
        ] {
            let result = try sandbox.run(arguments)
            outputs += [result.stdoutText, result.stderr]
        }
        // A refused key, and a key file readable by others (which gets a warning).
        let locked = try SandboxProcess(["--key", "something-else"])
        var result = try locked.run(["animate", "--prompt", "wrong"], environment: ["OPENAI_API_KEY": sandbox.key])
        outputs += [result.stdoutText, result.stderr]
        let keyFile = sandbox.folder.file("key.txt")
        try Data((sandbox.key + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
        chmod(keyFile, 0o644)
        result = try sandbox.run(["list", "--api-key-file", keyFile], environment: ["OPENAI_API_KEY": ""])
        #expect(result.status == 0 && result.stderr.contains("can be read by other users"), "\(result.stderr)")
        outputs += [result.stdoutText, result.stderr]

        #expect(outputs.allSatisfy { !$0.contains(sandbox.key) })
        let journal = try String(contentsOfFile: sandbox.journal.path, encoding: .utf8)
        #expect(!journal.isEmpty && !journal.contains(sandbox.key))
        // And the key is never an option: ps would show it.
        #expect(try sandbox.run(["list", "--api-key", sandbox.key]).status == 64)
    }

    @Test("a key file or variable that would smuggle in a header is refused without quoting it")
    func keyWithHeader() throws {
        let sandbox = try SandboxProcess()
        let smuggled = sandbox.key + "\nX-Injected: yes"
        let keyFile = sandbox.folder.file("key.txt")
        try Data(smuggled.utf8).write(to: URL(fileURLWithPath: keyFile))
        chmod(keyFile, 0o600)
        let fromFile = try sandbox.run(["list", "--api-key-file", keyFile], environment: ["OPENAI_API_KEY": ""])
        let fromVariable = try sandbox.run(["list"], environment: ["OPENAI_API_KEY": smuggled])
        for result in [fromFile, fromVariable] {
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("should hold the key alone"), "\(result.stderr)")
            #expect(!result.stderr.contains(sandbox.key) && !result.stderr.contains("X-Injected"))
        }
        #expect(fromFile.stderr.contains(keyFile))
        #expect(sandbox.createCount == 0)
    }
}
