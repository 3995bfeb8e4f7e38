import Foundation

/// One model of OpenRouter's `GET /videos/models` (`VideoModel` in its OpenAPI spec), reduced
/// to what soraimg uses: the sizes, durations, frame kinds and prices it states. Every field is
/// read leniently: a member soraimg does not know (a new resolution, a price in another unit)
/// is left out rather than failing the whole list.
public struct OpenRouterModel: Codable, Sendable, Equatable {
    public let id: String
    public let name: String?
    /// `supported_sizes` as pixel sizes; empty when the model states none.
    public let supportedSizes: [VideoSize]
    public let supportedResolutions: [String]
    public let supportedAspectRatios: [String]
    public let supportedDurations: [Int]
    /// `first_frame`, `last_frame`: the frame kinds it accepts; nil when the model states nothing.
    public let supportedFrameImages: [String]?
    /// SKU name → US dollars, as the service states them ("values as strings" in the spec).
    public let pricingSKUs: [String: Double]

    public init(
        id: String, name: String? = nil, supportedSizes: [VideoSize] = [], supportedResolutions: [String] = [], supportedAspectRatios: [String] = [],
        supportedDurations: [Int] = [], supportedFrameImages: [String]? = nil, pricingSKUs: [String: Double] = [:]
    ) {
        self.id = id
        self.name = name
        self.supportedSizes = supportedSizes
        self.supportedResolutions = supportedResolutions
        self.supportedAspectRatios = supportedAspectRatios
        self.supportedDurations = supportedDurations
        self.supportedFrameImages = supportedFrameImages
        self.pricingSKUs = pricingSKUs
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case supportedSizes = "supported_sizes"
        case supportedResolutions = "supported_resolutions"
        case supportedAspectRatios = "supported_aspect_ratios"
        case supportedDurations = "supported_durations"
        case supportedFrameImages = "supported_frame_images"
        case pricingSKUs = "pricing_skus"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try? container.decodeIfPresent(String.self, forKey: .name)
        func strings(_ key: CodingKeys) -> [String]? {
            (try? container.decodeIfPresent([LenientString].self, forKey: key))?.map { $0.compactMap(\.value) }
        }
        var sizes: [VideoSize] = []
        for size in strings(.supportedSizes) ?? [] {
            if let parsed = VideoSize(parsing: size), !sizes.contains(parsed) { sizes.append(parsed) }
        }
        supportedSizes = sizes
        supportedResolutions = strings(.supportedResolutions) ?? []
        supportedAspectRatios = strings(.supportedAspectRatios) ?? []
        // Whole seconds from 1 to an hour; anything else is a broken member.
        let durations = (try? container.decodeIfPresent([LenientNumber].self, forKey: .supportedDurations))??.compactMap(\.value) ?? []
        var seconds: [Int] = []
        for value in durations where value.isFinite && value == value.rounded() && value >= 1 && value <= 3600 && !seconds.contains(Int(value)) {
            seconds.append(Int(value))
        }
        supportedDurations = seconds
        supportedFrameImages = strings(.supportedFrameImages)
        var prices: [String: Double] = [:]
        if let skus = try? container.decodeIfPresent([String: LenientNumber].self, forKey: .pricingSKUs) {
            for (sku, price) in skus {
                if let usd = price.value, usd.isFinite, usd >= 0, usd < 10_000 { prices[sku] = usd }
            }
        }
        pricingSKUs = prices
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(supportedSizes.map(\.description), forKey: .supportedSizes)
        try container.encode(supportedResolutions, forKey: .supportedResolutions)
        try container.encode(supportedAspectRatios, forKey: .supportedAspectRatios)
        try container.encode(supportedDurations, forKey: .supportedDurations)
        try container.encodeIfPresent(supportedFrameImages, forKey: .supportedFrameImages)
        try container.encode(pricingSKUs.mapValues { String($0) }, forKey: .pricingSKUs)
    }

    /// The sizes soraimg can make for it: `supported_sizes` when stated; else each stated
    /// resolution at 16:9 and 9:16 (when those aspect ratios are stated, or none are) with the
    /// assumed pixels of `OpenRouterResolution`.
    public var sizes: (sizes: [VideoSize], assumed: Bool) {
        if !supportedSizes.isEmpty { return (supportedSizes, false) }
        let ratios = supportedAspectRatios.isEmpty ? ["16:9", "9:16"] : supportedAspectRatios
        var sizes: [VideoSize] = []
        for resolution in supportedResolutions {
            for ratio in ratios {
                if let size = OpenRouterResolution.size(resolution: resolution, aspectRatio: ratio), !sizes.contains(size) { sizes.append(size) }
            }
        }
        return (sizes, true)
    }

    /// Whether a photo can be sent as the first frame. A model that states no frame kinds
    /// (`supported_frame_images` null) is taken to take none: sending one would be refused or,
    /// worse, ignored after paying.
    public var acceptsFirstFrame: Bool { supportedFrameImages?.contains("first_frame") ?? false }

    /// US dollars a second of video at `size`: the `per-video-second-<resolution>` SKU when
    /// there is one, else `per-video-second` (the names in OpenRouter's video guide). Other
    /// SKUs are in units soraimg cannot convert ("can differ by provider", per its cookbook).
    public func pricePerSecond(at size: VideoSize) -> Double? {
        if let pair = OpenRouterResolution.pair(for: size), let price = pricingSKUs["per-video-second-\(pair.resolution)"] { return price }
        return pricingSKUs["per-video-second"]
    }

    /// The table `animate` and `prep` use.
    public var videoModel: VideoModel {
        let sizes = sizes.sizes
        let prices = Dictionary(sizes.compactMap { size in pricePerSecond(at: size).map { (size, $0) } }, uniquingKeysWith: { first, _ in first })
        // The first duration listed is the default, as OpenRouter's own examples take it.
        return VideoModel(name: id, provider: .openrouter, sizes: sizes, seconds: supportedDurations.map(String.init), listedPrices: prices)
    }

    /// What `soraimg models` says about it.
    public var facts: ModelFacts {
        let model = videoModel
        let (_, assumed) = sizes
        let how = supportedSizes.isEmpty
            ? "sizes from supported_resolutions x supported_aspect_ratios with assumed pixels (480p 854x480, 720p 1280x720, 1080p 1920x1080)"
            : "sizes from supported_sizes"
        return ModelFacts(
            provider: Provider.openrouter.rawValue, model: model, defaultSeconds: model.defaultSeconds ?? "", firstFrame: acceptsFirstFrame,
            assumed: assumed && !model.sizes.isEmpty, source: "OpenRouter's GET /videos/models; \(how)")
    }
}

/// A string member, or nil for anything else (a number where a string belongs).
private struct LenientString: Decodable {
    let value: String?
    init(from decoder: any Decoder) throws { value = try? decoder.singleValueContainer().decode(String.self) }
}

/// A number written as a number or as a string ("0.50"); nil for anything else.
private struct LenientNumber: Decodable {
    let value: Double?
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            value = Double(text.trimmingCharacters(in: .whitespaces))
        } else {
            value = nil
        }
    }
}
