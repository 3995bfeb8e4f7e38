/// Why a Videos API call or job did not succeed, with what the user can do about it.
///
/// A struct around a kind (so tests compare kinds and new kinds break nobody). It keeps the
/// HTTP status, the service's request id and its error code for every report, and never the
/// API key: messages from the server are redacted before they get here.
public struct VideosError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case usage
        /// The key was refused (401, 403).
        case auth
        /// The service said the request is wrong (400 and the like).
        case invalidRequest
        /// No such video (404 on a video id).
        case notFound
        /// The base URL does not serve the Videos API (404 on /videos, unknown model).
        case endpointGone
        /// Still rate limited after every retry.
        case rateLimited
        /// The service or the connection kept failing.
        case unavailable
        /// The job ended failed (moderation and the like).
        case jobFailed
        /// The content is gone (`expires_at` passed).
        case expired
        /// The deadline passed while the job was still running; `soraimg wait` resumes.
        case deadline
        /// Ctrl-C; `soraimg wait` resumes.
        case interrupted
        /// A create was sent and its outcome could not be learned, at a provider with no job
        /// list to check: never resent without the user's word.
        case unconfirmed
        /// A download did not hold what it claimed, or could not be written.
        case badContent
        case cannotWrite
    }

    public var kind: Kind
    public var message: String
    public var status: Int?
    public var requestID: String?
    public var code: String?
    /// What to do about it, when there is something.
    public var hint: String?
    /// The job concerned, when one exists: always printed, so no paid job is lost.
    public var videoID: String?
    /// A create was sent and its outcome could not be learned (no answer, and the job list
    /// could not be read): the service may have made a job whose id soraimg does not know.
    public var mayHaveCreated = false
    /// What the user can do, as a fact for the front end to word: the library names no flag
    /// and no command; the CLI turns a cause into `--force`, `soraimg wait ID` and the like.
    public var cause: Cause?

    /// The situations a user acts on, with what the words need.
    public enum Cause: Sendable, Equatable {
        /// A file is in the way and would be replaced only when asked.
        case outputExists(path: String)
        /// The job goes on at the service and can be resumed (deadline, Ctrl-C, a lost connection).
        case resumable(id: String)
        /// A create may have made a job that could not be confirmed; sending it again could pay
        /// twice. `canList`: the provider has a job list to look in.
        case unconfirmedCreate(canList: Bool)
        /// A download ended incomplete; fetching it again may work.
        case downloadAgain(id: String)
        /// The job is still running: nothing to download yet.
        case stillRunning(id: String)
    }

    public init(_ kind: Kind, _ message: String, status: Int? = nil, requestID: String? = nil, code: String? = nil, hint: String? = nil, videoID: String? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.requestID = requestID
        self.code = code
        self.hint = hint
        self.videoID = videoID
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .usage: .usage
        case .auth: .authRefused
        case .invalidRequest, .badContent: .badInput
        case .notFound, .expired: .inputMissing
        case .endpointGone, .unavailable: .serviceUnavailable
        case .rateLimited, .deadline, .interrupted, .unconfirmed: .temporaryFailure
        case .jobFailed: .jobFailed
        case .cannotWrite: .cannotCreateOutput
        }
    }

    /// The whole report: message, code, status, request id, then the hint.
    public var description: String {
        var text = message
        var facts: [String] = []
        if let code { facts.append("code \(code)") }
        if let status { facts.append("HTTP \(status)") }
        if let requestID { facts.append("request \(requestID)") }
        if !facts.isEmpty { text += " (\(facts.joined(separator: ", ")))" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
