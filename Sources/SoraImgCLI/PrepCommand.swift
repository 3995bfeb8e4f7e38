import ArgumentParser
import Dispatch
import Foundation
import SoraImg

struct PrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prep",
        abstract: "Make an exact-size, metadata-free reference image from each photo.",
        discussion: """
            Reads JPEG, PNG or WebP (detected from the content, not the name), applies the EXIF orientation, picks portrait or landscape from the upright photo, crops the centre to the model's aspect ratio and resizes to exactly the target size with Lanczos3. The result is 8-bit sRGB with transparency flattened, and carries no EXIF, GPS, maker notes, XMP (face and person regions), IPTC, ICC profile or thumbnail.

            Output names: photo.jpg becomes photo.1280x720.jpg beside the input, or in -o DIR/. Existing files are never replaced without --force, and files are written whole or not at all.

            Examples:
              soraimg prep photo.jpg
              soraimg prep *.jpg -o prepared/ --model sora-2-pro --size max
              soraimg prep scan.png -o reference.webp --quality 90
              cat photo.jpg | soraimg prep - -o - > reference.jpg
            """
    )

    @Argument(help: "Images to prepare (JPEG, PNG or WebP); - reads standard input.")
    var images: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Output file, or folder (an existing one, or a path ending in /), or - for standard output.",
        valueName: "FILE|DIR|-"))
    var output: String?

    @OptionGroup var target: ModelOptions
    @OptionGroup var service: ProviderOption

    @Option(help: "Output format (default: from the -o extension, else jpeg).")
    var format: ImageFormat?

    @Option(help: "JPEG chroma subsampling: 420 (smaller, as other tools write) or 444.")
    var chroma = ChromaSubsampling.s420

    @OptionGroup var fitting: FitOptions

    @OptionGroup var encoding: QualityOption

    @Option(help: "When the image made shows a human face (the Videos API rejects those): warn, refuse (exit 65, nothing written) or ignore (do not look).")
    var faces = FacePolicy.warn

    @Option(help: "Images prepared at once.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var limits: InputLimitOptions

    @Flag(help: "Replace existing output files.")
    var force = false

    @Flag(help: "Print one JSON document on standard output; messages go to standard error.")
    var json = false

    @Flag(name: [.short, .long], help: "Only warnings and errors on standard error (result lines still go to standard output).")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        // Image bytes on a terminal are noise at best and can drive it at worst.
        if output == "-", isatty(STDOUT_FILENO) == 1 {
            throw ValidationError("-o - writes the image's bytes to standard output, which is a terminal here; give -o FILE, or pipe it: soraimg prep IMAGE -o - > FILE")
        }
    }

    /// Kept alive for the process' life; set once, before any work.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    /// Ctrl-C, SIGTERM and SIGHUP end a batch at once with `stop`; what is already written is
    /// whole, and nothing half-written stays.
    private static func stopOnSignals(_ stop: @escaping @Sendable (Int32) -> Never) {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop(number == SIGINT ? 130 : 143) }
            source.resume()
            signalSources.append(source)
        }
    }

    func run() throws {
        try Terminal.startImageProcessing()
        var options = PrepOptions()
        try target.apply(to: &options, provider: try service.resolved())
        options.chroma = chroma
        fitting.apply(to: &options)
        encoding.apply(to: &options)
        options.faces = faces
        limits.apply(to: &options)

        // File names by their bytes, which need not be UTF-8.
        let names = RawArguments.lossless(images + (output.map { [$0] } ?? []))
        // A folder prepared before holds soraimg's own outputs; a glob would pick them up.
        let given = Array(names.prefix(images.count))
        var (inputs, skipped) = PreparedName.skippingEarlierOutputs(given)
        if inputs.isEmpty { return }

        var plan: (preps: [PlannedPrep], format: ImageFormat)
        do {
            plan = try OutputPlan.make(inputs: inputs, output: output == nil ? nil : names.last, format: format, json: json)
            // A skipped name this run would write over is an input to protect, not an earlier
            // output to pass over: with it back in the plan, the plan refuses (an input is
            // never an output).
            let protected = PreparedName.overwritten(skipped, by: plan.preps)
            if !protected.isEmpty {
                inputs = given.filter { inputs.contains($0) || protected.contains($0) }
                skipped.removeAll { protected.contains($0) }
                plan = try OutputPlan.make(inputs: inputs, output: output == nil ? nil : names.last, format: format, json: json)
            }
            for name in skipped where !quiet {
                Terminal.printError("soraimg: \(FileName.display(name).printable(limit: 300)): skipped, named like soraimg's own output (STEM.WxH.EXT); give it alone to prepare it anyway")
            }
            options.format = plan.format
            try options.validate()
        } catch {
            throw ValidationError(FileName.display(error.message))
        }

        let progress = PrepReporter(json: json, quiet: quiet, total: plan.preps.count)
        Self.stopOnSignals { progress.interrupted(exitCode: $0) }
        let outcomes = PrepBatch.run(plan.preps, options: options, replacing: force, jobs: jobs) { _, outcome in
            progress.report(outcome)
        }
        progress.finish(outcomes)
        let status = outcomes.exitStatus
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
