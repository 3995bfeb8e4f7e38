import Benchmark
import Foundation
import SoraImg

// Prep's cost per input: each benchmark prepares one image, already in memory, to the default
// target (sora-2, --size auto, JPEG quality 95 4:2:0) and writes nothing. The input is read in
// the benchmark's setup, so the disk is never measured; one iteration is one prep.
//
// The fixture benchmarks always run, under the same names on every machine, so their baselines
// compare anywhere. Two more run on real phone-size files when SORAIMG_CORPUS names the corpus
// (as CI sets it); without it they are not registered, and the run says nothing of them.
//
// mallocCountTotal is the deterministic metric: the thresholds below make `baseline check` and
// `thresholds check` fail on it alone. Wall clock, CPU time, throughput and peak resident memory
// depend on the machine and its load: they are reported, never gated.

/// The checkout's root: this file is `Benchmarks/Benchmarks/PrepBenchmarks/PrepBenchmarks.swift`.
let checkoutRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // PrepBenchmarks
    .deletingLastPathComponent()  // Benchmarks (sources)
    .deletingLastPathComponent()  // Benchmarks (the package)
    .deletingLastPathComponent()

func fixture(_ path: String) -> String {
    checkoutRoot.appendingPathComponent("Fixtures").appendingPathComponent(path).path
}

/// The real-world corpus's `files/` folder, when SORAIMG_CORPUS is set.
func corpusFile(_ name: String) -> String? {
    guard let corpus = ProcessInfo.processInfo.environment["SORAIMG_CORPUS"], !corpus.isEmpty else { return nil }
    return URL(fileURLWithPath: corpus).appendingPathComponent("files").appendingPathComponent(name).path
}

struct MissingInput: Error, CustomStringConvertible {
    let path: String
    var description: String { "cannot read benchmark input \(path)" }
}

/// The whole file, read once in setup.
func readInput(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { throw MissingInput(path: path) }
    return [UInt8](data)
}

let benchmarks: @Sendable () -> Void = {
    // Allocation counts gate: 1% either way at the median and p90 is a regression (or an
    // improvement to take into a new baseline). Everything else is reported only.
    let reportedOnly = BenchmarkThresholds()
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput],
        timeUnits: .milliseconds,
        units: [.peakMemoryResident: .mega],
        // The first iteration starts libvips (once per process) and is not measured.
        warmupIterations: 1,
        // One prep is milliseconds, far above the measuring overhead: no inner loop needed.
        scalingFactor: .one,
        // Whichever comes first; keeps the whole run (six benchmarks) well under two minutes here.
        maxDuration: .seconds(3),
        maxIterations: 100,
        thresholds: [
            .mallocCountTotal: BenchmarkThresholds(relative: [.p50: 1.0, .p90: 1.0]),
            .wallClock: reportedOnly,
            .cpuTotal: reportedOnly,
            .throughput: reportedOnly,
            .peakMemoryResident: reportedOnly,
        ]
    )

    /// One benchmark: prepare `input` (made by `load`, in setup) to the default target.
    func prep(_ name: String, load: @escaping @Sendable () throws -> [UInt8]) {
        let options = PrepOptions()
        Benchmark(name) { benchmark, input in
            for _ in benchmark.scaledIterations {
                let prepared = try ImagePrep.prepare(.bytes(input), options: options)
                blackHole(prepared)
            }
        } setup: {
            try load()
        }
    }

    // Small JPEG fixture: 400x640 stored, EXIF orientation 6 (640x400 upright).
    prep("JPEG landscape-6.jpg 400x640") { try readInput(fixture("orientation/landscape-6.jpg")) }
    // The demo photo: 1000x1600, orientation 6, GPS, face region, EXIF thumbnail.
    prep("JPEG holiday.jpg 1000x1600") { try readInput(fixture("demo/holiday.jpg")) }
    prep("PNG pattern-landscape.png 640x400") { try readInput(fixture("pattern-landscape.png")) }
    // A WebP made from the PNG at setup (itself 1280x720, so prep only re-encodes it).
    prep("WebP pattern-landscape.webp 1280x720") {
        var options = PrepOptions()
        options.format = .webp
        return try ImagePrep.prepare(.file(fixture("pattern-landscape.png")), options: options).bytes
    }

    // Real phone-size files, with the corpus only.
    if let jolla = corpusFile("ianare__jolla.jpg") {
        prep("JPEG corpus jolla.jpg 3264x2448") { try readInput(jolla) }
    }
    if let webp = corpusFile("sharp__4.webp") {
        prep("WebP corpus 4.webp 1024x772") { try readInput(webp) }
    }
}
