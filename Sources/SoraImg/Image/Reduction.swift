internal import CResample
internal import CVips
internal import CVipsShims
import Foundation

/// soraimg's own Lanczos3 reduction, for the common case: 8-bit pixels already decoded into
/// memory, shrunk on both axes. It reads libvips' decoded pixels in place and writes the
/// output image's memory directly, one output row at a time (vertical pass into a row buffer,
/// then horizontal), with weights in 14-bit fixed point and AVX2 loops where the CPU has them.
///
/// libvips 8.14's reduce took 18 of the 47 ms a phone photo costs on one core (Benchmarks/README.md); the
/// filter is the same (Lanczos3 widened by the reduction factor, edge pixels repeated), so the
/// output matches it to rounding. Anything else (enlarging, 16-bit, alpha still present, a
/// streamed decode too large to hold) goes to libvips' resize.
enum Reduction {
    /// Resamples `image` by `scale` per axis and cuts `size` starting at output pixel
    /// (`left`, `top`) of the whole resampled image, in one pass. Nil when this reducer does
    /// not apply; the caller then uses libvips.
    static func reduce(
        _ image: VipsImage, scaleX: Double, scaleY: Double, left: Int, top: Int, size: VideoSize
    ) throws(VipsFailure) -> VipsImage? {
        guard applies(to: image, scaleX: scaleX, scaleY: scaleY),
            let x = Axis(sourceLength: image.width, outputs: size.width, scale: scaleX, offset: left),
            let y = Axis(sourceLength: image.height, outputs: size.height, scale: scaleY, offset: top)
        else { return nil }
        return try image.reduced(width: size.width, height: size.height) { source, sourceStride, output, outputStride in
            apply(x: x, y: y, source: source, sourceStride: sourceStride, bands: image.bands, output: output, outputStride: outputStride)
        }
    }

    static func applies(to image: VipsImage, scaleX: Double, scaleY: Double) -> Bool {
        scaleX <= 1 && scaleY <= 1 && (scaleX < 1 || scaleY < 1)
            && image.bandFormat == VIPS_FORMAT_UCHAR && [1, 3, 4].contains(image.bands)
            && vips_image_get_coding(image.pointer) == VIPS_CODING_NONE
    }

    /// Runs the C loops; `portable` forces the plain ones (the tests compare both).
    static func apply(
        x: Axis, y: Axis, source: UnsafePointer<UInt8>, sourceStride: Int, bands: Int,
        output: UnsafeMutablePointer<UInt8>, outputStride: Int, portable: Bool = false
    ) -> Bool {
        x.withC { x in
            y.withC { y in
                cresample_reduce_u8(source, sourceStride, Int32(bands), x, y, output, outputStride, portable ? 1 : 0) == 0
            }
        }
    }

    /// The filter for one axis: which source pixels each output pixel reads, and with what weights.
    struct Axis {
        /// Weights per output pixel, even (the vector loops take them in pairs).
        let taps: Int
        let starts: [Int32]
        let weights: [Int16]

        static let one = 1 << Int(CRESAMPLE_WEIGHT_BITS)

        /// Output pixel `i` is pixel `offset + i` of the source resized by `scale` (at most 1),
        /// centred the usual way: at source position `(offset + i + 0.5) / scale - 0.5`. Nil
        /// when the source is shorter than the filter.
        init?(sourceLength: Int, outputs: Int, scale: Double, offset: Int) {
            let factor = 1 / scale
            let support = 3 * factor
            var taps = Int((2 * support).rounded(.up)) + 1
            taps += taps % 2
            guard outputs > 0, sourceLength >= taps else { return nil }
            var starts: [Int32] = []
            var weights: [Int16] = []
            starts.reserveCapacity(outputs)
            weights.reserveCapacity(outputs * taps)
            var window = [Double](repeating: 0, count: taps)
            for i in 0..<outputs {
                let centre = (Double(offset + i) + 0.5) / scale - 0.5
                let low = Int((centre - support).rounded(.up))
                let high = Int((centre + support).rounded(.down))
                let start = max(0, min(low, sourceLength - taps))
                for t in window.indices { window[t] = 0 }
                // Pixels beyond an edge repeat the edge pixel, as libvips' reduce does.
                for k in low...high {
                    window[min(max(k, 0), sourceLength - 1) - start] += Self.lanczos3((Double(k) - centre) / factor)
                }
                starts.append(Int32(start))
                Self.appendFixedPoint(window, to: &weights)
            }
            self.taps = taps
            self.starts = starts
            self.weights = weights
        }

        /// Normalised to sum exactly to one in fixed point, so a flat image stays flat: the
        /// rounding left over goes to the largest weight. Appended in place: a photo has
        /// thousands of output pixels per axis, and an array per pixel cost more than the sums.
        static func appendFixedPoint(_ window: [Double], to weights: inout [Int16]) {
            let total = window.reduce(0, +)
            let first = weights.count
            var sum = 0
            var largest = 0
            for (index, weight) in window.enumerated() {
                let fixed = Int((weight / total * Double(one)).rounded())
                weights.append(Int16(fixed))
                sum += fixed
                if weight > window[largest] { largest = index }
            }
            weights[first + largest] += Int16(one - sum)
        }

        /// sin(πx)·sin(πx/3)/(πx)²·3, with one sine: sin(3a) = 3 sin a − 4 sin³ a.
        static func lanczos3(_ x: Double) -> Double {
            guard x != 0 else { return 1 }
            guard abs(x) < 3 else { return 0 }
            let px = Double.pi * x
            let third = sin(px / 3)
            return 3 * (3 * third - 4 * third * third * third) * third / (px * px)
        }

        func withC<T>(_ body: (UnsafePointer<CResampleAxis>) -> T) -> T {
            starts.withUnsafeBufferPointer { starts in
                weights.withUnsafeBufferPointer { weights in
                    var axis = CResampleAxis(
                        outputs: Int32(starts.count), taps: Int32(taps), starts: starts.baseAddress, weights: weights.baseAddress)
                    return body(&axis)
                }
            }
        }
    }
}
