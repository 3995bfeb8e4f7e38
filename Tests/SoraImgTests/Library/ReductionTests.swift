import CResample
import CVips
import Foundation
import Testing

@testable import SoraImg

/// soraimg's own Lanczos3 reducer (`Reduction`): its C loops, its weights, and its place in prep.
@Suite("Reduction")
struct ReductionTests {
    /// A deterministic image: smooth gradients plus fine detail, inside 16...239 so that no
    /// filter overshoot is clipped (clipping would hide differences), or plain noise.
    static func image(width: Int, height: Int, bands: Int, noise: Bool = false, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * bands)
        for y in 0..<height {
            for x in 0..<width {
                for band in 0..<bands {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let random = Double(state >> 40) / Double(1 << 24)
                    let value: Double
                    if noise {
                        value = random * 255
                    } else {
                        let wave = sin(Double(x) * 0.07 + Double(band)) * cos(Double(y) * 0.05) * 70
                        let stripes = sin(Double(x + 2 * y) * 0.9) * 25
                        value = 128 + wave + stripes + (random - 0.5) * 20
                    }
                    pixels[(y * width + x) * bands + band] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return pixels
    }

    /// Reduces with the C loops, `portable` or vector.
    static func reduce(
        _ source: [UInt8], width: Int, height: Int, bands: Int, scale: Double, left: Int = 0, top: Int = 0,
        outputs: VideoSize, portable: Bool = false
    ) throws -> [UInt8] {
        let x = try #require(Reduction.Axis(sourceLength: width, outputs: outputs.width, scale: scale, offset: left))
        let y = try #require(Reduction.Axis(sourceLength: height, outputs: outputs.height, scale: scale, offset: top))
        var output = [UInt8](repeating: 0, count: outputs.width * outputs.height * bands)
        let done = source.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { output in
                Reduction.apply(
                    x: x, y: y, source: source.baseAddress!, sourceStride: width * bands, bands: bands,
                    output: output.baseAddress!, outputStride: outputs.width * bands, portable: portable)
            }
        }
        #expect(done)
        return output
    }

    /// Separable Lanczos3 in double precision, written out directly (edges repeated, no
    /// rounding between the passes): what the fixed-point loops approximate.
    static func exactReduction(
        _ source: [UInt8], width: Int, height: Int, bands: Int, scale: Double, left: Int, top: Int, outputs: VideoSize
    ) -> [Double] {
        func taps(_ index: Int, length: Int) -> [(Int, Double)] {
            let centre = (Double(index) + 0.5) / scale - 0.5
            let factor = 1 / scale
            var taps: [(Int, Double)] = []
            for k in Int((centre - 3 * factor).rounded(.down))...Int((centre + 3 * factor).rounded(.up)) {
                let t = (Double(k) - centre) / factor
                let weight = t == 0 ? 1 : abs(t) >= 3 ? 0 : 3 * sin(.pi * t) * sin(.pi * t / 3) / (.pi * .pi * t * t)
                taps.append((min(max(k, 0), length - 1), weight))
            }
            let total = taps.reduce(0) { $0 + $1.1 }
            return taps.map { ($0.0, $0.1 / total) }
        }
        var columns = [Double](repeating: 0, count: width * outputs.height * bands)
        for j in 0..<outputs.height {
            for (row, weight) in taps(top + j, length: height) {
                for i in 0..<(width * bands) { columns[j * width * bands + i] += Double(source[row * width * bands + i]) * weight }
            }
        }
        var result = [Double](repeating: 0, count: outputs.width * outputs.height * bands)
        for i in 0..<outputs.width {
            for (column, weight) in taps(left + i, length: width) {
                for j in 0..<outputs.height {
                    for band in 0..<bands {
                        result[(j * outputs.width + i) * bands + band] += columns[(j * width + column) * bands + band] * weight
                    }
                }
            }
        }
        return result
    }

    @Test("the AVX2 loops give exactly the bytes of the plain C loops", arguments: [1, 3, 4])
    func vectorMatchesPortable(bands: Int) throws {
        // Output widths that are and are not multiples of four (the vector loop's step), rows
        // not a multiple of 16 bytes, reductions from barely to eightfold, and plain noise
        // (negative lobes and clamping at both ends).
        let cases: [(width: Int, height: Int, scale: Double, left: Int, top: Int, outputs: VideoSize)] = [
            (1632, 918, 1280.0 / 1632, 0, 0, VideoSize(width: 1280, height: 720)),
            (333, 211, 0.61, 3, 1, VideoSize(width: 199, height: 127)),
            (97, 61, 0.5, 0, 2, VideoSize(width: 47, height: 29)),
            (400, 300, 0.125, 1, 0, VideoSize(width: 49, height: 37)),
            (50, 40, 0.99, 0, 0, VideoSize(width: 49, height: 39)),
        ]
        for (index, item) in cases.enumerated() {
            for noise in [false, true] {
                let source = Self.image(width: item.width, height: item.height, bands: bands, noise: noise, seed: UInt64(index + 1))
                let vector = try Self.reduce(
                    source, width: item.width, height: item.height, bands: bands, scale: item.scale, left: item.left, top: item.top,
                    outputs: item.outputs)
                let portable = try Self.reduce(
                    source, width: item.width, height: item.height, bands: bands, scale: item.scale, left: item.left, top: item.top,
                    outputs: item.outputs, portable: true)
                // Counted rather than compared whole, so a failure prints a number, not two
                // arrays of millions of bytes.
                let differing = zip(vector, portable).filter { $0 != $1 }.count
                #expect(vector.count == portable.count && differing == 0, "case \(index), noise \(noise): \(differing) bytes differ")
            }
        }
        // Say which loops ran, so a run on a machine without AVX2 is not mistaken for a check.
        print("ReductionTests: AVX2 loops \(cresample_has_vector_loops() == 1 ? "present" : "absent; both runs used the plain loops")")
    }

    @Test("the fixed-point result is within rounding of exact Lanczos3", arguments: [1, 3, 4])
    func matchesExactLanczos3(bands: Int) throws {
        let (width, height) = (301, 187)
        let outputs = VideoSize(width: 160, height: 90)
        let scale = 0.55, left = 4, top = 2
        let source = Self.image(width: width, height: height, bands: bands)
        let ours = try Self.reduce(source, width: width, height: height, bands: bands, scale: scale, left: left, top: top, outputs: outputs)
        let exact = Self.exactReduction(
            source, width: width, height: height, bands: bands, scale: scale, left: left, top: top, outputs: outputs)
        let differences = zip(ours, exact).map { abs(Double($0) - $1) }
        let largest = differences.max() ?? 0
        let mean = differences.reduce(0, +) / Double(differences.count)
        // Each pass rounds once (half a level) and the weights are 14-bit.
        #expect(largest <= 1.5, "largest difference \(largest)")
        #expect(mean < 0.4, "mean difference \(mean)")
    }

    @Test("a flat image stays exactly flat, edges included")
    func flatStaysFlat() throws {
        let source = [UInt8](repeating: 173, count: 123 * 77 * 3)
        let output = try Self.reduce(source, width: 123, height: 77, bands: 3, scale: 0.3, outputs: VideoSize(width: 36, height: 23))
        #expect(output.allSatisfy { $0 == 173 })
    }

    @Test("the weights of each output pixel sum to exactly one and stay inside the source")
    func weights() throws {
        for (length, outputs, scale, offset) in [(1632, 1280, 1280.0 / 1632, 0), (2048, 720, 0.3515625, 11), (40, 20, 0.5, 0)] {
            let axis = try #require(Reduction.Axis(sourceLength: length, outputs: outputs, scale: scale, offset: offset))
            #expect(axis.taps % 2 == 0)
            #expect(axis.starts.count == outputs)
            for i in 0..<outputs {
                let weights = axis.weights[(i * axis.taps)..<((i + 1) * axis.taps)]
                #expect(weights.reduce(0) { $0 + Int($1) } == Reduction.Axis.one)
                #expect(axis.starts[i] >= 0 && Int(axis.starts[i]) + axis.taps <= length)
                if i > 0 { #expect(axis.starts[i] >= axis.starts[i - 1]) }
            }
        }
        // A source shorter than the filter is left to libvips.
        #expect(Reduction.Axis(sourceLength: 5, outputs: 2, scale: 0.4, offset: 0) == nil)
    }

    @Test("prep's cover fit gives libvips' resize result, through the reducer, on a real photo")
    func coverMatchesLibvips() throws {
        try ImageProcessing.start()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("demo/holiday.jpg"))))
        let image = try VipsImage.open(SourceBytes(copying: bytes), options: "access=random")
        let target = VideoSize(width: 720, height: 1280)
        let geometry = CoverGeometry(source: image.width, image.height, target: target)
        let region = geometry.region
        let cropped = try image.extractArea(left: region.left, top: region.top, width: region.width, height: region.height)

