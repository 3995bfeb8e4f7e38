import Foundation
import Testing

@testable import SoraImg

/// `extend` and `edit` through the binary against the sandbox (openai's extensions and edits,
/// OpenRouter's continuation): a finished video continued or
/// edited as one billed job, journalled, never paid for twice, refused before anything is sent
/// where it cannot succeed.
@Suite("extend and edit: the binary against the sandbox", .hangGuard)
struct ExtendSandboxTests {
    let photo = Paths.fixture("orientation/portrait-6.jpg")

    /// A finished video of `seconds` seconds in the sandbox, made by animate: its id.
    private func source(_ sandbox: SandboxProcess, seconds: String = "4") throws -> String {
        let made = try sandbox.run(["animate", photo, "--prompt", "the source", "--seconds", seconds, "-o", "source.mp4"])
        try #require(made.status == 0, "\(made.stderr)")
        return try #require(sandbox.journal.jobs().last?.id)
    }

    private func status(_ sandbox: SandboxProcess, _ id: String) throws -> [String: Any] {
        let result = try sandbox.run(["status", id, "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        return try result.json()
    }

    @Test("extend: one extension job, the stitched total, the MP4 in place; the same command again pays for nothing")
    func extend() throws {
        let sandbox = try SandboxProcess()
        let id = try source(sandbox)
        let arguments = ["extend", id, "--prompt", "the tide comes in", "--seconds", "8", "-o", "longer.mp4"]
        let result = try sandbox.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("longer.mp4")))
        #expect(sandbox.createCount == 2 && sandbox.jobCount == 2)
        let extended = try #require(sandbox.journal.jobs().last)
        #expect(extended.id != id)
        #expect(try status(sandbox, extended.id)["seconds"] as? String == "12")
        // The journal keeps the video as made, and the request as asked in its fingerprint.
        #expect(extended.seconds == "12")
        let again = try sandbox.run(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(sandbox.createCount == 2)
        // Another prompt or length is another extension.
        let other = try sandbox.run(["extend", id, "--prompt", "the tide comes in", "--seconds", "4", "--no-wait"])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(sandbox.createCount == 3)
    }

    @Test("an extension whose answer is lost is found through the job list, not paid for again")
    func droppedExtension() throws {
        // The first dropped answer is animate's own create (found the same way), the second the extension's.
        let sandbox = try SandboxProcess(["--fault", "drop-create:2"])
        let id = try source(sandbox)
        #expect(sandbox.createCount == 1)
        let result = try sandbox.run(["extend", id, "--prompt", "lost answer", "--seconds", "4", "-o", "longer.mp4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(sandbox.createCount == 2 && sandbox.jobCount == 2)
        #expect(isMP4(sandbox.folder.file("longer.mp4")))
        #expect(sandbox.journal.unconfirmedCreates().isEmpty)
        // The extension's answer was lost, and the list is where its job was found.
        let seen = try #require(sandbox.report()["api_requests"] as? [[String: Any]]).map { "\($0["method"]!) \($0["path"]!)" }
        let sent = try #require(seen.lastIndex(of: "POST /v1/videos/extensions"))
        #expect(seen[(sent + 1)...].contains("GET /v1/videos"), "\(seen)")
        let rerun = try sandbox.run(["extend", id, "--prompt", "lost answer", "--seconds", "4", "-o", "longer.mp4"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(sandbox.createCount == 2)
    }

    @Test("the limits: more than 20 seconds at once, or past 120 in all, is refused with 64 before anything is sent")
    func limits() throws {
        let sandbox = try SandboxProcess(jobSeconds: 0.1)
        var id = try source(sandbox, seconds: "12")
        let tooLong = try sandbox.run(["extend", id, "--prompt", "more", "--seconds", "21"])
        #expect(tooLong.status == 64, "\(tooLong.stderr)")
        #expect(tooLong.stderr.contains("20 seconds"), "\(tooLong.stderr)")
        for _ in 0..<5 {
            let step = try sandbox.run(["extend", id, "--prompt", "more", "--seconds", "20", "-o", "step.mp4", "--force"])
            try #require(step.status == 0, "\(step.stderr)")
            id = try #require(sandbox.journal.jobs().last?.id)
        }
        #expect(try status(sandbox, id)["seconds"] as? String == "112")
        let creates = sandbox.createCount
        let past = try sandbox.run(["extend", id, "--prompt", "more", "--seconds", "20"])
        #expect(past.status == 64, "\(past.stderr)")
        #expect(past.stderr.contains("120"), "\(past.stderr)")
        #expect(sandbox.createCount == creates)
        let last = try sandbox.run(["extend", id, "--prompt", "more", "--seconds", "8", "-o", "last.mp4"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try status(sandbox, try #require(sandbox.journal.jobs().last?.id))["seconds"] as? String == "120")
    }

    @Test("a source that has not finished is refused before anything billed is sent")
    func unfinishedSource() throws {
        let sandbox = try SandboxProcess(jobSeconds: 60)
        let made = try sandbox.run(["animate", photo, "--prompt", "slow", "--no-wait"])
        try #require(made.status == 0, "\(made.stderr)")
        let id = try #require(sandbox.journal.jobs().last?.id)
        let result = try sandbox.run(["extend", id, "--prompt", "more"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(sandbox.createCount == 1)
    }

    @Test("edit: one job from the finished video, the MP4 in place; again pays for nothing")
    func edit() throws {
        let sandbox = try SandboxProcess()
        let id = try source(sandbox)
        let result = try sandbox.run(["edit", id, "--prompt", "in watercolour", "-o", "edited.mp4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("edited.mp4")))
        #expect(sandbox.createCount == 2)
        let again = try sandbox.run(["edit", id, "--prompt", "in watercolour", "-o", "edited.mp4"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(sandbox.createCount == 2)
    }

    @Test("openrouter: previous_job_id continues the source on its model; the same command again pays for nothing")
    func openRouterContinuation() throws {
        let sandbox = try SandboxProcess(provider: "openrouter")
        let id = try source(sandbox, seconds: "8")
        let arguments = ["extend", id, "--prompt", "the tide comes in", "--seconds", "4", "-o", "longer.mp4"]
        let result = try sandbox.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("longer.mp4")))
        #expect(sandbox.createCount == 2 && sandbox.jobCount == 2)
        let continued = try #require(sandbox.journal.jobs().last)
        #expect(continued.id != id)
        // The sandbox made it as a continuation: the portrait source's size, not the 16:9 a
        // fresh create without a size gets.
        let uploads = try #require(sandbox.report()["uploads"] as? [[String: Any]])
        #expect(uploads.last?["size"] as? String == "720x1280" && uploads.last?["model"] as? String == "google/veo-3.1", "\(uploads)")
        let again = try sandbox.run(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(sandbox.createCount == 2)
        // OpenRouter states no extension limits: what the model refuses is the service's to say.
        let refused = try sandbox.run(["extend", id, "--prompt", "more", "--seconds", "5"])
        #expect(refused.status != 0 && refused.status != 75, "\(refused.stderr)")
        #expect(sandbox.jobCount == 2)
        let edit = try sandbox.run(["edit", id, "--prompt", "in watercolour"])
        #expect(edit.status == 64 && edit.stderr.contains("openrouter cannot edit"), "\(edit.stderr)")
    }

    @Test("openrouter: a continuation whose answer is lost is left unconfirmed (75, no job list) until --resend-unconfirmed")
    func openRouterDropped() throws {
        // The source's answer is lost too, so its id is chosen to be known to the test.
        let sandbox = try SandboxProcess(["--fault", "chosen-id:gen-vid-1-source", "--fault", "drop-create:2"], provider: "openrouter")
        let made = try sandbox.run(["animate", photo, "--prompt", "the source", "-o", "source.mp4"])
        #expect(made.status == 75, "\(made.stderr)")
        let waited = try sandbox.run(["wait", "gen-vid-1-source", "--no-download"])
        try #require(waited.status == 0, "\(waited.stderr)")
        let arguments = ["extend", "gen-vid-1-source", "--prompt", "lost answer", "-o", "longer.mp4"]
        let first = try sandbox.run(arguments)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(sandbox.createCount == 2)
        let rerun = try sandbox.run(arguments)
        #expect(rerun.status == 75, "\(rerun.stderr)")
        #expect(sandbox.createCount == 2)
        let resent = try sandbox.run(arguments + ["--resend-unconfirmed"])
        #expect(resent.status == 0, "\(resent.stderr)")
        #expect(sandbox.createCount == 3)
        #expect(isMP4(sandbox.folder.file("longer.mp4")))
    }

    @Test("gemini cannot extend or edit: 64, and nothing reaches the service")
    func refusedElsewhere() throws {
        let sandbox = try SandboxProcess(provider: "gemini")
        for command in ["extend", "edit"] {
            let result = try sandbox.run([command, "models/veo-3.1-generate-preview/operations/abc", "--prompt", "more"])
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("gemini cannot \(command)"), "\(result.stderr)")
        }
        #expect(try sandbox.report()["requests"] as? Int == 0)
    }

    @Test("a base URL's query string (Azure's ?api-version=preview) is on every request: create, status, content, list, remix, extension, edit, delete")
    func queryString() throws {
        let sandbox = try SandboxProcess()
        let azure = ["OPENAI_BASE_URL": sandbox.baseURL + "?api-version=preview"]
        func run(_ arguments: [String]) throws {
            let result = try sandbox.run(arguments, environment: azure)
            #expect(result.status == 0, "\(arguments) \(result.stderr)")
        }
        try run(["animate", photo, "--prompt", "the source", "-o", "source.mp4"])
        let id = try #require(sandbox.journal.jobs().last?.id)
        try run(["remix", id, "--prompt", "remixed", "-o", "remix.mp4"])
        try run(["extend", id, "--prompt", "extended", "-o", "extended.mp4"])
        try run(["edit", id, "--prompt", "edited", "-o", "edited.mp4"])
        try run(["list"])
        try run(["delete", id])
        let seen = try #require(sandbox.report()["api_requests"] as? [[String: Any]])
        for request in seen {
            #expect((request["query"] as? [String: String])?["api-version"] == "preview", "\(request)")
        }
        let kinds = Set(seen.map { "\($0["method"] as? String ?? "") \(($0["path"] as? String ?? "").replacingOccurrences(of: id, with: "ID"))" })
        for kind in ["POST /v1/videos", "GET /v1/videos/ID", "GET /v1/videos/ID/content", "GET /v1/videos", "POST /v1/videos/ID/remix",
            "POST /v1/videos/extensions", "POST /v1/videos/edits", "DELETE /v1/videos/ID"]
        {
            #expect(kinds.contains(kind), "\(kind) not among \(kinds.sorted())")
        }
    }
}
