/// A human face found in an image, in that image's pixel coordinates (for a prepared image:
/// the output's, after the crop and the EXIF orientation).
public struct FaceBox: Sendable, Equatable, Codable {
    public let left: Int
    public let top: Int
    public let width: Int
    public let height: Int
    /// dlib's detection confidence: above 0 is a detection, higher is surer.
    public let score: Double

    public init(left: Int, top: Int, width: Int, height: Int, score: Double) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.score = score
    }
}

/// What prep does when the image it made shows a human face, which the Videos API rejects.
public enum FacePolicy: String, Sendable, CaseIterable {
    /// Prepare it and report the faces (the default).
    case warn
    /// Refuse it (exit 65) before anything is written or uploaded.
    case refuse
    /// Do not look.
    case ignore
}
