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
    /// The model families soraimg has tables for, the default first.
    public static let knownFamilies = ["sora-2", "sora-2-pro"]

    /// Every model soraimg has a table for.
    public static let catalogue: [ModelFacts] = knownFamilies.map { name in
        ModelFacts(
            provider: "openai", model: VideoModel(named: name), defaultSeconds: "4", firstFrame: true, assumed: false,
            source: "OpenAI's video generation guide and API pricing (platform.openai.com/docs/guides/video-generation)")
    }

    /// Refuses a model name that is almost one soraimg knows (`sora2`, `Sora-2`): it is
    /// far likelier a typo than a provider's own model, and sending it would cost a failed
    /// request at best. Any other unknown name passes, to be checked against `--size`.
    public static func checkSpelling(_ name: String) throws(PrepError) {
        guard !VideoModel(named: name).isKnown, let guess = EditDistance.suggestion(for: family(of: name), among: knownFamilies) else { return }
        throw PrepError(
            .usage,
            "unknown model '\(name.printable(limit: 80))'; did you mean \(guess)? (soraimg models lists the models it knows; another provider's model passes with --size WxH)")
    }
}
