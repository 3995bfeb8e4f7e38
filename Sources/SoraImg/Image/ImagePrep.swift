import Foundation

/// Turns one JPEG, PNG or WebP into a reference image, in one pass:
/// load (header first, shrink-on-load) → fit (cover, contain or stretch, Lanczos3; 8-bit sRGB,
/// alpha flattened) → orient → look for faces → encode (metadata stripped).
public enum ImagePrep {
    /// Prepares one image: a file, bytes in memory or standard input.
    public static func prepare(_ input: ImageInput, options: PrepOptions) throws(PrepError) -> PreparedImage {
        try options.validate()
        try ImageProcessing.start()
        return try prepare(input.read(maxBytes: options.maxBytes), options: options)
    }

    static func prepare(_ input: SourceBytes, options: PrepOptions) throws(PrepError) -> PreparedImage {
        let (loaded, fitted) = try render(input, options: options)
        // On the pixels that will be uploaded, before anything is encoded or written.
        let faces = try FaceStage.look(at: fitted, policy: options.faces)
        let bytes = try EncodeStage.encode(fitted, options: options)
        return PreparedImage(
            bytes: bytes, format: options.format, size: loaded.target, source: loaded.source, removed: loaded.findings,
            faces: faces, upscale: FitScale.upscale(source: loaded.source.upright, target: loaded.target, fit: options.fit))
    }

    /// Loads, fits and orients: the upright output image, in memory and not yet encoded.
    static func render(_ input: SourceBytes, options: PrepOptions) throws(PrepError) -> (LoadedImage, VipsImage) {
        try render(ImageHeader.read(input), options: options)
    }

    /// The same from a header already read, so `inspect` reads it once.
    static func render(_ header: ImageHeader, options: PrepOptions) throws(PrepError) -> (LoadedImage, VipsImage) {
        let deadline = ContinuousClock.now + .seconds(options.timeLimit)
        let loaded = try LoadStage.open(header, options: options)
        // The decoder's own pass (a whole-image decode) reports through the loaded image, the
        // resize through the fitted one: both run under the time budget.
        loaded.image.limitTime(until: deadline)
        let fitted: VipsImage
        do {
            fitted = try loaded.decoding { () throws(VipsFailure) in
                var image = try FitStage.fit(loaded, options: options)
                image.limitTime(until: deadline)
                // Decode now, so errors surface here and rotation can read in any order. The
                // result is a private image, whose header the encoder may empty.
                image = try image.copyToMemory()
                return try OrientStage.upright(image, orientation: loaded.source.orientation)
            }
        } catch {
            // libvips reports a kill as a read error; the clock says what it was.
            guard ContinuousClock.now >= deadline else { throw error }
            throw PrepError(.overLimit, "not prepared within the \(String(format: "%g", options.timeLimit))-second time limit (--time-limit)")
        }
        guard fitted.width == loaded.target.width, fitted.height == loaded.target.height, fitted.bands == 3 else {
            throw PrepError(.internalFailure, "prep made \(fitted.width)x\(fitted.height) with \(fitted.bands) bands instead of \(loaded.target) sRGB; please report this")
        }
        return (loaded, fitted)
    }
}
