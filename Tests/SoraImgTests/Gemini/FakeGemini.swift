import Foundation

@testable import SoraImg

/// The Gemini API's Veo flow as a test scripts it, on a `ScriptedServer`, in the shapes
/// google-genai 2.34.0 reads: `POST /v1beta/models/{model}:predictLongRunning` answers an
/// operation name; `GET /v1beta/{name}` answers not done, then done with an error, a sample
/// (its URI on this origin, or on another: `localhost` instead of `127.0.0.1`), an inline
/// video, or videos withheld by the safety filters. Every `/v1beta` request must carry the
/// key as `x-goog-api-key`, else it gets the service's `API_KEY_INVALID` answer.
final class FakeGemini: @unchecked Sendable {
    enum Outcome: Sendable {
        case video(otherOrigin: Bool)
        case inline
        case error(code: Int, message: String)
        case filtered([String])
    }

    struct Script: Sendable {
        /// Answers to the first creates, in order; later creates make an operation.
        var createReplies: [ScriptedServer.Reply] = []
        /// The first polls answer 500.
        var pollErrors = 0
        /// Then this many polls say not done.
        var pollsRunning = 0
        var outcome = Outcome.video(otherOrigin: false)
    }

    static let model = "veo-3.1-generate-preview"
    static let video = Array(FileManager.default.contents(atPath: Paths.fixture("sandbox/video.mp4")) ?? Data())

    /// A key no one would type by chance, so every output can be searched for it.
    let key = "AIza-gemini-test-\(UUID().uuidString.prefix(12))"
    let folder = Paths.temporaryFolder("gemini")
    private(set) var server: ScriptedServer!
    private let state = State()

    private final class State: @unchecked Sendable {
        var creates = 0
        var polls = 0
    }

    init(_ script: Script = Script()) throws {
        let key = self.key
        let state = self.state
        server = try ScriptedServer { request in Self.answer(request, script: script, key: key, state: state) }
    }

    deinit { server.stop() }

    var base: String { "http://127.0.0.1:\(server.port)/v1beta" }
    var requests: [ScriptedServer.Request] { server.requests }
    var creates: [ScriptedServer.Request] { requests.filter { $0.method == "POST" } }
    var journal: JobJournal { JobJournal(path: folder.file("state/soraimg/jobs.jsonl")) }
    static func operation(_ number: Int) -> String { "models/\(model)/operations/op\(number)" }

    /// The environment of a user with a Gemini key and nothing else set.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("OPENAI_") || name.hasPrefix("SORAIMG_") || name.hasPrefix("GEMINI_") || name.hasPrefix("GOOGLE_") {
            environment.removeValue(forKey: name)
        }
        environment["GOOGLE_API_KEY"] = key
        environment["XDG_STATE_HOME"] = folder.file("state")
        environment["SORAIMG_HTTP_TIMEOUT"] = "10s"
        return environment
    }

    /// Runs soraimg with `--provider gemini --base-url` this server, in the test's folder.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
        try soraimg(
            arguments + ["--provider", "gemini", "--base-url", base], in: folder.path, environment: environment.merging(extra) { $1 },
            timeLimit: 240)
    }

    private static func answer(_ request: ScriptedServer.Request, script: Script, key: String, state: State) -> ScriptedServer.Reply {
        let path = request.path
        if path == "/cdn/video.mp4" {
            return .answer(status: 200, headers: ["Content-Type": "video/mp4"], body: video)
        }
        guard request.headers["x-goog-api-key"] == key else {
            return .json(
                400,
                #"{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}"#)
        }
        if request.method == "POST", path == "/v1beta/models/\(model):predictLongRunning" {
            state.creates += 1
            if state.creates <= script.createReplies.count { return script.createReplies[state.creates - 1] }
            return .json(200, #"{"name": "\#(operation(state.creates))"}"#)
        }
        if request.method == "GET", path.hasPrefix("/v1beta/models/\(model)/operations/op") {
            let name = String(path.dropFirst("/v1beta/".count))
            state.polls += 1
            if state.polls <= script.pollErrors {
                return .json(500, #"{"error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}}"#)
            }
            if state.polls <= script.pollErrors + script.pollsRunning {
                return .json(200, #"{"name": "\#(name)", "metadata": {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningMetadata"}}"#)
            }
            let response: String
            switch script.outcome {
            case .video(let otherOrigin):
                let uri = otherOrigin ? "http://localhost:\(request.headers["host"]?.split(separator: ":").last ?? "")/cdn/video.mp4" : "http://\(request.headers["host"] ?? "")/v1beta/files/vid1:download?alt=media"
                response = #""response": {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse", "generateVideoResponse": {"generatedSamples": [{"video": {"uri": "\#(uri)"}}]}}"#
            case .inline:
                response = #""response": {"generateVideoResponse": {"generatedSamples": [{"video": {"encodedVideo": "\#(Data(video).base64EncodedString())", "encoding": "video/mp4"}}]}}"#
            case .error(let code, let message):
                response = #""error": {"code": \#(code), "message": "\#(message)"}"#
            case .filtered(let reasons):
                let list = reasons.map { "\"\($0)\"" }.joined(separator: ", ")
                response = #""response": {"generateVideoResponse": {"raiMediaFilteredCount": \#(reasons.count), "raiMediaFilteredReasons": [\#(list)]}}"#
            }
            return .json(200, #"{"name": "\#(name)", "done": true, \#(response)}"#)
        }
        if request.method == "GET", path == "/v1beta/files/vid1:download" {
            return .answer(status: 200, headers: ["Content-Type": "video/mp4"], body: video)
        }
        return .json(404, #"{"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}"#)
    }
}
