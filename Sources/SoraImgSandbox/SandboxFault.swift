import Foundation
import SoraImg

/// A failure the sandbox injects on purpose, so clients can test their retry, reconciliation
/// and error paths. Counts are shared by all requests to one server.
public enum SandboxFault: Sendable, Equatable, CustomStringConvertible {
    /// The first N creates answer 429 with `Retry-After: 1` and create nothing.
    case rateLimitCreate(Int)
    /// N status requests (a job's or an operation's state) answer 500.
    case errorStatus(Int)
    /// N content requests answer 503.
    case errorContent(Int)
    /// The first N valid creates make the job, then close the connection without answering.
    case dropCreate(Int)
    /// Every response is delayed by this many milliseconds.
    case slow(milliseconds: Int)
    /// Every job ends `failed` with this error code (for example `moderation_blocked`).
    case failJob(code: String)
    /// Content requests for finished jobs answer as expired.
    case expire
    /// Creates whose reference image shows a human face answer 400, as the service does.
    case rejectFaces
    /// The first N creates are reset (TCP RST) after half of their body was read; nothing is created.
    case resetCreate(Int)
    /// N content answers send the head with the full Content-Length and half the body, then close.
    case cutContent(Int)
    /// N successful status answers are 200 with a body that is not JSON.
    case garbageStatus(Int)
    /// N successful status answers are 200 with their JSON cut off halfway.
    case truncatedStatus(Int)
    /// The first N valid creates make the job, then answer 200 with the JSON cut off halfway.
    case truncatedCreate(Int)
    /// N API requests answer 502 with an HTML page, as a proxy in front of the service does.
    case htmlError(Int)
    /// Every API request answers 307 to the same path and query at this origin (`http://HOST:PORT`).
    case redirect(origin: String)
    /// Status and list answers declare a body of 1 TiB and stream filler until the client hangs up.
    case hugeResponse
    /// Status and list answers have no declared length and stream filler until the client hangs up.
    case endlessResponse
    /// N API requests are handled (a create makes its job) and never answered; the connection
    /// stays open until the client gives up.
    case noAnswer(Int)
    /// A create while N jobs are queued or in progress answers 429, as the service does when too
    /// many jobs run at once; nothing is created.
    case runningLimit(Int)
    /// The next job created gets exactly this id, whatever it holds (`../../x/y`, terminal
    /// escapes); repeated, each names one more job in turn.
    case chosenID(String)
    /// Job objects carry this JSON value as their progress, written exactly as given (`1e300`,
    /// `-5`, `"NaN"`).
    case progress(json: String)
    /// Job objects report this model instead of the one requested (`sora-2-2025-10-06`).
    case echoModel(String)
    /// Job objects report this prompt instead of the one requested (the prompt normalised).
    case echoPrompt(String)
    /// The list always holds one more job with the prompt, model, size and seconds of the
    /// latest create, made an hour before it: another client's older job.
    case foreignJob
    /// Content is sent at this many bytes a second, with its Content-Length.
    case trickleContent(bytesPerSecond: Int)
    /// N content answers declare no length, send half the body, and close: the end of the
    /// connection is the only sign that anything is missing.
    case unterminatedContent(Int)
    /// Jobs end `completed` yet carry an `error` object (`internal_error`).
    case completedWithError
    /// Job ids, statuses and error messages carry terminal escapes and BEL.
    case controlChars
    /// Operations end done with no video, filtered by the content-policy filter
    /// (`raiMediaFilteredCount` and `raiMediaFilteredReasons`), as the Gemini API reports it.
    case raiFilter

    /// The names `--fault` accepts, in the order `--help` lists them (from `catalogue`).
    public static var names: [String] { catalogue.map(\.name) }

    /// The help of the hostile-server faults, as `--help` shows it (from `catalogue`).
    public static var hostileServerHelp: String { help(for: .hostileServer) }

