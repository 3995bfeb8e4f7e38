import Foundation
import Testing

@testable import SoraImg

/// The real `soraimg` binary against a sandbox process that plays a hostile network:
/// resets, answers cut short, garbage, a proxy's HTML, a redirect to another origin, endless
/// answers and silence. Each must end in a clear error or a correct retry: never a hang, a
/// crash, a partial file, a second billed job or a lost job id, and never the key in sight.
///
/// No test asserts a speed. Every command runs under a generous kill timer (`hangLimit`), so a
/// hang fails the test instead of stalling the suite; `SORAIMG_HTTP_TIMEOUT` shortens the
/// connect and stall timeouts so a silent server is given up on in seconds.
@Suite("hostile network (binary against the sandbox)")
struct HostileNetworkTests {
    private let photo = Paths.fixture("demo/holiday.jpg")
    /// Far beyond any run here (the slowest, a server that never answers, takes about 20 s).
    private static let hangLimit = 300

    /// Runs soraimg against `sandbox` with short HTTP timeouts, killed if it outlives `hangLimit`.
    private func run(_ sandbox: SandboxProcess, _ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
        var environment = sandbox.environment.merging(extra) { $1 }
        environment["SORAIMG_HTTP_TIMEOUT"] = "2s"
        let result = try runProcess(
            "/usr/bin/timeout", ["--signal=KILL", "\(Self.hangLimit)", Paths.binary] + arguments, in: sandbox.folder.path, environment: environment)
        #expect(result.status != 137, "soraimg \(arguments) hung and was killed after \(Self.hangLimit) s")
        #expect(!result.stderr.contains(sandbox.key) && !result.stdoutText.contains(sandbox.key), "the key was shown")
        return result
    }

    /// The files the run left in the test folder, the journal's folder aside.
    private func leftovers(_ sandbox: SandboxProcess) -> [String] {
        sandbox.folder.contents.filter { $0 != "state" }
    }

