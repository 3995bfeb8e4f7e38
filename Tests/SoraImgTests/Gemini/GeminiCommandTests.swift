import Foundation
import Testing

@testable import SoraImg

/// The built binary with `--provider gemini` against a fake Gemini API answering in its own
/// shapes: a clean run, retried failures, a create whose answer never came, failed and
/// filtered jobs, a video on another origin or inline, and the key kept out of sight.
@Suite("Gemini provider (binary against a fake Gemini API)", .hangGuard)
struct GeminiCommandTests {
    private let photo = Paths.fixture("demo/holiday.jpg")

    /// The key in no output and no journal line, and only ever sent to the base URL's origin.
    private func expectKeyKept(_ gemini: FakeGemini, _ results: [CommandResult], sourceLocation: SourceLocation = #_sourceLocation) {
        for result in results {
            #expect(!result.stderr.contains(gemini.key) && !result.stdoutText.contains(gemini.key), "the key was shown", sourceLocation: sourceLocation)
        }
        let journal = (try? String(contentsOfFile: gemini.journal.path, encoding: .utf8)) ?? ""
        #expect(!journal.contains(gemini.key), "the key is in the journal", sourceLocation: sourceLocation)
        for request in gemini.requests where request.headers["host"] != "127.0.0.1:\(gemini.server.port)" {
            #expect(request.headers["x-goog-api-key"] == nil, "the key went to \(request.headers["host"] ?? "?")", sourceLocation: sourceLocation)
        }
    }

