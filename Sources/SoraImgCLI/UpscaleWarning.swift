import Foundation
import SoraImg

/// The warning every command that chooses a size prints when the photo is enlarged to reach it:
/// a small photo makes a soft reference, and the video starts from that frame.
enum UpscaleWarning {
    /// "upscaled 12.8x from 100x68 to 1280x720; the video will start from a blurry frame".
    static func text(_ factor: Double, from source: VideoSize?, to target: VideoSize) -> String {
        let from = source.map { " from \($0)" } ?? ""
        return "upscaled \(String(format: "%.1f", factor))x\(from) to \(target); the video will start from a blurry frame (use a larger photo)"
    }

    /// The whole warning line for `input`.
    static func line(_ factor: Double, input: String, from source: VideoSize?, to target: VideoSize) -> String {
        "soraimg: warning: \(input.printable(limit: 300)): \(text(factor, from: source, to: target))"
    }
}
