/// The sizes a model takes beside its table, for models whose video follows the image: any
/// `WxH` whose shorter side is at least `minimumSide` pixels and whose aspect (width over
/// height) lies between `narrowest` and `widest`.
public struct SizeRange: Hashable, Sendable, CustomStringConvertible {
    public let minimumSide: Int
    /// Width to height as whole numbers: 2:5 is (2, 5).
    public let narrowest: (width: Int, height: Int)
    public let widest: (width: Int, height: Int)

    public init(minimumSide: Int, narrowest: (width: Int, height: Int), widest: (width: Int, height: Int)) {
        self.minimumSide = minimumSide
        self.narrowest = narrowest
        self.widest = widest
    }

    public func contains(_ size: VideoSize) -> Bool {
        // Cross-multiplied, so no rounding decides a size on the line.
        min(size.width, size.height) >= minimumSide && size.width * narrowest.height >= size.height * narrowest.width
            && size.width * widest.height <= size.height * widest.width
    }

    public var description: String {
        "any WxH from \(minimumSide) px a side, aspect \(narrowest.width):\(narrowest.height) to \(widest.width):\(widest.height)"
    }

    public static func == (lhs: SizeRange, rhs: SizeRange) -> Bool {
        lhs.minimumSide == rhs.minimumSide && lhs.narrowest == rhs.narrowest && lhs.widest == rhs.widest
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(minimumSide)
        hasher.combine(narrowest.width)
        hasher.combine(narrowest.height)
        hasher.combine(widest.width)
        hasher.combine(widest.height)
    }
}