    /// The journal holds exactly `ids` and never the key.
    private func expectJournal(_ sandbox: SandboxProcess, holds ids: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sandbox.journal.jobs().map(\.id) == ids, sourceLocation: sourceLocation)
        let text = (try? String(contentsOfFile: sandbox.journal.path, encoding: .utf8)) ?? ""
        #expect(!text.contains(sandbox.key), sourceLocation: sourceLocation)
    }

    /// The job ids the sandbox made, from what it received.
    private func serverIDs(_ sandbox: SandboxProcess) throws -> [String] {
        ((try sandbox.report()["uploads"] as? [[String: Any]]) ?? []).compactMap { $0["video_id"] as? String }
    }

    // MARK: Retried to success

    @Test(
        "a reset mid-upload, a proxy's 502 page or a cut download is retried: one job, one whole video, nothing else left",
        arguments: [("reset-create:1", 2), ("html-error:1", 2), ("cut-content:1", 1), ("cut-content:2", 1)])
    func retried(fault: String, creates: Int) throws {
        let sandbox = try SandboxProcess(["--fault", fault])
        let result = try run(sandbox, ["animate", photo, "--prompt", "hostile \(fault)"])
        #expect(result.status == 0, "\(fault): \(result.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(leftovers(sandbox) == ["holiday.mp4"], "\(fault): \(leftovers(sandbox))")
        #expect(sandbox.jobCount == 1 && sandbox.createCount == creates, "\(fault): \(String(describing: try? sandbox.report()))")
        expectJournal(sandbox, holds: try serverIDs(sandbox))
        // The retried download is the whole video: byte for byte what a clean download gets.
        let id = try #require(sandbox.journal.jobs().first?.id)
        let again = try run(sandbox, ["download", id, "-o", "again.mp4"])
        #expect(again.status == 0)
        #expect(FileManager.default.contents(atPath: sandbox.folder.file("holiday.mp4")) == FileManager.default.contents(atPath: sandbox.folder.file("again.mp4")))
    }

    @Test("a create answered with JSON cut short is found in the job list, never created twice")
    func truncatedCreate() throws {
        let sandbox = try SandboxProcess(["--fault", "truncated-create:1"])
        let result = try run(sandbox, ["animate", photo, "--prompt", "cut answer"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(sandbox.jobCount == 1 && sandbox.createCount == 1)
        let ids = try serverIDs(sandbox)
        expectJournal(sandbox, holds: ids)
        #expect(result.stderr.contains("created \(ids[0])"))
    }

    @Test("a create that is never answered is reconciled through the list, never resent", arguments: ["no-answer:1", "no-answer:2"])
    func unansweredCreate(fault: String) throws {
        // no-answer:2 also leaves the first lookup unanswered; the lookup is retried.
        let sandbox = try SandboxProcess(["--fault", fault])
        let result = try run(sandbox, ["animate", photo, "--prompt", "silence"])
        #expect(result.status == 0, "\(fault): \(result.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        #expect(sandbox.jobCount == 1 && sandbox.createCount == 1, "\(fault)")
        expectJournal(sandbox, holds: try serverIDs(sandbox))
    }

    @Test("a create refused because too many jobs run is retried until one finishes: two photos, two jobs, two videos")
    func runningLimit() throws {
        let sandbox = try SandboxProcess(["--fault", "running-limit:1"], jobSeconds: 1)
        let photos = ["orientation/landscape-6.jpg", "orientation/portrait-3.jpg"].map(Paths.fixture)
        let result = try run(sandbox, ["animate"] + photos + ["--prompt", "one at a time", "-o", "videos/", "--max-running", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(TemporaryFolderContents(sandbox.folder.file("videos")) == ["landscape-6.mp4", "portrait-3.mp4"])
        #expect(sandbox.jobCount == 2)
        #expect(Set(sandbox.journal.jobs().map(\.id)) == Set(try serverIDs(sandbox)))
    }

    // MARK: Clear errors, the job kept

    @Test(
        "a status answer that is garbage, cut short, endless or huge is a clear error that keeps the job id; wait resumes",
        arguments: [
            ("garbage-status:1", "not complete JSON"), ("truncated-status:1", "not complete JSON"),
            ("huge-response", "declares 1099511627776 bytes"), ("endless-response", "larger than the 16777216 bytes"),
        ])
    func unreadableStatus(fault: String, says: String) throws {
        let sandbox = try SandboxProcess(["--fault", fault])
        let result = try run(sandbox, ["animate", photo, "--prompt", "garbled \(fault)"])
        #expect(result.status == 69, "\(fault): \(result.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        expectJournal(sandbox, holds: [id])
        #expect(sandbox.jobCount == 1)
        #expect(result.stderr.contains(says), "\(fault): \(result.stderr)")
        #expect(result.stderr.contains("\(sandbox.baseURL)/videos/\(id)"), "the URL is named: \(result.stderr)")
        #expect(result.stderr.contains("soraimg wait \(id)"), "\(result.stderr)")
        // Sanitised: no terminal escape, NUL or invalid byte from the server reaches the terminal.
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0 == "\u{FFFD}" }, "\(result.stderr.debugDescription)")
        if fault.hasPrefix("garbage") { #expect(result.stderr.contains("HTTP 200") && result.stderr.contains("garbage")) }
        #expect(leftovers(sandbox).isEmpty, "\(leftovers(sandbox))")

        if fault.hasSuffix(":1") {
            let resumed = try run(sandbox, ["wait", id])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(isMP4(sandbox.folder.file("holiday.mp4")) && sandbox.jobCount == 1)
        }
    }

    @Test("a download cut off on every try fails clearly with the id, and leaves no partial or temporary file; wait resumes")
    func downloadKeepsFailing() throws {
        let sandbox = try SandboxProcess(["--fault", "cut-content:5"])
        let result = try run(sandbox, ["animate", photo, "--prompt", "cut"])
        #expect(result.status == 69, "\(result.stderr)")
        let id = try #require(sandbox.journal.jobs().first?.id)
        #expect(result.stderr.contains("/videos/\(id)/content") && result.stderr.contains("soraimg wait \(id)"), "\(result.stderr)")
        #expect(leftovers(sandbox).isEmpty, "\(leftovers(sandbox))")
        let resumed = try run(sandbox, ["wait", id])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(isMP4(sandbox.folder.file("holiday.mp4")) && leftovers(sandbox) == ["holiday.mp4"])
        #expect(sandbox.jobCount == 1)
    }

    @Test("a proxy that answers only HTML pages is retried, then named: URL, status, the page's title")
    func htmlPagesOnly() throws {
        let sandbox = try SandboxProcess(["--fault", "html-error:20"])
        let result = try run(sandbox, ["status", "video_123"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("\(sandbox.baseURL)/videos/video_123 answered HTTP 502 with an HTML page"), "\(result.stderr)")
        #expect(result.stderr.contains("\"502 Bad Gateway\"") && !result.stderr.contains("<html"), "\(result.stderr)")
        #expect(result.stderr.contains("hint: a proxy or gateway"), "\(result.stderr)")
    }

    @Test("a server that never answers is given up on: the create is not resent, and the user is told to check the list")
    func neverAnswers() throws {
        let sandbox = try SandboxProcess(["--fault", "no-answer:100"])
        let result = try run(sandbox, ["animate", photo, "--prompt", "into the void"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("sent but not answered") && result.stderr.contains("soraimg list"), "\(result.stderr)")
        #expect(result.stderr.contains("no byte moved for 2 s"), "\(result.stderr)")
        // The server made the job; soraimg sent the create once and says how to find it.
        #expect(sandbox.createCount == 1)
        #expect(leftovers(sandbox).isEmpty)
    }

    @Test("after a create that was never answered and could not be looked up, the same command finds the job instead of paying again")
    func neverAnsweredThenRerun() throws {
        // The create and each of its list lookups go unanswered; then the service answers again.
        let sandbox = try SandboxProcess(["--fault", "no-answer:6"])
        let arguments = ["animate", photo, "--prompt", "answer me later", "--faces", "ignore"]
        let first = try run(sandbox, arguments)
        #expect(first.status == 69, "\(first.stderr)")
        #expect(sandbox.journal.unconfirmedCreates().count == 1)
        let second = try run(sandbox, arguments)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(sandbox.createCount == 1 && sandbox.jobCount == 1)
        #expect(sandbox.journal.unconfirmedCreates().isEmpty)
        #expect(sandbox.journal.jobs().count == 1 && sandbox.journal.jobs().first?.downloads[.video] != nil)
        #expect(leftovers(sandbox) == ["holiday.mp4"])
    }

    // MARK: Redirects to another origin

    @Test("a redirect to another origin never carries the key: a create is not followed; a GET goes without credentials", arguments: ["bearer", "api-key"])
    func redirectToAnotherOrigin(auth: String) throws {
        let mp4 = [UInt8](try #require(FileManager.default.contents(atPath: Paths.fixture("sandbox/video.mp4"))))
        let other = try RecordingServer(content: mp4)
        defer { other.stop() }
        let sandbox = try SandboxProcess(["--fault", "redirect:\(other.origin)"])
        let identity = ["SORAIMG_AUTH": auth, "OPENAI_ORG_ID": "org-hostile-test", "OPENAI_PROJECT_ID": "proj_hostile_test"]

        // A create (a POST with the user's image) is never sent on to another origin.
        var result = try run(sandbox, ["animate", photo, "--prompt", "redirected"], environment: identity)
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("\(other.origin)/v1/videos, another origin"), "\(result.stderr)")
        #expect(other.requests.isEmpty && sandbox.jobCount == 0)

        // A GET follows, without the key: the other host's 401 is explained as the redirect.
        result = try run(sandbox, ["status", "video_abc"], environment: identity)
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("another origin, and soraimg does not send the key there"), "\(result.stderr)")

        // Content may live on another host (a CDN): it is fetched, again without credentials.
        result = try run(sandbox, ["download", "video_abc", "-o", "cdn.mp4"], environment: identity)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: sandbox.folder.file("cdn.mp4")).map(Array.init) == mp4)

        let requests = other.requests
        #expect(requests.count == 2, "\(requests)")
        for request in requests {
            let headers = request.lowercased().components(separatedBy: "\r\n\r\n")[0]
            for name in ["authorization:", "api-key:", "openai-organization:", "openai-project:", "cookie:"] {
                #expect(!headers.contains("\r\n" + name), "\(name) reached \(other.origin): \(headers)")
            }
            #expect(!request.contains(sandbox.key) && !request.contains("org-hostile-test") && !request.contains("proj_hostile_test"))
        }
        #expect(requests.first?.hasPrefix("GET /v1/videos/video_abc HTTP/1.1") == true)
        #expect(requests.last?.hasPrefix("GET /v1/videos/video_abc/content?variant=video HTTP/1.1") == true)
        #expect(sandbox.jobCount == 0)
    }
}
