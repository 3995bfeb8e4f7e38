import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One input for `soraimg bench`: a name and its encoded bytes, held in memory so the disk is
/// not measured.
public struct BenchInput: Sendable {
    public let name: String
    public let bytes: [UInt8]
    public let format: ImageFormat
    public let size: VideoSize

    public init(name: String, bytes: [UInt8]) throws(PrepError) {
        try ImageProcessing.start()
        guard !bytes.isEmpty else { throw PrepError(.corrupt, "\(name): empty file") }
        let source = try ImageHeader.read(SourceBytes(copying: bytes)).source
        self.name = name
        self.bytes = bytes
        format = source.format
        size = source.stored
    }
}

/// What a bench run measured for one kind of input.
public struct BenchResult: Sendable {
    public let format: ImageFormat
    public let images: Int
    /// The median over the rounds.
    public let seconds: Double
    public let megapixels: Double

    public var imagesPerSecond: Double { Double(images) / seconds }
    public var megapixelsPerSecond: Double { megapixels / seconds }
}

/// Measures prep on this machine: each input prepared in memory (encoded, never written),
/// several at once as `soraimg prep` does, the median of a few rounds.
public enum PrepBench {
    public static func run(_ inputs: [BenchInput], options: PrepOptions, jobs: Int, rounds: Int) throws(PrepError) -> [BenchResult] {
        try ImageProcessing.start()
        var results: [BenchResult] = []
        for format in ImageFormat.allCases {
            let group = inputs.filter { $0.format == format }
            guard !group.isEmpty else { continue }
            var times: [Double] = []
            for _ in 0..<max(1, rounds) {
                times.append(try time(group, options: options, jobs: jobs))
            }
            let megapixels = group.map { Double($0.size.pixels) / 1e6 }.reduce(0, +)
            results.append(BenchResult(format: format, images: group.count, seconds: times.sorted()[times.count / 2], megapixels: megapixels))
        }
        return results
    }

    private static func time(_ inputs: [BenchInput], options: PrepOptions, jobs: Int) throws(PrepError) -> Double {
        let workers = max(1, min(jobs, inputs.count))
        Vips.setThreadsPerImage(ProcessInfo.processInfo.activeProcessorCount / workers)
        let start = DispatchTime.now()
        let failures = WorkerPool.map(count: inputs.count, workers: workers) { index -> PrepError? in
            let input = inputs[index]
            do throws(PrepError) {
                _ = try ImagePrep.prepare(SourceBytes(copying: input.bytes), options: options)
                return nil
            } catch {
                return PrepError(error.kind, "\(input.name): \(error.message)")
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        if let error = failures.compactMap({ $0 ?? nil }).first { throw error }
        return elapsed
    }

    /// The process' peak resident memory so far, in bytes.
    public static var peakMemory: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// A phone-sized photo made on the spot (4032x3024, smooth shading with fine grain, as a
    /// quality-92 JPEG), for a bench without inputs: nothing to download or bundle.
    public static func syntheticPhoto(width: Int = 4032, height: Int = 3024) throws(PrepError) -> BenchInput {
        try ImageProcessing.start()
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var seed: UInt32 = 0x9E37_79B9
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in 0..<height {
                for x in 0..<width {
                    seed = seed &* 1_664_525 &+ 1_013_904_223
                    let grain = Int(seed >> 28) - 8
                    let index = (y * width + x) * 3
                    buffer[index] = UInt8(clamping: x * 255 / width + grain)
                    buffer[index + 1] = UInt8(clamping: y * 255 / height + grain)
                    buffer[index + 2] = UInt8(clamping: ((x / 97 + y / 89) % 2) * 120 + 60 + grain)
                }
            }
        }
        let bytes = try VipsImage.encodeJPEG(rgb: pixels, width: width, height: height, quality: 92)
        return try BenchInput(name: "synthetic-\(width)x\(height).jpg", bytes: bytes)
    }
}
