import Foundation
import Testing

@testable import SoraImg

/// OpenRouter's video API as its OpenAPI spec and guides describe it, played by a
/// `ScriptedServer` under `/api/v1`: creates answered 202 with `id` and `polling_url`, polls
/// that say `in_progress` once and then `completed` with a cost, the video at
/// `/videos/{id}/content?index=0`, the model list at `/videos/models`. A test queues other
/// answers (429s, 500s, dropped connections, failures) in front of these.
final class FakeOpenRouter: @unchecked Sendable {
    final class Script: @unchecked Sendable {
        let lock = NSLock()
        var creates: [ScriptedServer.Reply] = []
        var polls: [ScriptedServer.Reply] = []
        var pollingURL: (String) -> String = { "/api/v1/videos/\($0)" }
        var finished: (String) -> String = { #"{"id":"\#($0)","status":"completed","usage":{"cost":4.0,"is_byok":false}}"# }
        var content: ScriptedServer.Reply = .answer(status: 200, headers: ["Content-Type": "video/mp4"], body: FakeOpenRouter.video)
        var models = OpenRouterModelTests.listing
        /// The ids of the next jobs made, as JSON string contents (escapes written out);
        /// `job-N` once they run out.
        var ids: [String] = []
        var made = 0
        var polled: [String: Int] = [:]

        func answer(_ request: ScriptedServer.Request) -> ScriptedServer.Reply {
            lock.withLock {
                let path = request.path
                switch (request.method, path) {
                case ("GET", "/api/v1/videos/models"):
                    return .json(200, models)
                case ("POST", "/api/v1/videos"):
                    if !creates.isEmpty { return creates.removeFirst() }
                    made += 1
                    let id = ids.isEmpty ? "job-\(made)" : ids.removeFirst()
                    return .json(202, #"{"id":"\#(id)","generation_id":"gen-\#(made)","polling_url":"\#(pollingURL(id))","status":"pending"}"#)
                case ("GET", _) where path.hasPrefix("/api/v1/videos/") && path.hasSuffix("/content"):
                    return content
                case ("GET", _) where path.hasPrefix("/api/v1/videos/"):
                    let id = String(path.dropFirst("/api/v1/videos/".count))
                    if !polls.isEmpty { return polls.removeFirst() }
                    polled[id, default: 0] += 1
                    if polled[id] == 1 { return .json(200, #"{"id":"\#(id)","polling_url":"/api/v1/videos/\#(id)","status":"in_progress"}"#) }
                    return .json(200, finished(id))
                default:
                    return .json(404, #"{"error":{"code":404,"message":"Not Found"}}"#)
                }
            }
        }
    }

    static let video: [UInt8] = Array(FileManager.default.contents(atPath: Paths.fixture("sandbox/video.mp4")) ?? Data())

    let script = Script()
    let server: ScriptedServer
    let key = "sk-or-v1-test-\(UUID().uuidString.prefix(12))"
    let folder = Paths.temporaryFolder("openrouter")
    var baseURL: String { server.origin + "/api/v1" }

    init() throws {
        let script = script
        server = try ScriptedServer { script.answer($0) }
    }

    deinit { server.stop() }

    var journal: JobJournal { JobJournal(path: folder.file("state/soraimg/jobs.jsonl")) }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_BASE_URL", "OPENAI_API_KEY", "SORAIMG_AUTH", "SORAIMG_BASE_URL", "SORAIMG_PROVIDER", "OPENROUTER_API_KEY"] {
            environment.removeValue(forKey: name)
        }
        environment["SORAIMG_PROVIDER"] = "openrouter"
        environment["SORAIMG_BASE_URL"] = baseURL
        environment["OPENROUTER_API_KEY"] = key
        environment["XDG_STATE_HOME"] = folder.file("state")
        environment["XDG_CACHE_HOME"] = folder.file("cache")
        environment["SORAIMG_HTTP_TIMEOUT"] = "5s"
        return environment
    }

    /// Runs soraimg in the test's folder against this server; the key must never show.
    func run(_ arguments: [String], environment extra: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let result = try soraimg(arguments, in: folder.path, environment: environment.merging(extra) { $1 }, timeLimit: 300)
        #expect(!result.stderr.contains(key) && !result.stdoutText.contains(key), "the key was shown", sourceLocation: sourceLocation)
        let journalText = (try? String(contentsOfFile: journal.path, encoding: .utf8)) ?? ""
        #expect(!journalText.contains(key), "the key is in the journal", sourceLocation: sourceLocation)
        return result
    }

    var creates: [ScriptedServer.Request] { server.requests.filter { $0.method == "POST" } }

    /// Every request carried the key, and only as `Authorization: Bearer`.
    func expectKeyOnEveryRequest(sourceLocation: SourceLocation = #_sourceLocation) {
        for request in server.requests where request.path != "/api/v1/videos/models" {
            #expect(request.headers["authorization"] == "Bearer \(key)", "\(request.method) \(request.target)", sourceLocation: sourceLocation)
        }
    }
}
