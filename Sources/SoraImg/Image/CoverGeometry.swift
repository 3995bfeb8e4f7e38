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
///
/// The result matches resizing the whole image and cutting the target at whole-pixel offsets
/// `(W' - w) / 2`, the usual convention: the region's first column is chosen among a few
/// candidates so that it lands on that grid to within a small fraction of a pixel (a one-pixel
/// shift costs a sharp photo 10 dB or more of PSNR), and it keeps a few columns of margin for
/// the Lanczos3 filter, which would otherwise see repeated edge pixels.
struct CoverGeometry: Equatable {
    /// The source pixels to resample.
    let region: PixelRect
    /// The uniform scale from source pixels to output pixels.
    let scale: Double
    /// Where the target sits inside the resampled region.
    let offsetX: Int
    let offsetY: Int

    /// The uniform scale that makes the source cover the target.
    static func scale(source width: Int, _ height: Int, target: VideoSize) -> Double {
        max(Double(target.width) / Double(width), Double(target.height) / Double(height))
    }

    /// The exact size, in source pixels, of the region that maps onto the target.
    static func regionSize(source width: Int, _ height: Int, target: VideoSize) -> (width: Double, height: Double) {
        let scale = scale(source: width, height, target: target)
        return (min(Double(width), Double(target.width) / scale), min(Double(height), Double(target.height) / scale))
    }

    /// - Parameter focus: the centre of the part to keep, in source pixels; the image's centre
    ///   when nil. The crop moves as needed to stay inside the image.
    init(source width: Int, _ height: Int, target: VideoSize, focus: (x: Double, y: Double)? = nil) {
        let scale = Self.scale(source: width, height, target: target)
        let horizontal = Self.axis(length: width, target: target.width, scale: scale, focus: focus?.x)
        let vertical = Self.axis(length: height, target: target.height, scale: scale, focus: focus?.y)
        region = PixelRect(left: horizontal.start, top: vertical.start, width: horizontal.length, height: vertical.length)
        self.scale = scale
        offsetX = horizontal.offset
        offsetY = vertical.offset
    }

    /// The part of the source that becomes the `target` this geometry was made for, in source
    /// pixels: where the cut lands once the region is resampled (without the filter's margin).
    func visible(target: VideoSize) -> (left: Double, top: Double, width: Double, height: Double) {
        (Double(region.left) + Double(offsetX) / scale, Double(region.top) + Double(offsetY) / scale,
         Double(target.width) / scale, Double(target.height) / scale)
    }

    /// One axis: the region's first pixel and length in the source, and where the target
    /// starts in the resampled region.
    static func axis(length: Int, target: Int, scale: Double, focus: Double?) -> (start: Int, length: Int, offset: Int) {
        // The whole axis resized, and where the target starts in it, on whole output pixels.
        let resized = max(target, Int((Double(length) * scale).rounded()))
        let wanted = focus.map { Int(($0 * scale - Double(target) / 2).rounded()) } ?? (resized - target) / 2
        let start = Double(min(max(0, wanted), resized - target))
        // Source pixels the filter reads beyond each edge when reducing (Lanczos3: 3 taps).
        let margin = Int((3 / min(1, scale)).rounded(.up)) + 1
        // Among the first columns up to a dozen before the target, take the one that lands
        // closest to the output grid, and with equal error the one leaving the filter more
        // margin. An exact landing is worth more than margin: libvips' filter positions are
        // quantised, and even a twentieth of a pixel shows in PSNR.
        let latest = Int((start / scale).rounded(.down))
        var best = (first: max(0, latest), error: Double.infinity)
        for first in stride(from: max(0, latest), through: max(0, latest - 12), by: -1) {
            let position = start - Double(first) * scale
            let error = abs(position - position.rounded())
            let better = error < best.error - 1e-9 || (abs(error - best.error) <= 1e-9 && latest - first <= margin)
            if better { best = (first, error) }
        }
        let offset = Int((start - Double(best.first) * scale).rounded())
        // Enough source to cover the target and the margin after it.
        let needed = Int(((Double(offset + target)) / scale).rounded(.up)) + margin
        return (best.first, min(length - best.first, needed), offset)
    }
}

/// The arithmetic of a contain fit: the largest size with the image's shape inside the target.
struct ContainGeometry: Equatable {
    /// The picture's size in the output, at least one pixel each way.
    let fitted: VideoSize
    /// Where it sits, centred.
    let left: Int
    let top: Int

    /// The uniform scale that makes the source fit inside the target.
    static func scale(source width: Int, _ height: Int, target: VideoSize) -> Double {
        min(Double(target.width) / Double(width), Double(target.height) / Double(height))
    }

    init(source width: Int, _ height: Int, target: VideoSize) {
        let scale = Self.scale(source: width, height, target: target)
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
    /// so the Lanczos3 pass that follows only ever reduces (Benchmarks/README.md gives the measured quality).
    static func jpegFactor(room: Double) -> Int {
        for factor in [8, 4, 2] where Double(factor) <= room { return factor }
        return 1
    }

    /// libwebp can scale while decoding, averaging each output pixel's area, as libjpeg's DCT
    /// scaling does in effect. Shrink by the same factors as JPEG, so the Lanczos3 pass that
    /// follows only ever reduces, to the exact size. Decoding straight to the target would skip
    /// Lanczos3 altogether; keeping a power of two keeps the quality JPEG gets. An 8 MP WebP
    /// then decodes to 6 MB instead of 24, which also keeps its buffer below the size glibc
    /// maps afresh (and faults in page by page) for every image.
    static func webpScale(room: Double) -> Double {
        1 / Double(jpegFactor(room: room))
    }
}
