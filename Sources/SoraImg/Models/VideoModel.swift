/// A video model and what it accepts: sizes, durations and a reference price (OpenAI's
/// published tables for the Sora 2 family; the README lists them).
///
/// The known families come from OpenAI's published tables; dated snapshots
/// (`sora-2-2025-12-08`) inherit their family's. Any other name passes through with no table:
/// its size must then be given explicitly, since soraimg cannot know what a provider allows.
public struct VideoModel: Hashable, Sendable, CustomStringConvertible {
    /// The name sent as `model`.
    public let name: String
    /// The sizes the model allows; empty for a model soraimg does not know.
    public let sizes: [VideoSize]
    /// The durations the model allows, as the strings the API wants; empty when unknown.
    public let seconds: [String]

    public var isKnown: Bool { !sizes.isEmpty }
    public var description: String { name }

    public init(name: String, sizes: [VideoSize], seconds: [String]) {
        self.name = name
        self.sizes = sizes
        self.seconds = seconds
    }

    /// The table for `name`: a known family, its dated snapshot, or a pass-through name.
    public init(named name: String) {
        let family = Self.family(of: name)
        switch family {
        case "sora-2":
            self.init(name: name, sizes: Self.sora2Sizes, seconds: Self.standardSeconds)
        case "sora-2-pro":
            self.init(name: name, sizes: Self.sora2ProSizes, seconds: Self.standardSeconds)
        default:
            self.init(name: name, sizes: [], seconds: [])
        }
    }

    /// The reference price in US dollars per second of video at `size`, when known
    /// (OpenAI's published list prices, for `--dry-run`'s estimate; providers charge their own).
    public func pricePerSecond(at size: VideoSize) -> Double? {
        switch Self.family(of: name) {
        case "sora-2": return 0.10
        case "sora-2-pro":
            switch max(size.width, size.height) {
            case ...1280: return 0.30
            case ...1792: return 0.50
            default: return 0.70
            }
        default: return nil
        }
    }

    /// `sora-2-pro-2025-10-06` → `sora-2-pro`; other names are their own family.
    static func family(of name: String) -> String {
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
}
