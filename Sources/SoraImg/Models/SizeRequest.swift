/// What the user asked for with `--size`: the model's standard size, its largest, or one size.
public enum SizeRequest: Hashable, Sendable, CustomStringConvertible {
    /// The model's 720p size in the upright image's orientation.
    case auto
    /// The largest size the model allows in the upright image's orientation.
    case max
    case exact(VideoSize)

    /// Parses `auto`, `max` or `WxH`.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "max": self = .max
        default:
            guard let size = VideoSize(parsing: text) else { return nil }
            self = .exact(size)
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .max: "max"
        case .exact(let size): size.description
        }
    }

    /// Checks the request against the model before any image is read: an exact size must be
    /// one the model allows, and a model soraimg does not know needs an exact size.
    public func validate(for model: VideoModel) throws(PrepError) {
        switch self {
        case .auto, .max:
            guard model.isKnown else {
                throw PrepError(
                    .usage,
                    "soraimg does not know the sizes of \(model.provider) model '\(model.name.printable(limit: 80))'; give one with --size WxH (\(model.provider == .openai ? "soraimg models" : "soraimg models --provider \(model.provider)") lists the models it knows)"
                )
            }
        case .exact(let size):
            guard !model.isKnown || model.allows(size) else {
                throw PrepError(
                    .usage,
                    model.followsImage
                        ? "\(model.name) does not allow size \(size); it takes \(XAIRequest.sizeRule)"
                        : "\(model.name) does not allow size \(size); it allows \(model.sizes.map(\.description).joined(separator: ", "))"
                            + (model.sizeRange.map { ", or \($0)" } ?? "")
                )
            }
        }
    }

    /// The size to produce for an upright image of `upright` pixels. Height greater than width
    /// is portrait, anything else landscape, as in the API's own reference snippet.
    public func target(for model: VideoModel, upright: VideoSize) throws(PrepError) -> VideoSize {
        try validate(for: model)
        let portrait = upright.isPortrait
        switch self {
        case .exact(let size):
            return size
        case .auto:
            // 720p: the candidate whose short side is 720, else the smallest (a provider's
            // list may start lower, at 480p).
            let candidates = Self.candidates(for: model, upright: upright)
            guard let size = candidates.first(where: { min($0.width, $0.height) == 720 }) ?? candidates.min() else {
                throw PrepError(.usage, "\(model.name) has no \(portrait ? "portrait" : "landscape") size")
            }
            return size
        case .max:
            guard let size = Self.candidates(for: model, upright: upright).max() else {
                throw PrepError(.usage, "\(model.name) has no \(portrait ? "portrait" : "landscape") size")
            }
            return size
        }
    }

    /// The sizes a photo can be made at: those in its orientation; for a square photo the
    /// square ones first, else landscape. A model with only square sizes (some providers'
    /// lists) makes any photo square rather than refusing it.
    static func candidates(for model: VideoModel, upright: VideoSize) -> [VideoSize] {
        let squares = model.sizes.filter { $0.width == $0.height }
        if upright.width == upright.height, !squares.isEmpty { return squares }
        let oriented = model.sizes.filter { $0.width != $0.height && $0.isPortrait == upright.isPortrait }
        return oriented.isEmpty ? squares : oriented
    }
}
