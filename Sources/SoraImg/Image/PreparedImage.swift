/// What an input was, before prep.
public struct SourceDescription: Sendable, Equatable {
    public let format: ImageFormat
    /// The size as stored, before the EXIF orientation is applied.
    public let stored: VideoSize
    /// The EXIF orientation, 1 to 8.
    public let orientation: Int
    /// The size as the photo is meant to be seen.
    public var upright: VideoSize { orientation >= 5 ? stored.transposed : stored }
}

/// A reference image ready to upload or write: exact size, 8-bit sRGB, no metadata.
public struct PreparedImage: Sendable {
    /// The encoded file.
    public let bytes: [UInt8]
    public let format: ImageFormat
    public let size: VideoSize
    public let source: SourceDescription
    /// The identifying metadata the input carried, none of which is in `bytes`.
    public let removed: [PrivacyFinding]
    /// The human faces in the image, in its pixel coordinates; nil when detection was off
    /// (`FacePolicy.ignore`) or this build has no detector.
    public let faces: [FaceBox]?
    /// How many times the fit enlarged the photo, rounded to a tenth; nil when it was not
    /// enlarged (see `FitScale.upscale`). An enlarged reference makes a soft first frame.
    public let upscale: Double?
}
