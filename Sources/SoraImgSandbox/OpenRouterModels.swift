import SoraImg

/// One model of the sandbox's OpenRouter `GET /api/v1/videos/models`, with what a create for it
/// may ask.
struct OpenRouterModel: Sendable {
    let id: String
    let name: String
    let description: String
    let resolutions: [String]?
    let aspectRatios: [String]?
    /// Explicit `supported_sizes`, when the model lists them.
    let sizes: [String]?
    let durations: [Int]
    /// What a create without `duration` gets.
    let defaultDuration: Int
    /// `first_frame` and/or `last_frame`; nil when the model takes no frame images.
    let frameImages: [String]?
    let generateAudio: Bool?
    let seed: Bool?
    /// USD per second by SKU, as `pricing_skus` strings them.
    let pricing: [(sku: String, usd: String)]
    let passthrough: [String]

    /// The pixel size of `resolution` at `aspect_ratio`. Not published by OpenRouter or Google:
    /// assumed, as the usual 720p/1080p frames; the spec's size enum has exactly these four.
    static let assumedPixels: [String: [String: String]] = [
        "720p": ["16:9": "1280x720", "9:16": "720x1280"],
        "1080p": ["16:9": "1920x1080", "9:16": "1080x1920"],
    ]

    /// Every pixel size a create may ask for: `supported_sizes`, plus each listed resolution and
    /// aspect ratio the assumed table maps.
    var pixelSizes: [String] {
        var all = sizes ?? []
        for resolution in resolutions ?? [] {
            for aspect in aspectRatios ?? [] {
                if let size = Self.assumedPixels[resolution]?[aspect], !all.contains(size) { all.append(size) }
            }
        }
        return all
    }

    /// The models served. `google/veo-3.1` follows OpenRouter's video guide and image-to-video
    /// cookbook (720p/1080p, 4/6/8 s, first and last frame, 0.50 and 0.75 USD a second); its
    /// `supported_sizes` here are the four assumed pixel sizes, so a client may send `size`.
    /// The two `sandbox/...` models are made up, to exercise a client's reading of the list: one
    /// takes no frame images, one is described only by `supported_sizes`.
    static let all: [OpenRouterModel] = [
        OpenRouterModel(
            id: "google/veo-3.1", name: "Google: Veo 3.1", description: "Google's Veo 3.1 video model, as served by the sandbox.",
            resolutions: ["720p", "1080p"], aspectRatios: ["16:9", "9:16"], sizes: ["1280x720", "720x1280", "1920x1080", "1080x1920"],
            durations: [4, 6, 8], defaultDuration: 8, frameImages: ["first_frame", "last_frame"], generateAudio: true, seed: true,
            pricing: [("per-video-second", "0.50"), ("per-video-second-1080p", "0.75")],
            passthrough: ["personGeneration", "aspectRatio", "negativePrompt", "enhancePrompt"]),
        OpenRouterModel(
            id: "sandbox/text-only", name: "Sandbox: text only", description: "A text-to-video model: it takes no frame images.",
            resolutions: ["720p"], aspectRatios: ["16:9", "9:16"], sizes: nil, durations: [5, 10], defaultDuration: 5, frameImages: nil,
            generateAudio: false, seed: nil, pricing: [("per-video-second", "0.10")], passthrough: []),
        OpenRouterModel(
            id: "sandbox/square", name: "Sandbox: square", description: "A model described by its pixel sizes alone.",
            resolutions: nil, aspectRatios: nil, sizes: ["720x720", "1080x1080"], durations: [4], defaultDuration: 4,
            frameImages: ["first_frame"], generateAudio: nil, seed: nil, pricing: [], passthrough: []),
    ]

    static func named(_ id: String) -> OpenRouterModel? { all.first { $0.id == id } }

    /// USD for `seconds` at `size`: the 1080p SKU for a 1080-line size when there is one.
    func cost(seconds: Int, size: VideoSize) -> Double? {
        let wants1080 = min(size.width, size.height) >= 1080
        let sku = pricing.first { $0.sku == (wants1080 ? "per-video-second-1080p" : "per-video-second") } ?? pricing.first
        return sku.flatMap { Double($0.usd) }.map { $0 * Double(seconds) }
    }

    /// The `VideoModel` object, with every key openrouter 1.3.84's parser requires
    /// (`allowed_passthrough_parameters`, `canonical_slug`, `created`, `creativity`,
    /// `generate_audio`, `id`, `name`, `seed`, `supported_aspect_ratios`, `supported_durations`,
    /// `supported_frame_images`, `supported_resolutions`, `supported_sizes`, `upscale_factor`),
    /// nulls where the model has no value.
    var object: JSONValue {
        func strings(_ values: [String]?) -> JSONValue { values.map { .array($0.map { .string($0) }) } ?? .null }
        func flag(_ value: Bool?) -> JSONValue { value.map { .bool($0) } ?? .null }
        return .object([
            ("id", .string(id)),
            ("canonical_slug", .string(id)),
            ("name", .string(name)),
            ("created", .int(1_760_000_000)),
            ("description", .string(description)),
            ("hugging_face_id", .null),
            ("supported_resolutions", strings(resolutions)),
            ("supported_aspect_ratios", strings(aspectRatios)),
            ("supported_sizes", strings(sizes)),
            ("supported_durations", .array(durations.map { .int($0) })),
            ("supported_frame_images", strings(frameImages)),
            ("generate_audio", flag(generateAudio)),
            ("seed", flag(seed)),
            ("pricing_skus", pricing.isEmpty ? .null : .object(pricing.map { ($0.sku, .string($0.usd)) })),
            ("allowed_passthrough_parameters", .array(passthrough.map { .string($0) })),
            ("creativity", .null),
            ("upscale_factor", .null),
        ])
    }
}