    /// The image a create carried, decoded from its `bytesBase64Encoded`, and the parameters.
    private func sent(_ create: ScriptedServer.Request) throws -> (image: [UInt8], parameters: [String: Any]) {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(create.body)) as? [String: Any])
        let instance = try #require((json["instances"] as? [[String: Any]])?.first)
        let image = try #require(instance["image"] as? [String: Any])
        #expect(image["mimeType"] as? String == "image/jpeg")
        let encoded = try #require(image["bytesBase64Encoded"] as? String)
        let bytes = try #require(Data(base64Encoded: encoded))
        return (Array(bytes), try #require(json["parameters"] as? [String: Any]))
    }

    @Test("a clean run: one create, the image exact and bare, the video verified and in place")
    func cleanRun() throws {
        let gemini = try FakeGemini(FakeGemini.Script(pollsRunning: 1))
        let input = gemini.folder.copy(photo)
        let result = try gemini.run(["animate", input, "--prompt", "waves roll in"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(gemini.creates.count == 1)
        let output = gemini.folder.file("holiday.mp4")
        #expect(FileManager.default.contents(atPath: output).map(Array.init) == FakeGemini.video)

        let create = try #require(gemini.creates.first)
        #expect(create.target == "/v1beta/models/veo-3.1-generate-preview:predictLongRunning")
        #expect(create.headers["content-type"] == "application/json" && create.headers["authorization"] == nil)
        let (image, parameters) = try sent(create)
        #expect(parameters["durationSeconds"] as? Int == 8 && parameters["resolution"] as? String == "720p")
        // The photo is upright landscape, so 16:9 at 1280x720.
        #expect(parameters["aspectRatio"] as? String == "16:9")
        let pixels = try Pixels(bytes: image)
        #expect(pixels.width == 1280 && pixels.height == 720)
        #expect(try MetadataCheck.libvipsFields(image) == [])
        let uploaded = gemini.folder.file("uploaded.jpg")
        #expect(FileManager.default.createFile(atPath: uploaded, contents: Data(image)))
        #expect(try MetadataCheck.exiftoolTags(uploaded) == [])
        #expect(!String(decoding: create.body, as: UTF8.self).contains("personGeneration"))

        let polls = gemini.requests.filter { $0.method == "GET" && $0.path.contains("/operations/") }
        #expect(polls.count == 2 && polls.allSatisfy { $0.target == "/v1beta/" + FakeGemini.operation(1) })
        let job = try #require(gemini.journal.jobs().first)
        #expect(gemini.journal.jobs().count == 1 && job.id == FakeGemini.operation(1))
        #expect(result.stdoutText.contains("holiday.mp4"), "\(result.stdoutText)")
        expectKeyKept(gemini, [result])

        // Run again: already made, nothing sent.
        let again = try gemini.run(["animate", input, "--prompt", "waves roll in"])
        #expect(again.status == 0 && gemini.creates.count == 1, "\(again.stderr)")
    }

    @Test("429 RESOURCE_EXHAUSTED, then success: retried, one job")
    func rateLimited() throws {
        let limited = ScriptedServer.Reply.json(429, #"{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}}"#)
        let gemini = try FakeGemini(FakeGemini.Script(createReplies: [limited]))
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "limited"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(gemini.creates.count == 2 && gemini.journal.jobs().map(\.id) == [FakeGemini.operation(2)])
        #expect(result.stderr.contains("429"), "\(result.stderr)")
        #expect(isMP4(gemini.folder.file("holiday.mp4")))
        expectKeyKept(gemini, [result])
    }

    @Test("500 on polls, then success")
    func pollErrors() throws {
        let gemini = try FakeGemini(FakeGemini.Script(pollErrors: 2))
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "flaky polls"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(gemini.creates.count == 1)
        #expect(isMP4(gemini.folder.file("holiday.mp4")))
    }

    @Test("a create dropped after its body: never resent by itself (75, unconfirmed in the journal); --resend-unconfirmed sends it")
    func droppedCreate() throws {
        let gemini = try FakeGemini(FakeGemini.Script(createReplies: [.drop]))
        let input = gemini.folder.copy(photo)
        let arguments = ["animate", input, "--prompt", "dropped"]
        let first = try gemini.run(arguments)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(gemini.creates.count == 1)
        #expect(first.stderr.contains("--resend-unconfirmed"), "\(first.stderr)")
        #expect(gemini.journal.unconfirmedCreates().count == 1 && gemini.journal.jobs().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: gemini.folder.file("holiday.mp4")))

        let rerun = try gemini.run(arguments)
        #expect(rerun.status == 75 && gemini.creates.count == 1, "\(rerun.stderr)")

        let resent = try gemini.run(arguments + ["--resend-unconfirmed"])
        #expect(resent.status == 0, "\(resent.stderr)")
        #expect(gemini.creates.count == 2 && isMP4(gemini.folder.file("holiday.mp4")))
        expectKeyKept(gemini, [first, rerun, resent])
    }

    @Test("a failed job: exit 1, its message shown, no file")
    func failedJob() throws {
        let gemini = try FakeGemini(FakeGemini.Script(outcome: .error(code: 3, message: "The input image could not be used for generation.")))
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "fails"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("The input image could not be used for generation."), "\(result.stderr)")
        #expect(result.stderr.contains(FakeGemini.operation(1)), "\(result.stderr)")
        #expect(gemini.folder.contents == ["holiday.jpg", "state"], "\(gemini.folder.contents)")
    }

    @Test("videos withheld by the safety filters: exit 1, the reasons shown, no file")
    func filtered() throws {
        let reason = "Veo could not generate 1 videos based on the prompt provided. Support codes: 42237218"
        let gemini = try FakeGemini(FakeGemini.Script(outcome: .filtered([reason])))
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "filtered"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains(reason) && result.stderr.contains("safety filters"), "\(result.stderr)")
        #expect(gemini.folder.contents == ["holiday.jpg", "state"], "\(gemini.folder.contents)")
    }

    @Test("a video URI on another origin is fetched without the key")
    func otherOrigin() throws {
        let gemini = try FakeGemini(FakeGemini.Script(outcome: .video(otherOrigin: true)))
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "elsewhere"])
        #expect(result.status == 0, "\(result.stderr)")
        let fetched = try #require(gemini.requests.first { $0.path == "/cdn/video.mp4" })
        #expect(fetched.headers["host"] == "localhost:\(gemini.server.port)")
        #expect(fetched.headers["x-goog-api-key"] == nil && fetched.headers["authorization"] == nil)
        #expect(FileManager.default.contents(atPath: gemini.folder.file("holiday.mp4")).map(Array.init) == FakeGemini.video)
        expectKeyKept(gemini, [result])
    }

    @Test("an inline video is written and verified with no download request")
    func inline() throws {
        let gemini = try FakeGemini(FakeGemini.Script(outcome: .inline))
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "inline"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: gemini.folder.file("holiday.mp4")).map(Array.init) == FakeGemini.video)
        #expect(!gemini.requests.contains { $0.path.contains("/files/") || $0.path.contains("/cdn/") })
    }

    @Test("--no-wait, then status, download, list and wait by the operation name; thumbnails, delete and remix refused")
    func jobCommands() throws {
        let gemini = try FakeGemini()
        let made = try gemini.run(["animate", "--prompt", "text only", "--no-wait"])
        #expect(made.status == 0, "\(made.stderr)")
        let id = FakeGemini.operation(1)
        #expect(made.stdoutText.contains(id), "\(made.stdoutText)")

        let status = try gemini.run(["status", id, "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(try status.json()["status"] as? String == "completed")

        let thumbnail = try gemini.run(["download", id, "--variant", "video,thumbnail"])
        #expect(thumbnail.status == 64, "\(thumbnail.stderr)")
        let before = gemini.requests.count
        let download = try gemini.run(["download", id, "-o", "later.mp4"])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(isMP4(gemini.folder.file("later.mp4")))
        #expect(gemini.requests.count == before + 2, "one status, one download")

        // No job list at the service: the journal's jobs are listed. No delete, no remix.
        let list = try gemini.run(["list"])
        #expect(list.status == 0 && list.stdoutText.contains(id), "\(list.stdoutText)\n\(list.stderr)")
        let requestsBefore = gemini.requests.count
        let delete = try gemini.run(["delete", id])
        let remix = try gemini.run(["remix", id, "--prompt", "at night"])
        #expect(delete.status == 64 && remix.status == 64, "\(delete.stderr)\n\(remix.stderr)")
        #expect(gemini.requests.count == requestsBefore)

        let waited = try gemini.run(["wait", id, "-o", "waited.mp4"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(isMP4(gemini.folder.file("waited.mp4")), "\(gemini.folder.contents)")
        expectKeyKept(gemini, [made, status, download, waited])
    }

    @Test("download while the operation runs: 75, still running, nothing written")
    func downloadWhileRunning() throws {
        let gemini = try FakeGemini(FakeGemini.Script(pollsRunning: 1000))
        let made = try gemini.run(["animate", "--prompt", "slow", "--no-wait"])
        #expect(made.status == 0, "\(made.stderr)")
        let result = try gemini.run(["download", FakeGemini.operation(1), "-o", "early.mp4"])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("still running"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: gemini.folder.file("early.mp4")))
    }

    @Test("a refused key: exit 77, naming both variables, the key not shown")
    func badKey() throws {
        let gemini = try FakeGemini()
        let result = try gemini.run(["animate", gemini.folder.copy(photo), "--prompt", "bad key"], environment: ["GOOGLE_API_KEY": "AIza-wrong-key-000"])
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("GOOGLE_API_KEY") && result.stderr.contains("GEMINI_API_KEY"), "\(result.stderr)")
        #expect(!result.stderr.contains("AIza-wrong-key-000"))
        // GEMINI_API_KEY is read when GOOGLE_API_KEY is not set.
        var environment = gemini.environment
        environment.removeValue(forKey: "GOOGLE_API_KEY")
        environment["GEMINI_API_KEY"] = gemini.key
        let second = try soraimg(
            ["animate", gemini.folder.copy(photo, as: "second.jpg"), "--prompt", "gemini key", "--provider", "gemini", "--base-url", gemini.base],
            in: gemini.folder.path, environment: environment, timeLimit: 240)
        #expect(second.status == 0, "\(second.stderr)")
    }

    @Test("a dry run: Veo's fields, no price (null), nothing sent; 1080p at 4 s refused before anything is sent")
    func dryRun() throws {
        let gemini = try FakeGemini()
        let input = gemini.folder.copy(photo)
        let result = try gemini.run(["animate", input, "--prompt", "dry", "--dry-run", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.json()
        #expect(json["estimated_usd"] is NSNull, "\(result.stdoutText)")
        let request = try #require((json["requests"] as? [[String: Any]])?.first)
        #expect(request["provider"] as? String == "gemini" && request["model"] as? String == "veo-3.1-generate-preview")
        #expect(request["estimated_usd"] is NSNull && request["seconds"] as? String == "8" && request["size"] as? String == "1280x720")

        let refused = try gemini.run(["animate", input, "--prompt", "too short", "--size", "1080x1920", "--seconds", "4"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("--seconds 8"), "\(refused.stderr)")
        let maximum = try gemini.run(["animate", input, "--prompt", "too short", "--size", "max", "--seconds", "6"])
        #expect(maximum.status == 64, "\(maximum.stderr)")
        #expect(gemini.requests.isEmpty)
    }
}
