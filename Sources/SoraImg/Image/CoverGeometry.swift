/// A rectangle in pixels.
struct PixelRect: Equatable {
    var left: Int
    var top: Int
    var width: Int
    var height: Int
}

/// The arithmetic of a cover fit: scale uniformly until the image covers the target, then cut
/// the target out. Pure, so it is tested without images.
///
/// It crops before it resizes: only the source pixels that reach the output are resampled,
/// so a 10x5000 strip sent to 720x1280 resamples a 10x18 region rather than upsizing the whole
/// strip to 720x360000 first (what `vips_thumbnail` does in crop mode).
struct CoverGeometry: Equatable {
    /// The source pixels to resample: the exact region, widened to whole pixels.
    let region: PixelRect
    /// The uniform scale from source pixels to output pixels.
    let scale: Double
    /// Where the target sits inside the resampled region (the fraction cut by widening).
    let offsetX: Int
    let offsetY: Int

    /// The exact size, in source pixels, of the region that maps onto the target.
    static func regionSize(source width: Int, _ height: Int, target: VideoSize) -> (width: Double, height: Double) {
        let scale = max(Double(target.width) / Double(width), Double(target.height) / Double(height))
        return (min(Double(width), Double(target.width) / scale), min(Double(height), Double(target.height) / scale))
    }

    /// - Parameter focus: the centre of the region to keep, in source pixels; the image's
    ///   centre when nil. The region is moved as needed to stay inside the image.
    init(source width: Int, _ height: Int, target: VideoSize, focus: (x: Double, y: Double)? = nil) {
        let scale = max(Double(target.width) / Double(width), Double(target.height) / Double(height))
        let (exactWidth, exactHeight) = Self.regionSize(source: width, height, target: target)
        let centre = focus ?? (Double(width) / 2, Double(height) / 2)
        let exactLeft = min(max(0, centre.x - exactWidth / 2), Double(width) - exactWidth)
        let exactTop = min(max(0, centre.y - exactHeight / 2), Double(height) - exactHeight)
        // Widen to whole pixels, so the resampled region covers the target.
        let left = Int(exactLeft.rounded(.down))
        let top = Int(exactTop.rounded(.down))
        let right = min(width, Int((exactLeft + exactWidth).rounded(.up)))
        let bottom = min(height, Int((exactTop + exactHeight).rounded(.up)))
        self.region = PixelRect(left: left, top: top, width: right - left, height: bottom - top)
        self.scale = scale
        self.offsetX = Int(((exactLeft - Double(left)) * scale).rounded())
        self.offsetY = Int(((exactTop - Double(top)) * scale).rounded())
    }
}

/// The arithmetic of a contain fit: the largest size with the image's shape inside the target.
struct ContainGeometry: Equatable {
    /// The picture's size in the output, at least one pixel each way.
    let fitted: VideoSize
    /// Where it sits, centred.
    let left: Int
    let top: Int

    init(source width: Int, _ height: Int, target: VideoSize) {
        let scale = min(Double(target.width) / Double(width), Double(target.height) / Double(height))
        let fittedWidth = min(target.width, max(1, Int((Double(width) * scale).rounded())))
        let fittedHeight = min(target.height, max(1, Int((Double(height) * scale).rounded())))
        fitted = VideoSize(width: fittedWidth, height: fittedHeight)
        left = (target.width - fittedWidth) / 2
        top = (target.height - fittedHeight) / 2
    }
}

/// How much the decoder itself may shrink while decoding, keeping at least what the fit needs.
enum ShrinkOnLoad {
    /// How many times larger than needed the source is: the factor it may be shrunk by
    /// without the fit having to upsample.
    static func room(source width: Int, _ height: Int, target: VideoSize, fit: FitMode) -> Double {
        let horizontal = Double(width) / Double(target.width)
        let vertical = Double(height) / Double(target.height)
        // Contain only needs the longer way to reach the target; cover and stretch need both.
        return fit == .contain ? max(horizontal, vertical) : min(horizontal, vertical)
    }

    /// libjpeg decodes at 1/1, 1/2, 1/4 or 1/8 through DCT scaling, far faster than decoding in
    /// full and resampling. Pick the largest factor that leaves the fit nothing to upsample,
    /// so the Lanczos3 pass that follows only ever reduces (see issue 5 for measured quality).
    static func jpegFactor(room: Double) -> Int {
        for factor in [8, 4, 2] where Double(factor) <= room { return factor }
        return 1
    }

    /// libwebp can scale while decoding; its filter is rougher than Lanczos3, so keep twice the
    /// needed size for the final resample. Returns 1 when scaling is not worth it.
    static func webpScale(room: Double) -> Double {
        let scale = 2 / room
        return scale < 0.5 ? scale : 1
    }
}
