import Foundation

/// What prep would refuse, found without preparing: the pixel cap from the header, then the
/// image data decoded exactly as prep's load stage decodes it (the same `fail_on` loader
/// options and the same shrink-on-load factor), so a truncated or corrupt file is refused by
/// `inspect` as prep refuses it.
///
/// The scale matters: libvips 8.14 checks a JPEG's warnings as each strip of output is made,
/// and at 1/4 or 1/8 scale damage near the end of the data shows only after the last strip,
/// so a smaller decode than prep's can pass a file prep refuses. The decoded image is shrunk
/// to at most `checkPixels` as it streams, so memory stays bounded; resizing, colour and
/// encoding, the rest of prep's cost, are skipped.
enum PrepCheck {
    static let checkPixels = 1_000_000

    /// `target`: the size prep would make, when the options name one; prep's shrink-on-load
    /// depends on it. Without one the data is decoded at full scale.
    static func validate(_ header: ImageHeader, target: VideoSize?, options: PrepOptions) throws(PrepError) {
        let deadline = ContinuousClock.now + .seconds(options.timeLimit)
        var image: VipsImage
        if target != nil {
            image = try LoadStage.open(header, options: options).image
        } else {
            try LoadStage.checkPixels(header, options: options)
            image = header.image
        }
        do {
            try header.decoding { () throws(VipsFailure) in
                image.limitTime(until: deadline)
                let factor = (Double(checkPixels) / Double(max(1, image.width * image.height))).squareRoot()
                if factor < 1 {
                    image = try image.resize(horizontal: factor, vertical: factor)
                    image.limitTime(until: deadline)
                }
                _ = try image.copyToMemory()
            }
        } catch {
            // libvips reports a kill as a read error; the clock says what it was.
            guard ContinuousClock.now >= deadline else { throw error }
            throw PrepError(.overLimit, "not prepared within the \(String(format: "%g", options.timeLimit))-second time limit (--time-limit)")
        }
    }
}
