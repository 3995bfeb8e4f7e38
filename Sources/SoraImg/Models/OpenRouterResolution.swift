import Foundation

/// Pixel sizes for OpenRouter's resolution names. No provider states them in a primary source;
/// these are the customary ones (720p 16:9 = 1280x720), and 480p's 854x480 is the spec's own
/// `supported_sizes` member. The sizes a model's capabilities list win over these.
public enum OpenRouterResolution {
    static let heights = ["480p": 480, "720p": 720, "1080p": 1080]
    static let widths = [480: 854, 720: 1280, 1080: 1920]

    /// The pixel size of `resolution` at `aspectRatio` (16:9 or 9:16); nil for other pairs.
    public static func size(resolution: String, aspectRatio: String) -> VideoSize? {
        guard let short = heights[resolution], let long = widths[short] else { return nil }
        switch aspectRatio {
        case "16:9": return VideoSize(width: long, height: short)
        case "9:16": return VideoSize(width: short, height: long)
        default: return nil
        }
    }

    /// The resolution and aspect ratio of a size from the table; nil for any other size.
    public static func pair(for size: VideoSize) -> (resolution: String, aspectRatio: String)? {
        let short = min(size.width, size.height)
        guard let name = heights.first(where: { $0.value == short })?.key, widths[short] == max(size.width, size.height), size.width != size.height
        else { return nil }
        return (name, size.isPortrait ? "9:16" : "16:9")
    }
}
