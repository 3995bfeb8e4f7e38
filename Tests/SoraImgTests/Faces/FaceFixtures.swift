import Foundation
import Testing

/// Images with and without faces, built at test time from the corpus: faces cannot be drawn
/// from nothing offline, so a corpus portrait is composited into a wider landscape.
enum FaceFixtures {
    /// Corpus images that show a clear frontal face (checked by eye): Grace Hopper three ways
    /// (grey JPEG; WebP stored turned, EXIF orientations 6 and 8) and a grey photo of two people
    /// turned by EXIF orientation 8.
    static let portraits = [
        "pillow__hopper_gray.jpg", "pillow__hopper_orientation_6.webp", "pillow__hopper_orientation_8.webp",
        "skatsubo__photo.8.embedded.jpg",
    ]

    /// Corpus images with no person in them: landscapes (a waterfall, shot in both orientations),
    /// a product-like render, a beach, text.
    static let withoutFaces = [
        "ianare__landscape_1.jpg", "ianare__portrait_1.jpg", "ianare__landscape_6.jpg", "sharp__4.webp",
        "ianare__Canon_40D.jpg", "libwebp__lossless1.webp",
    ]

    /// Where the portrait goes in the 1200x450 landscape: cover to 16:9 keeps its middle 800
    /// columns (x 200 to 1000), so the face survives in the middle and is cut away at the edge.
    enum Placement: String, CaseIterable, Sendable {
        case kept
        case croppedAway
        var x: Int { self == .kept ? 504 : 0 }
    }

    /// A 1200x450 JPEG: the corpus landscape stretched wide with Hopper's portrait (192x192) at
    /// `placement`; with `turned`, stored rotated a quarter turn with EXIF orientation 6, so it
    /// is only upright once the orientation is applied.
    static func composite(_ placement: Placement, turned: Bool, in folder: TemporaryFolder) throws -> String {
        let vips = "/usr/bin/vips"
        let base = folder.file("base.v")
        let face = folder.file("face.v")
        try run(vips, ["resize", Corpus.file("ianare__landscape_1.jpg"), base, "2", "--vscale", "1"])
        try run(vips, ["resize", Corpus.file("pillow__hopper_gray.jpg"), face, "1.5"])
        let upright = folder.file("\(placement.rawValue)-upright.jpg")
        try run(vips, ["insert", base, face, upright, "\(placement.x)", "129"])
        guard turned else { return upright }
        let stored = folder.file("\(placement.rawValue)-turned.jpg")
        try run(vips, ["rot", upright, stored, "d270"])
        try run("/usr/bin/exiftool", ["-overwrite_original", "-n", "-Orientation=6", stored])
        return stored
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let result = try runProcess(executable, arguments)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments): \(result.stderr)"])
        }
    }
}
