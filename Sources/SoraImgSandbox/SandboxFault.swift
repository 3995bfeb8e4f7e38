import SoraImg

/// A failure the sandbox injects on purpose, so clients can test their retry, reconciliation
/// and error paths (DESIGN.md §6). Counts are shared by all requests to one server.
public enum SandboxFault: Sendable, Equatable, CustomStringConvertible {
    /// The first N creates answer 429 with `Retry-After: 1` and create nothing.
    case rateLimitCreate(Int)
    /// N status requests (`GET /v1/videos/{id}`) answer 500.
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

    /// The names `--fault` accepts, in the order `--help` should list them.
    public static let names = [
        "rate-limit-create", "error-status", "error-content", "drop-create", "slow", "fail-job", "expire", "reject-faces",
    ]

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
        }
    }
}

extension SandboxFault {
    /// The longest `slow` delay accepted: ten minutes is already longer than any client waits.
    static let maximumDelay = 600_000

    /// Parses `NAME[:ARGUMENT]`: `rate-limit-create:2`, `error-status` (a count defaults to 1),
    /// `slow:500`, `fail-job:moderation_blocked`, `expire`, `reject-faces`.
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
        switch name {
        case "rate-limit-create": self = .rateLimitCreate(try Self.count(argument, in: text))
        case "error-status": self = .errorStatus(try Self.count(argument, in: text))
        case "error-content": self = .errorContent(try Self.count(argument, in: text))
        case "drop-create": self = .dropCreate(try Self.count(argument, in: text))
        case "slow":
            guard let argument, let milliseconds = Int(argument), (0...Self.maximumDelay).contains(milliseconds) else {
                throw Self.invalid(text, "slow needs a delay in milliseconds from 0 to \(Self.maximumDelay), as in slow:500")
            }
            self = .slow(milliseconds: milliseconds)
        case "fail-job":
            guard let argument, !argument.isEmpty, argument.allSatisfy(Self.isCodeCharacter) else {
                throw Self.invalid(text, "fail-job needs an error code of letters, digits, '_', '-' or '.', as in fail-job:moderation_blocked")
            }
            self = .failJob(code: String(argument))
        case "expire":
            guard argument == nil else { throw Self.invalid(text, "expire takes no value") }
            self = .expire
        case "reject-faces":
            guard argument == nil else { throw Self.invalid(text, "reject-faces takes no value") }
            guard FaceDetection.isAvailable else {
                throw Self.invalid(text, "this soraimg was built without face detection (the Faces package trait, which needs libdlib-dev)")
            }
            self = .rejectFaces
        default:
            throw Self.invalid(text, "'\(name)' is not a fault; the faults are \(Self.names.joined(separator: ", "))")
        }
    }

    /// A count after the colon: a whole number, 1 when absent.
    private static func count(_ argument: Substring?, in text: String) throws(SandboxError) -> Int {
        guard let argument else { return 1 }
        guard let count = Int(argument), count >= 0 else {
            throw invalid(text, "expected a count (a whole number, 0 or more) after ':' but got '\(argument)'")
        }
        return count
    }

    private static func isCodeCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    private static func invalid(_ text: String, _ reason: String) -> SandboxError {
        SandboxError(.invalidFault, "invalid fault '\(text)': \(reason)")
    }
}