        // The mechanism: a decoded 8-bit photo being shrunk goes through the reducer...
        let reduced = try #require(
            try Reduction.reduce(
                cropped, scaleX: geometry.scale, scaleY: geometry.scale, left: geometry.offsetX, top: geometry.offsetY,
                size: target))
        #expect(reduced.width == target.width && reduced.height == target.height && reduced.bands == 3)
        // ...keeping the metadata later stages read (the orientation) ...
        #expect(reduced.orientation == image.orientation && image.orientation != 1)
        // ...and enlarging or 16-bit pixels do not.
        #expect(!Reduction.applies(to: cropped, scaleX: 1.5, scaleY: 1.5))
        #expect(!Reduction.applies(to: try cropped.cast(VIPS_FORMAT_USHORT), scaleX: 0.5, scaleY: 0.5))

        // The picture: libvips' own Lanczos3 resize of the same region, cut at the same place.
        let libvips = try FitStage.cutExactly(
            cropped.resize(horizontal: geometry.scale, vertical: geometry.scale), target: target, left: geometry.offsetX,
            top: geometry.offsetY)
        let (ours, theirs) = (try reduced.pixelBytes(), try libvips.pixelBytes())
        #expect(ours.count == theirs.count)
        let squared = zip(ours, theirs).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) } / Double(ours.count)
        let psnr = 10 * log10(255 * 255 / max(squared, 1e-9))
        #expect(psnr >= 45, "PSNR against libvips' resize: \(psnr) dB")
    }
}
