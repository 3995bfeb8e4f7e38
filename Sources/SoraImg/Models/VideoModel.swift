/// A video model and what it accepts: sizes, durations and a reference price.
///
/// Each provider's known models have a table (`ModelCatalogue.swift` lists them with their
/// sources); OpenAI's dated snapshots (`sora-2-2025-12-08`) inherit their family's. Any other
/// name passes through with no table: its size must then be given explicitly, since soraimg
/// cannot know what a provider allows.
public struct VideoModel: Hashable, Sendable, CustomStringConvertible {
    /// The name sent as `model`.
    public let name: String
    /// The service the name belongs to: `veo-3.1` at Gemini is not OpenRouter's `google/veo-3.1`.
    public let provider: Provider
    /// The sizes the model allows; empty for a model soraimg does not know.
    public let sizes: [VideoSize]
    /// The durations the model allows, as the strings the API wants; empty when unknown.
    public let seconds: [String]
    /// The duration sent when `--seconds` is not given; nil when unknown.
    public let defaultSeconds: String?
    /// US dollars a second by size, for a model whose prices came from its provider's own
    /// list (OpenRouter's `pricing_skus`) rather than from a table here.
    public let listedPrices: [VideoSize: Double]

    public var isKnown: Bool { !sizes.isEmpty }
    public var description: String { name }

    public init(
        name: String, provider: Provider = .openai, sizes: [VideoSize], seconds: [String], defaultSeconds: String? = nil,
        listedPrices: [VideoSize: Double] = [:]
    ) {
        self.name = name
        self.listedPrices = listedPrices
        self.provider = provider
        self.sizes = sizes
        self.seconds = seconds
        self.defaultSeconds = defaultSeconds ?? seconds.first
    }

    /// The table for `name` at `provider`: a known model, an OpenAI dated snapshot, or a
    /// pass-through name.
    public init(named name: String, provider: Provider = .openai) {
        switch (provider, Self.family(of: name, at: provider)) {
        case (.openai, "sora-2"):
            self.init(name: name, provider: provider, sizes: Self.sora2Sizes, seconds: Self.standardSeconds, defaultSeconds: "4")
        case (.openai, "sora-2-pro"):
            self.init(name: name, provider: provider, sizes: Self.sora2ProSizes, seconds: Self.standardSeconds, defaultSeconds: "4")
        case (.openrouter, "google/veo-3.1"):
            self.init(name: name, provider: provider, sizes: Self.veoSizes, seconds: Self.veoSeconds, defaultSeconds: "8")
        case (.gemini, "veo-3.1-generate-preview"), (.gemini, "veo-3.1-fast-generate-preview"):
            self.init(name: name, provider: provider, sizes: Self.veoSizes, seconds: Self.veoSeconds, defaultSeconds: "8")
            secondsBySize = Self.veo1080pSeconds
        case (.xai, "grok-imagine-video"):
            self.init(name: name, provider: provider, sizes: Self.followImageSizes, seconds: (1...15).map(String.init), defaultSeconds: "8")
            followsImage = true
        case (.fal, "fal-ai/veo3.1/image-to-video"):
            self.init(name: name, provider: provider, sizes: Self.veoSizes, seconds: Self.veoSeconds, defaultSeconds: "8")
        case (.fal, "fal-ai/kling-video/v3/pro/image-to-video"):
            // No size field: the video follows the image (assumed; fal does not say), so the
            // 720p frames in either orientation.
            self.init(name: name, provider: provider, sizes: Self.sora2Sizes.reversed(), seconds: (3...15).map(String.init), defaultSeconds: "5")
        case (.replicate, "kwaivgi/kling-v2.5-turbo-pro"):
            self.init(name: name, provider: provider, sizes: [VideoSize(width: 1280, height: 720), VideoSize(width: 720, height: 1280)], seconds: ["5", "10"], defaultSeconds: "5")
            sizeRange = Self.klingStartImage
        default:
            self.init(name: name, provider: provider, sizes: [], seconds: [])
        }
    }

    /// The reference price in US dollars per second of video at `size`, when known (the
    /// provider's published list price, for `--dry-run`'s estimate; what is billed may differ).
    public func pricePerSecond(at size: VideoSize) -> Double? {
        if let listed = listedPrices[size] { return listed }
        switch (provider, Self.family(of: name, at: provider)) {
        case (.openai, "sora-2"): return 0.10
        case (.openai, "sora-2-pro"):
            switch max(size.width, size.height) {
            case ...1280: return 0.30
            case ...1792: return 0.50
            default: return 0.70
            }
        case (.openrouter, "google/veo-3.1"):
            return max(size.width, size.height) <= 1280 ? 0.50 : 0.75
        default: return nil
        }
    }

