/// An sRGB colour given as `white`, `black` or `#rrggbb`.
public struct RGBColour: Hashable, Sendable, CustomStringConvertible {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let white = RGBColour(red: 255, green: 255, blue: 255)
    public static let black = RGBColour(red: 0, green: 0, blue: 0)

    /// Parses `white`, `black` or `#rrggbb`.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "white": self = .white
        case "black": self = .black
        default:
            guard text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) else { return nil }
            self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
        }
    }

    public var description: String {
        if self == .white { return "white" }
        if self == .black { return "black" }
        func hex(_ v: UInt8) -> String { (v < 16 ? "0" : "") + String(v, radix: 16) }
        return "#" + hex(red) + hex(green) + hex(blue)
    }
}

/// How the image meets the target's shape.
public enum FitMode: String, Sendable, CaseIterable {
    /// Fill the frame and cut off what sticks out (the default).
    case cover
    /// Show the whole picture, padded with the background.
    case contain
    /// Fill the frame by distorting the picture.
    case stretch
}

/// Which part a cover crop keeps.
public enum CropPosition: String, Sendable, CaseIterable {
    case centre
    /// The part libvips' attention model finds most interesting (skin, saturated colour, detail).
    case attention

    /// Accepts `center` too.
    public init?(parsing text: String) {
        self.init(rawValue: text == "center" ? "centre" : text)
    }
}

/// What fills the frame around a contained picture and under transparent pixels.
public enum Background: Hashable, Sendable, CustomStringConvertible {
    case colour(RGBColour)
    /// A blurred cover of the same picture (for contain; transparency still goes onto white).
    case blur

    /// Parses `white`, `black`, `#rrggbb` or `blur`.
    public init?(parsing text: String) {
        if text.lowercased() == "blur" {
            self = .blur
        } else if let colour = RGBColour(parsing: text) {
            self = .colour(colour)
        } else {
            return nil
        }
    }

    /// The colour under transparent pixels.
    public var flatColour: RGBColour {
        if case .colour(let colour) = self { return colour }
        return .white
    }

    public var description: String {
        switch self {
        case .colour(let colour): colour.description
        case .blur: "blur"
        }
    }
}

/// JPEG chroma subsampling: 4:2:0 (the default, as every peer writes) or full 4:4:4.
public enum ChromaSubsampling: String, Sendable, CaseIterable {
    case s420 = "420"
    case s444 = "444"
}

/// Every choice one prep makes, validated as a whole before any image is read.
public struct PrepOptions: Sendable, Equatable {
    public var model = VideoModel(named: "sora-2")
    public var size = SizeRequest.auto
    public var format = ImageFormat.jpeg
    /// 1–100, for JPEG and WebP.
    public var quality = 95
    public var chroma = ChromaSubsampling.s420
    /// Images with more pixels than this are refused from their header (decompression bombs).
    public var maxPixels = 100_000_000
    /// Inputs larger than this are refused before they are read.
    public var maxBytes = 268_435_456
    /// Seconds one image may spend decoding and resizing before libvips is told to stop. A
    /// 100-megapixel photo takes about 2 s here; a pathological file stops at this budget.
    public var timeLimit = 60.0
    public var fit = FitMode.cover
    public var crop = CropPosition.centre
    /// What pads a contained picture, and (as a colour) what transparent pixels become.
    public var background = Background.colour(.white)
    /// What to do when the image made shows a human face, which the Videos API rejects.
    public var faces = FacePolicy.warn

    public init() {}

    /// Checks each value and the size against the model; throws a usage error naming the option.
    public func validate() throws(PrepError) {
        guard (1...100).contains(quality) else {
            throw PrepError(.usage, "--quality must be from 1 to 100, not \(quality)")
        }
        guard maxPixels > 0 else { throw PrepError(.usage, "--max-pixels must be positive, not \(maxPixels)") }
        guard maxBytes > 0 else { throw PrepError(.usage, "--max-bytes must be positive, not \(maxBytes)") }
        guard timeLimit > 0 && timeLimit.isFinite else { throw PrepError(.usage, "--time-limit must be a positive number of seconds, not \(timeLimit)") }
        try size.validate(for: model)
        guard faces != .refuse || FaceDetection.isAvailable else {
            throw PrepError(.usage, "--faces refuse needs face detection, and this soraimg was built without it (the Faces package trait, which needs libdlib-dev)")
        }
    }
}
