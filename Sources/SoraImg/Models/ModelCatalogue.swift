/// What soraimg knows about each model it has a table for, as `soraimg models` shows it.
public struct ModelFacts: Sendable {
    /// The dialect that speaks to it (`openai`).
    public let provider: String
    public let model: VideoModel
    /// The duration sent when `--seconds` is not given.
    public let defaultSeconds: String
    /// A reference image is the video's first frame (rather than a loose style hint).
    public let firstFrame: Bool
    /// The table was inferred rather than read from the provider's own documentation.
    public let assumed: Bool
    /// Where the sizes, durations and prices come from.
    public let source: String

    /// US dollars a second at each size; a provider charges its own.
    public var pricePerSecond: [(size: VideoSize, usd: Double)] {
        model.sizes.compactMap { size in model.pricePerSecond(at: size).map { (size, $0) } }
    }
}

extension VideoModel {
    /// The models each provider has a table for, its default first.
    public static func knownNames(at provider: Provider) -> [String] {
        switch provider {
        case .openai: ["sora-2", "sora-2-pro"]
        case .openrouter: ["google/veo-3.1"]
        case .gemini: ["veo-3.1-generate-preview", "veo-3.1-fast-generate-preview"]
        case .xai: ["grok-imagine-video"]
        case .fal: ["fal-ai/veo3.1/image-to-video", "fal-ai/kling-video/v3/pro/image-to-video"]
        case .replicate: ["kwaivgi/kling-v2.5-turbo-pro"]
        }
    }

    /// Every model soraimg has a table for, by provider.
    public static let catalogue: [ModelFacts] = Provider.allCases.flatMap { provider in
        knownNames(at: provider).map { name in
            let model = VideoModel(named: name, provider: provider)
            return ModelFacts(
                provider: provider.rawValue, model: model, defaultSeconds: model.defaultSeconds ?? "", firstFrame: true,
                assumed: provider != .openai, source: source(at: provider))
        }
    }

    /// Where a provider's table comes from, and what in it is assumed.
    static func source(at provider: Provider) -> String {
        switch provider {
        case .openai:
            "OpenAI's video generation guide and API pricing (platform.openai.com/docs/guides/video-generation)"
        case .openrouter:
            "OpenRouter's video API reference and model page for google/veo-3.1, 2026-08 (resolution and aspect ratio, durations, price); the pixel sizes of 720p and 1080p are assumed"
        case .replicate:
            "Replicate's kwaivgi/kling-v2.5-turbo-pro API page, 2026-08 (start_image, duration; the video follows the image); the durations 5 and 10, the default 5, and the image limits (300 px a side, aspect 2:5 to 5:2, from kwaivgi/kling-v4.0's page) are assumed; no price is published per second"
        case .gemini:
            "Gemini API video guide (ai.google.dev/gemini-api/docs/video) and google-genai 2.34.0, 2026-08 (aspect ratio, resolution, durations); the pixel sizes of 720p and 1080p, and 1080p only at 8 s, are assumed; veo-3.1-fast-generate-preview's name from models.dev; no price is published"
        case .xai:
            "xAI's REST OpenAPI spec (xai-org/xai-sdk-ts spec/openapi.json: duration 1 to 15, default 8; the aspect follows the image); the video's pixels are assumed to follow the image, any size from 300 px a side with an aspect from 2:5 to 5:2 (1280x720 and 720x1280 for --size auto); no price is published"
        case .fal:
            "fal's generated model types (fal-ai/fal-js endpoints.ts, 2026-08): Veo 3.1 takes aspect_ratio 16:9 or 9:16, resolution 720p or 1080p and duration \"4s\", \"6s\" or \"8s\" (sent with the s); Kling v3 Pro takes duration \"3\" to \"15\" and no size, its video following the image; the pixel sizes are assumed; no price is confirmed for these endpoints"
        }
    }

    /// Refuses a model name that is almost one soraimg knows at `provider` (`sora2`,
    /// `Sora-2`, `google/veo3.1`): it is far likelier a typo than a provider's own model, and
    /// sending it would cost a failed request at best. Any other unknown name passes, to be
    /// checked against `--size`.
    public static func checkSpelling(_ name: String, provider: Provider = .openai) throws(PrepError) {
        let known = knownNames(at: provider)
        guard !VideoModel(named: name, provider: provider).isKnown,
            let guess = EditDistance.suggestion(for: family(of: name, at: provider), among: known)
        else { return }
        let listing = provider == .openai ? "soraimg models" : "soraimg models --provider \(provider)"
        throw PrepError(
            .usage,
            "unknown model '\(name.printable(limit: 80))'; did you mean \(guess)? (\(listing) lists the models it knows; another model passes with --size WxH)")
    }
}
