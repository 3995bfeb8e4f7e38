import Foundation

/// A video service `animate` can speak to, and the facts that differ between them: where its
/// API lives, which variables hold its key, how the key is sent and which model it defaults to.
/// Each provider's protocol is its dialect (`dialect(configuration:)`); everything else (prep,
/// the journal, retries, waiting, downloading) is shared.
public enum Provider: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// The OpenAI Videos protocol, as Azure OpenAI, LiteLLM proxies and gateways keep it.
    case openai
    /// OpenRouter's video API: one key, many models.
    case openrouter
    /// The Gemini API's Veo models (long-running operations).
    case gemini
    /// xAI's grok-imagine-video, over REST.
    case xai
    /// fal's queue: the photo uploaded to fal storage, the job followed by the URLs it names.
    case fal
    /// Replicate's predictions API (official models such as kwaivgi/kling-v2.5-turbo-pro).
    case replicate

    public var description: String { rawValue }

    /// The environment variables that may hold the key, searched in this order (for Gemini,
    /// google-genai's own order: GOOGLE_API_KEY wins over GEMINI_API_KEY).
    public var keyVariables: [String] {
        switch self {
        case .openai: ["OPENAI_API_KEY"]
        case .openrouter: ["OPENROUTER_API_KEY"]
        case .gemini: ["GOOGLE_API_KEY", "GEMINI_API_KEY"]
        case .xai: ["XAI_API_KEY"]
        case .fal: ["FAL_KEY"]
        case .replicate: ["REPLICATE_API_TOKEN"]
        }
    }

    /// The API root requests hang from.
    public var defaultBaseURL: String {
        switch self {
        case .openai: "https://api.openai.com/v1"
        case .openrouter: "https://openrouter.ai/api/v1"
        case .gemini: "https://generativelanguage.googleapis.com/v1beta"
        case .xai: "https://api.x.ai/v1"
        case .fal: "https://queue.fal.run"
        case .replicate: "https://api.replicate.com/v1"
        }
    }

    /// The path of the API root, which `soraimg sandbox --provider` serves under its origin.
    public var rootPath: String {
        URLComponents(string: defaultBaseURL)?.path ?? ""
    }

    /// The model used when `--model` is not given.
    public var defaultModel: String {
        switch self {
        case .openai: "sora-2"
        case .openrouter: "google/veo-3.1"
        case .gemini: "veo-3.1-generate-preview"
        case .xai: "grok-imagine-video"
        case .fal: "fal-ai/veo3.1/image-to-video"
        case .replicate: "kwaivgi/kling-v2.5-turbo-pro"
        }
    }

    /// How the key is sent unless `--auth` says otherwise (only the OpenAI protocol's gateways
    /// differ: Azure-style ones want `api-key`).
    public var defaultAuth: VideosConfiguration.AuthStyle {
        switch self {
        case .openai, .openrouter, .xai, .replicate: .bearer
        case .gemini: .googleAPIKey
        case .fal: .key
        }
    }

    /// The service refuses reference images that show a human face, so `animate` looks first
    /// and, by default, stops before paying for an upload it would refuse. Known without a
    /// key, so a dry run says the same as a real run.
    public var rejectsFaces: Bool {
        switch self {
        case .openai: OpenAIDialect.rejectsFaces
        case .openrouter, .gemini, .xai, .fal, .replicate: false
        }
    }

    /// Refuses a create this provider's protocol cannot express, before anything is sent.
    /// Known without a key, so a dry run refuses what a real run would.
    public func check(_ video: CreateVideo) throws(VideosError) {
        if video.fileID != nil, self != .openai { throw VideosError(.usage, "--input-file-id is for the openai protocol's gateways; \(self) takes the photo itself") }
        if self == .gemini { try GeminiDialect.check(video) }
        if self == .xai { try XAIDialect.check(video) }
        if self == .fal { try FalDialect.check(video) }
    }

    /// The provider named `text`, or an error listing the names (with the closest one first).
    public static func named(_ text: String, source: String) throws(VideosError) -> Provider {
        if let provider = Provider(rawValue: text.lowercased()) { return provider }
        let names = allCases.map(\.rawValue)
        let guess = EditDistance.suggestion(for: text.lowercased(), among: names).map { "did you mean \($0)? " } ?? ""
        throw VideosError(.usage, "\(source) names an unknown provider '\(text.printable(limit: 40))'; \(guess)soraimg speaks \(names.joined(separator: ", "))")
    }

    /// The dialect that speaks this provider's protocol.
    public func dialect(configuration: VideosConfiguration) throws(VideosError) -> any VideoDialect {
        switch self {
        case .openai: return OpenAIDialect(configuration: configuration)
        case .openrouter: return OpenRouterDialect(configuration: configuration)
        case .gemini: return GeminiDialect(configuration: configuration)
        case .xai: return XAIDialect(configuration: configuration)
        case .fal: return FalDialect(configuration: configuration)
        case .replicate: return ReplicateDialect(configuration: configuration)
        }
    }
}
