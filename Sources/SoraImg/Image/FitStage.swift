/// Fits an image to the exact target size.
enum FitStage {
    /// Cover: scale uniformly until the target is covered, keep the centre. Crops before
    /// resampling (see `CoverGeometry`), flattens alpha at the source resolution, then cuts
    /// the exact target out of the resampled region.
    static func cover(_ image: VipsImage, target: VideoSize, background: RGBColour) throws(VipsFailure) -> VipsImage {
        let geometry = CoverGeometry(source: image.width, image.height, target: target)
        let region = geometry.region
        var fitted = try image.extractArea(left: region.left, top: region.top, width: region.width, height: region.height)
        fitted = try flattenAlpha(fitted, onto: background)
        fitted = try fitted.resize(horizontal: geometry.scale, vertical: geometry.scale)
        return try cutExactly(fitted, target: target, left: geometry.offsetX, top: geometry.offsetY)
    }

    /// Transparent pixels onto `background`, in 8-bit sRGB so the colour means what it says.
    /// Done before resampling, so the filter never mixes colour with undefined transparent pixels.
    static func flattenAlpha(_ image: VipsImage, onto background: RGBColour) throws(VipsFailure) -> VipsImage {
        guard image.hasAlpha else { return image }
        let srgb = try ColourStage.toSRGB8(image, keepingAlpha: true)
        let colour = [Double(background.red), Double(background.green), Double(background.blue)]
        return try srgb.flatten(background: colour, maxAlpha: 255)
    }

    /// Cuts `target` at (left, top), clamping to the image; if rounding in the resampler left
    /// the image a pixel short, repeats the edge rather than failing.
    static func cutExactly(_ image: VipsImage, target: VideoSize, left: Int, top: Int) throws(VipsFailure) -> VipsImage {
        var image = image
        if image.width < target.width || image.height < target.height {
            image = try image.embedExtendingEdges(
                x: 0, y: 0, width: max(image.width, target.width), height: max(image.height, target.height))
        }
        let left = max(0, min(left, image.width - target.width))
        let top = max(0, min(top, image.height - target.height))
        return try image.extractArea(left: left, top: top, width: target.width, height: target.height)
    }
}
