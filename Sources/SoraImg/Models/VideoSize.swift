/// A video frame size in pixels, written `WxH` as the API's `size` field is.
public struct VideoSize: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `1280x720`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            width > 0, height > 0, width <= 65_535, height <= 65_535
        else { return nil }
        self.init(width: width, height: height)
    }

    public var isPortrait: Bool { height > width }
    public var pixels: Int { width * height }
    public var transposed: VideoSize { VideoSize(width: height, height: width) }
    public var description: String { "\(width)x\(height)" }

    public static func < (lhs: VideoSize, rhs: VideoSize) -> Bool {
        (lhs.pixels, lhs.width) < (rhs.pixels, rhs.width)
    }
}
