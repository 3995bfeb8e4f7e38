/// A rectangle in pixels.
struct PixelRect: Equatable {
    var left: Int
    var top: Int
    var width: Int
    var height: Int
}

/// The arithmetic of a cover fit: scale uniformly until the image covers the target, then cut
/// the centre out. Pure, so it is tested without images.
///
/// It crops before it resizes: only the source pixels that reach the output are resampled,
/// so a 10x5000 strip sent to 720x1280 resamples a 10x18 region rather than upsizing the whole
/// strip to 720x360000 first (what `vips_thumbnail` does in crop mode).
struct CoverGeometry: Equatable {
    /// The source pixels to resample: the exact centre region, widened to whole pixels.
    let region: PixelRect
    /// The uniform scale from source pixels to output pixels.
    let scale: Double
    /// Where the target sits inside the resampled region (the fraction cut by widening).
    let offsetX: Int
    let offsetY: Int

    init(source width: Int, _ height: Int, target: VideoSize) {
        let scale = max(Double(target.width) / Double(width), Double(target.height) / Double(height))
        // The exact region that maps onto the target, centred.
        let exactWidth = min(Double(width), Double(target.width) / scale)
        let exactHeight = min(Double(height), Double(target.height) / scale)
        let exactLeft = (Double(width) - exactWidth) / 2
        let exactTop = (Double(height) - exactHeight) / 2
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

/// How much the decoder itself may shrink while decoding, keeping at least the target's size.
enum ShrinkOnLoad {
    /// libjpeg decodes at 1/1, 1/2, 1/4 or 1/8 through DCT scaling, far faster than decoding in
    /// full and resampling. Pick the largest factor whose result still covers the target, so the
    /// Lanczos3 pass that follows only ever reduces (see issue 5 for the measured quality).
    static func jpegFactor(source width: Int, _ height: Int, target: VideoSize) -> Int {
        let room = min(Double(width) / Double(target.width), Double(height) / Double(target.height))
        for factor in [8, 4, 2] where Double(factor) <= room { return factor }
        return 1
    }

    /// libwebp can scale while decoding; its filter is rougher than Lanczos3, so keep twice the
    /// target's size for the final resample. Returns 1 when scaling is not worth it.
    static func webpScale(source width: Int, _ height: Int, target: VideoSize) -> Double {
        let cover = max(Double(target.width) / Double(width), Double(target.height) / Double(height))
        let scale = cover * 2
        return scale < 0.5 ? scale : 1
    }
}
