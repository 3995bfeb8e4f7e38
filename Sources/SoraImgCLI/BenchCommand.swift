import ArgumentParser
import Foundation
import SoraImg

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prep on this machine: images/s, megapixels/s and peak memory.",
        discussion: """
            Prepares each image in memory (encoded, never written) with the given options, several at once as `soraimg prep` does, and reports the median of --rounds runs per input format. With no IMAGE it makes a 12-megapixel phone-sized photo on the spot and prepares eight copies. For a comparison with pyvips and Pillow on the same photos, see Benchmarks/compare.sh.
            """
    )

    @Argument(help: "Images to prepare (default: a built-in synthetic 12 MP photo).") var images: [String] = []
    @OptionGroup var target: ModelOptions
    @Option(help: "Rounds; the median is reported.") var rounds = 3
    @Option(help: "Images prepared at once.") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Copies of each image per round.") var copies = 8
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard rounds >= 1, jobs >= 1, copies >= 1 else { throw ValidationError("--rounds, --jobs and --copies must be at least 1") }
    }

    func run() throws {
        try Terminal.startImageProcessing()
        var options = PrepOptions()
        try target.apply(to: &options, provider: .openai)
        let inputs: [BenchInput]
        do {
            let distinct = try images.isEmpty
                ? [PrepBench.syntheticPhoto()]
                : images.map { path in
                    guard let data = FileManager.default.contents(atPath: path) else { throw PrepError(.inputMissing, "\(path): cannot read it") }
                    return try BenchInput(name: path, bytes: Array(data))
                }
            inputs = distinct.flatMap { Array(repeating: $0, count: copies) }
            let results = try PrepBench.run(inputs, options: options, jobs: jobs, rounds: rounds)
            let peak = PrepBench.peakMemory
            if json {
                printJSON(BenchDocument(results: results, peakMemoryBytes: peak, jobs: jobs, rounds: rounds))
                return
            }
            print("format  images  images/s     MP/s   (median of \(rounds) rounds, \(jobs) at once)")
            for result in results {
                print(String(format: "%-6@  %6d  %8.1f  %7.1f", result.format.displayName as NSString, result.images, result.imagesPerSecond, result.megapixelsPerSecond))
            }
            print("peak memory: \(peak / 1_048_576) MB")
        } catch let error as PrepError {
            Terminal.printError("soraimg: bench: \(error.message)")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}

struct BenchDocument: Encodable {
    struct Row: Encodable {
        let format: String
        let images: Int
        let images_per_second: Double
        let megapixels_per_second: Double
    }

    let results: [Row]
    let peak_memory_bytes: Int
    let jobs: Int
    let rounds: Int

    init(results: [BenchResult], peakMemoryBytes: Int, jobs: Int, rounds: Int) {
        self.results = results.map {
            Row(format: $0.format.rawValue, images: $0.images, images_per_second: $0.imagesPerSecond, megapixels_per_second: $0.megapixelsPerSecond)
        }
        peak_memory_bytes = peakMemoryBytes
        self.jobs = jobs
        self.rounds = rounds
    }
}