    /// `sora-2-pro-2025-10-06` → `sora-2-pro` at OpenAI; other names are their own family.
    static func family(of name: String, at provider: Provider = .openai) -> String {
        guard provider == .openai else { return name }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        // A dated snapshot ends in YYYY-MM-DD.
        if parts.count > 3 {
            let date = parts.suffix(3)
            let lengths = date.map(\.count)
            if lengths == [4, 2, 2], date.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
                return parts.dropLast(3).joined(separator: "-")
            }
        }
        return name
    }

    static let sora2Sizes = [
        VideoSize(width: 720, height: 1280), VideoSize(width: 1280, height: 720),
    ]
    static let sora2ProSizes =
        sora2Sizes + [
            VideoSize(width: 1024, height: 1792), VideoSize(width: 1792, height: 1024),
            VideoSize(width: 1080, height: 1920), VideoSize(width: 1920, height: 1080),
        ]
    static let standardSeconds = ["4", "8", "12", "16", "20"]
    /// Veo 3.1 is asked for 720p or 1080p at 16:9 or 9:16, never for pixels; no primary
    /// source gives the pixel sizes, so these are assumed (`soraimg models` says so).
    static let veoSizes = [
        VideoSize(width: 1280, height: 720), VideoSize(width: 720, height: 1280),
        VideoSize(width: 1920, height: 1080), VideoSize(width: 1080, height: 1920),
    ]
    static let veoSeconds = ["4", "6", "8"]
    /// What `--size auto` picks for a model whose video follows the image: 720p in the photo's
    /// orientation (xAI documents no pixel sizes; assumed, as `soraimg models` says).
    static let followImageSizes = [VideoSize(width: 1280, height: 720), VideoSize(width: 720, height: 1280)]
    /// 1080p only at 8 s: assumed from the Gemini API's video guide, which describes Veo 3.1's
    /// 1080p videos as 8-second ones, and from gateways that enforce it; no Google reference
    /// states the matrix, so `--seconds 4 --size 1920x1080` is refused rather than paid for.
    static let veo1080pSeconds = [VideoSize(width: 1920, height: 1080): ["8"], VideoSize(width: 1080, height: 1920): ["8"]]

    /// Kling's video follows its start image ("aspect_ratio ... ignored if start_image is
    /// provided", Replicate's kwaivgi/kling-v2.5-turbo-pro API page), so any size the image may
    /// have is one the video may have. The image limits are its sibling kwaivgi/kling-v4.0's
    /// ("min 300px, aspect ratio between 2:5 and 5:2"); v2.5's page states none, so assumed.
    static let klingStartImage = SizeRange(minimumSide: 300, narrowest: (2, 5), widest: (5, 2))

    /// Sizes beside `sizes` that the model takes with `--size WxH` (a model whose video
    /// follows the image); nil when only `sizes` are allowed.
    public internal(set) var sizeRange: SizeRange?

    /// The video follows the reference image: beside `sizes` (what `--size auto` and `max`
    /// pick), any `--size` from 300 px a side with an aspect from 2:5 to 5:2 is taken.
    public internal(set) var followsImage = false

    /// Whether `--size` may ask for `size`.
    public func allows(_ size: VideoSize) -> Bool {
        sizes.contains(size) || (followsImage && XAIRequest.allows(size)) || sizeRange?.contains(size) == true
    }

    /// Sizes the model makes only at some of its durations (Veo 3.1 at Gemini: 1080p only at
    /// 8 s); a size not listed takes every duration.
    public internal(set) var secondsBySize: [VideoSize: [String]] = [:]

    /// Refuses `seconds` at a size the model makes only at other durations.
    public func check(seconds: String, at size: VideoSize) throws(PrepError) {
        guard let allowed = secondsBySize[size], !allowed.contains(seconds) else { return }
        let smaller = sizes.filter { secondsBySize[$0] == nil && $0.isPortrait == size.isPortrait }.min()
        throw PrepError(
            .usage,
            "\(name) makes \(size) only at --seconds \(allowed.joined(separator: " or ")), not \(seconds.printable(limit: 20))"
                + (smaller.map { "; ask for --seconds \(allowed.joined(separator: " or ")), or --size \($0) for \(seconds.printable(limit: 20)) s" } ?? ""))
    }
}
