import Foundation

/// What the user asked for, as the key the journal files a job under. It holds the user's own
/// words and bytes, never what a service echoed back (a service may answer with a dated model
/// name or its own rewording of the prompt), so the same command run again finds the job it
/// already paid for.
public struct JobRequest: Sendable, Equatable, Codable {
    /// What the job does: a new video, a remix or an extension of an earlier one.
    public enum Action: Sendable, Equatable, Codable {
        case create
        case remix(of: String)
        case extend(of: String)
        case edit(of: String)
    }

    public var action: Action
    /// The dialect's name (`openai`, ...).
    public var provider: String
    /// The API root with any credentials removed.
    public var baseURL: String
    public var model: String
    public var size: String?
    public var seconds: String?
    public var prompt: String
    /// The photo's absolute path (`-` for standard input); nil for a job without one.
    public var input: String?
    /// SHA-256 of the image as uploaded: the same path with other bytes is another request.
    public var referenceSHA256: String?

    public init(
        action: Action = .create, provider: String, baseURL: String, model: String, size: String?, seconds: String?, prompt: String,
        input: String?, referenceSHA256: String?
    ) {
        self.action = action
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
        self.size = size
        self.seconds = seconds
        self.prompt = prompt
        self.input = input
        self.referenceSHA256 = referenceSHA256
    }

    /// 64 hex digits naming this request: SHA-256 of its fields in a fixed order, each
    /// length-prefixed so no two requests can run together into the same text.
    public var fingerprint: String {
        let action: String = switch self.action {
        case .create: "create"
        case .remix(let id): "remix:" + id
        case .extend(let id): "extend:" + id
        case .edit(let id): "edit:" + id
        }
        let fields = [action, provider, baseURL, model, size ?? "", seconds ?? "", prompt, input ?? "", referenceSHA256 ?? ""]
        var text = "soraimg-job-1"
        for field in fields { text += "\n\(field.utf8.count):\(field)" }
        return Digest.sha256(Array(text.utf8))
    }
}
