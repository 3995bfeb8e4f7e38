/// Fits an image to the exact target size and converts it to 8-bit sRGB.
enum FitStage {
    static func fit(_ loaded: LoadedImage, options: PrepOptions) throws(VipsFailure) -> VipsImage {
        let target = loaded.storedTarget
        let flat = options.background.flatColour
        switch options.fit {
        case .cover:
            let focus = options.crop == .attention ? try attentionFocus(loaded, target: target) : nil
            return try cover(loaded.image, target: target, alphaOnto: flat, focus: focus, inMemory: loaded.decodedWhole)
        case .contain:
            return try contain(loaded.image, target: target, background: options.background, inMemory: loaded.decodedWhole)
        case .stretch:
            return try stretch(loaded.image, target: target, alphaOnto: flat, inMemory: loaded.decodedWhole)
        }
    }

    /// Cover: scale uniformly until the target is covered, keep the centre (or `focus`). Crops
    /// before resampling (see `CoverGeometry`), flattens alpha at the source resolution, then
    /// cuts the exact target out of the resampled region.
    /// `inMemory`: the image's pixels are (or will be) decoded whole into memory, so the whole
    /// region can be read at once (see `resample`).
    static func cover(
        _ image: VipsImage, target: VideoSize, alphaOnto colour: RGBColour, focus: (x: Double, y: Double)? = nil, inMemory: Bool
    ) throws(VipsFailure) -> VipsImage {
        let geometry = CoverGeometry(source: image.width, image.height, target: target, focus: focus)
        let region = geometry.region
        var fitted = try image.extractArea(left: region.left, top: region.top, width: region.width, height: region.height)
        fitted = try flattenAlpha(fitted, onto: colour)
        fitted = try resample(
            fitted, scaleX: geometry.scale, scaleY: geometry.scale, cut: target, left: geometry.offsetX, top: geometry.offsetY,
            inMemory: inMemory)
        return try ColourStage.toSRGB8(fitted)
    }

    /// Resizes by the scales and cuts `size` at (left, top) of the resized image. Pixels in
    /// memory that only shrink go through soraimg's own reducer (`Reduction`, one pass, about
    /// four times faster than libvips 8.14's reduce); enlarging, 16-bit and streamed decodes
    /// through libvips' resize. Both use Lanczos3 and the same pixel centres.
    static func resample(
        _ image: VipsImage, scaleX: Double, scaleY: Double, cut size: VideoSize, left: Int, top: Int, inMemory: Bool
    ) throws(VipsFailure) -> VipsImage {
        if inMemory, let reduced = try Reduction.reduce(image, scaleX: scaleX, scaleY: scaleY, left: left, top: top, size: size) {
            return reduced
        }
        return try cutExactly(image.resize(horizontal: scaleX, vertical: scaleY), target: size, left: left, top: top)
    }

    /// Contain: the whole picture, as large as fits, centred on the background: a colour, or a
    /// blurred cover made from the contained picture itself (no second decode).
    static func contain(_ image: VipsImage, target: VideoSize, background: Background, inMemory: Bool) throws(VipsFailure) -> VipsImage {
        let geometry = ContainGeometry(source: image.width, image.height, target: target)
        var picture = try flattenAlpha(image, onto: background.flatColour)
        picture = try resample(
            picture, scaleX: Double(geometry.fitted.width) / Double(image.width),
            scaleY: Double(geometry.fitted.height) / Double(image.height), cut: geometry.fitted, left: 0, top: 0, inMemory: inMemory)
        picture = try ColourStage.toSRGB8(picture)
        switch background {
        case .colour(let colour):
            let fill = [Double(colour.red), Double(colour.green), Double(colour.blue)]
            return try picture.embed(x: geometry.left, y: geometry.top, width: target.width, height: target.height, background: fill)
        case .blur:
            // The picture is read twice (blurred backdrop, then pasted on top): decode it once.
            picture = try picture.copyToMemory()
            return try blurredBackdrop(of: picture, target: target).inserting(picture, x: geometry.left, y: geometry.top)
        }
    }

    /// Stretch: each axis scaled on its own to the target.
    static func stretch(_ image: VipsImage, target: VideoSize, alphaOnto colour: RGBColour, inMemory: Bool) throws(VipsFailure) -> VipsImage {
        var fitted = try flattenAlpha(image, onto: colour)
        fitted = try resample(
            fitted, scaleX: Double(target.width) / Double(image.width), scaleY: Double(target.height) / Double(image.height),
            cut: target, left: 0, top: 0, inMemory: inMemory)
        return try ColourStage.toSRGB8(fitted)
    }

    /// A soft, out-of-focus cover of `picture`: made at a quarter of the target size, blurred,
    /// and scaled up, which looks the same as blurring at full size for a fraction of the work.
    static func blurredBackdrop(of picture: VipsImage, target: VideoSize) throws(VipsFailure) -> VipsImage {
        let small = VideoSize(width: max(1, target.width / 4), height: max(1, target.height / 4))
        var backdrop = try cover(picture, target: small, alphaOnto: .white, inMemory: true)
        backdrop = try backdrop.gaussianBlur(sigma: max(2, Double(small.width) / 20))
        backdrop = try backdrop.resize(
            horizontal: Double(target.width) / Double(small.width), vertical: Double(target.height) / Double(small.height))
        return try cutExactly(backdrop, target: target, left: 0, top: 0)
    }

    /// The centre of the region libvips' attention model picks, in the loaded image's pixels.
    /// It looks at a cheap small preview, since only a position is wanted.
    static func attentionFocus(_ loaded: LoadedImage, target: VideoSize) throws(VipsFailure) -> (x: Double, y: Double) {
        let preview = try loaded.openPreview()
        let scaleX = Double(preview.width) / Double(loaded.image.width)
        let scaleY = Double(preview.height) / Double(loaded.image.height)
        let region = CoverGeometry.regionSize(source: loaded.image.width, loaded.image.height, target: target)
        let width = min(preview.width, max(1, Int((region.width * scaleX).rounded())))
        let height = min(preview.height, max(1, Int((region.height * scaleY).rounded())))
        let (left, top) = try preview.attentionCrop(width: width, height: height)
        return ((Double(left) + Double(width) / 2) / scaleX, (Double(top) + Double(height) / 2) / scaleY)
    }

    /// Transparent pixels onto `colour`, in 8-bit sRGB so the colour means what it says.
    /// Done before resampling, so the filter never mixes colour with undefined transparent pixels.
    static func flattenAlpha(_ image: VipsImage, onto colour: RGBColour) throws(VipsFailure) -> VipsImage {
        guard image.hasAlpha else { return image }
        let srgb = try ColourStage.toSRGB8(image, keepingAlpha: true)
        return try srgb.flatten(background: [Double(colour.red), Double(colour.green), Double(colour.blue)], maxAlpha: 255)
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
