/// How much a fit enlarges a photo, from the same arithmetic the fit itself uses, so what is
/// reported is what prep does.
public enum FitScale {
    /// The scale from the upright source's pixels to the output's: cover's uniform scale,
    /// contain's, or for stretch the larger of its two axes (the one that blurs most).
    public static func scale(source: VideoSize, target: VideoSize, fit: FitMode) -> Double {
        switch fit {
        case .cover: CoverGeometry.scale(source: source.width, source.height, target: target)
        case .contain: ContainGeometry.scale(source: source.width, source.height, target: target)
        case .stretch:
            max(Double(target.width) / Double(source.width), Double(target.height) / Double(source.height))
        }
    }

    /// The enlargement as people read it, rounded to a tenth (12.8); nil when the photo is
    /// shrunk, kept at its size, or enlarged by less than a twentieth, which no one can see and
    /// "upscaled 1.0x" would only confuse.
    public static func upscale(source: VideoSize, target: VideoSize, fit: FitMode) -> Double? {
        let rounded = (scale(source: source, target: target, fit: fit) * 10).rounded() / 10
        return rounded > 1 ? rounded : nil
    }
}
