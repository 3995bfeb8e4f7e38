import SoraImg

/// Which provider's wire protocol a sandbox speaks: its paths under the origin, its auth header,
/// its validation, statuses and error bodies. The faults and the `/sandbox/...` report endpoints
/// are the same for every dialect.
public enum SandboxDialect: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    /// The OpenAI `/v1/videos` protocol (the default).
    case openai
    /// OpenRouter's video API: `POST /api/v1/videos` (202), polling by id, content by index.
    case openrouter
    /// The Gemini API's Veo long-running operations: `:predictLongRunning`, operations, files.
    case gemini
    /// xAI's video API: `POST /v1/videos/generations`, polled by request id (202 while pending),
    /// the video at a link outside the API root.
    case xai
    /// fal's queue at the origin: submit by model path, status, result and cancel at the URLs
    /// the submit names, fal storage's two upload protocols, and the CDN's files.
    case fal
    /// Replicate's predictions API: official-model creates, get, list, cancel, file uploads.
    case replicate

    public var description: String { rawValue }

    /// Parses a provider name as `--provider` and `SORAIMG_PROVIDER` give it.
    public init(parsing text: String) throws(SandboxError) {
        guard let dialect = SandboxDialect(rawValue: text) else {
            throw SandboxError(
                .invalidConfiguration,
                "unknown provider '\(text)'; the sandbox speaks \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = dialect
    }

    /// The client's facts about the same provider: one source for the API root and the key
    /// variables, so the sandbox serves where soraimg's default base URL points.
    public var provider: Provider { Provider(rawValue: rawValue)! }

    /// The API root under the origin, as the provider's base URL has it: `/v1`
    /// (api.openai.com/v1), `/api/v1` (openrouter.ai/api/v1), `/v1beta`
    /// (generativelanguage.googleapis.com/v1beta).
    public var apiRoot: String { provider.rootPath }

    /// The path components of `apiRoot`, as routing compares them.
    var rootComponents: [String] { apiRoot.split(separator: "/").map(String.init) }

    /// The environment variable the sandbox's note suggests for the key (for Gemini the one
    /// named after it, GEMINI_API_KEY; soraimg also reads GOOGLE_API_KEY).
    public var keyVariable: String { provider.keyVariables.last! }

    /// The API request a path names, once the API root is stripped; nil for anything else
    /// (another dialect's paths, the sandbox's own reports). Faults use it to find creates,
    /// status reads and content downloads in every dialect alike.
    func endpoint(method: String, components: [String]) -> SandboxEndpoint? {
        // xAI's video link lies outside the API root, as on its storage host.
        if self == .xai, method == "GET", components.count == 2, components[0] == SandboxAPI.xaiBucket { return .content }
        // Replicate's outputs live outside the API root, as replicate.delivery is another host.
        if self == .replicate, components.first == "delivery" { return method == "GET" ? .content : .other }
        let root = rootComponents
        guard components.count > root.count, Array(components.prefix(root.count)) == root else { return nil }
        let rest = Array(components.dropFirst(root.count))
        switch self {
        case .openai, .openrouter:
            // Only the video paths: other paths under /v1 are left alone, as they always were.
            guard rest.first == "videos" else { return nil }
            switch (method, rest.count) {
            case ("POST", 1): return .create
            case ("POST", 2) where self == .openai && ["extensions", "edits"].contains(rest[1]): return .create
            case ("GET", 1): return self == .openai ? .list : .other
            case ("GET", 2) where self == .openrouter && rest[1] == "models": return .models
            case ("GET", 2): return .status
            case ("GET", 3) where rest[2] == "content": return .content
            default: return .other
            }
        case .fal:
            return FalRoutes.endpoint(method: method, components: rest)
        case .gemini:
            // models/{model}:predictLongRunning, models/{model}/operations/{id}, files/{id}:download
            switch (method, rest.first, rest.count) {
            case ("POST", "models", 2) where rest[1].hasSuffix(":predictLongRunning"): return .create
            case ("GET", "models", 4) where rest[2] == "operations": return .status
            case ("GET", "files", 2) where rest[1].hasSuffix(":download"): return .content
            default: return .other
            }
        case .xai:
            switch (method, rest.first, rest.count) {
            case ("POST", "videos", 2) where rest[1] == "generations": return .create
            case ("GET", "videos", 2): return .status
            default: return .other
            }
        case .replicate:
            // models/{owner}/{name}/predictions, predictions, predictions/{id}
            switch (method, rest.first, rest.count) {
            case ("POST", "models", 4) where rest[3] == "predictions": return .create
            case ("GET", "predictions", 1): return .list
            case ("GET", "predictions", 2): return .status
            default: return .other
            }
        }
    }
}

/// The kinds of API request the faults tell apart.
enum SandboxEndpoint: Equatable {
    /// A request that makes a (billed) job.
    case create
    /// A read of one job's state.
    case status
    /// The job list (openai only).
    case list
    /// The video bytes.
    case content
    /// OpenRouter's model list.
    case models
    /// Any other path under the API root.
    case other
}