    /// The `--fault` text for this fault; `SandboxFault(parsing:)` reads it back.
    public var description: String {
        switch self {
        case .rateLimitCreate(let count): "rate-limit-create:\(count)"
        case .errorStatus(let count): "error-status:\(count)"
        case .errorContent(let count): "error-content:\(count)"
        case .dropCreate(let count): "drop-create:\(count)"
        case .slow(let milliseconds): "slow:\(milliseconds)"
        case .failJob(let code): "fail-job:\(code)"
        case .expire: "expire"
        case .rejectFaces: "reject-faces"
        case .resetCreate(let count): "reset-create:\(count)"
        case .cutContent(let count): "cut-content:\(count)"
        case .garbageStatus(let count): "garbage-status:\(count)"
        case .truncatedStatus(let count): "truncated-status:\(count)"
        case .truncatedCreate(let count): "truncated-create:\(count)"
        case .htmlError(let count): "html-error:\(count)"
        case .redirect(let origin): "redirect:\(origin)"
        case .hugeResponse: "huge-response"
        case .endlessResponse: "endless-response"
        case .noAnswer(let count): "no-answer:\(count)"
        case .runningLimit(let count): "running-limit:\(count)"
        case .chosenID(let id): "chosen-id:\(id)"
        case .progress(let json): "progress:\(json)"
        case .echoModel(let model): "echo-model:\(model)"
        case .echoPrompt(let prompt): "echo-prompt:\(prompt)"
        case .foreignJob: "foreign-job"
        case .trickleContent(let rate): "trickle-content:\(rate)"
        case .unterminatedContent(let count): "unterminated-content:\(count)"
        case .completedWithError: "completed-with-error"
        case .controlChars: "control-chars"
        case .raiFilter: "rai-filter"
        }
    }
}

extension SandboxFault {
    /// The longest `slow` delay accepted: ten minutes is already longer than any client waits.
    static let maximumDelay = 600_000

    /// Parses `NAME[:ARGUMENT]`: `rate-limit-create:2`, `error-status` (a count defaults to 1),
    /// `slow:500`, `fail-job:moderation_blocked`, `expire`, `reject-faces`, `redirect:http://localhost:8080`.
    public init(parsing text: String) throws(SandboxError) {
        let name: Substring
        let argument: Substring?
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            argument = text[text.index(after: colon)...]
        } else {
            name = text[...]
            argument = nil
        }
        guard let declaration = Self.catalogue.first(where: { $0.name == name }) else {
            throw Self.invalid(text, "'\(name)' is not a fault; the faults are \(Self.names.joined(separator: ", "))")
        }
        self = try declaration.parse(argument, text)
    }

    /// The fastest `trickle-content` rate accepted: at a gigabyte a second nothing trickles.
    static let maximumRate = 1_000_000_000

    /// The value a `progress` fault puts in job objects: a JSON number exactly as written, or
    /// any other JSON scalar (`"NaN"`, `null`); nil for anything else.
    static func progressValue(_ text: String) -> JSONValue? {
        if text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil { return .number(text) }
        switch JSONValue.parse(Array(text.utf8)) {
        case .array?, .object?, nil: return nil
        case let value?: return value
        }
    }

    /// A count after the colon: a whole number, 1 when absent.
    static func count(_ argument: Substring?, in text: String) throws(SandboxError) -> Int {
        guard let argument else { return 1 }
        guard let count = Int(argument), count >= 0 else {
            throw invalid(text, "expected a count (a whole number, 0 or more) after ':' but got '\(argument)'")
        }
        return count
    }

    /// `http://host:port` or `https://host[:port]`, without a trailing slash; nil for anything
    /// else (a path, a query, another scheme).
    static func origin(_ text: Substring) -> String? {
        guard let url = URL(string: String(text)), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil
        else { return nil }
        return text.hasSuffix("/") ? String(text.dropLast()) : String(text)
    }

    static func isCodeCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    static func invalid(_ text: String, _ reason: String) -> SandboxError {
        SandboxError(.invalidFault, "invalid fault '\(text)': \(reason)")
    }
}
