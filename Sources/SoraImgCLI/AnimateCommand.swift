import ArgumentParser
import Dispatch
import Foundation
import SoraImg

struct AnimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "animate",
        abstract: "Make a video from a photo (or from a prompt alone) and download it.",
        discussion: """
            Prepares each photo in memory exactly as `soraimg prep` would (upright, exact size, sRGB, no metadata), uploads it as the job's input_reference, waits for the job and downloads the MP4. The size sent is always the size of the image made, so they can never disagree. With no IMAGE the job is text-only.

            Every job's id is written to the journal ($XDG_STATE_HOME/soraimg/jobs.jsonl) before soraimg waits on it. Ctrl-C or --deadline leaves the job running and prints `soraimg wait ID`, which resumes. A create that got no answer is checked against the service's job list before it is ever sent again, so a job is not paid for twice.

            With --provider openrouter (OPENROUTER_API_KEY) the photo goes as the first frame of a JSON create, and any model `soraimg models --provider openrouter` lists can be named with --model. OpenRouter keeps no job list: a create whose answer was lost stops with exit 75, and is sent again only with --resend-unconfirmed.

            Running the same command again resumes from the journal: a job already made for the same photo, prompt, model, size, seconds and service is waited for and downloaded instead of paid for again, and one whose video is already in place is left alone (--force asks for a new video). An interrupted batch finishes that way without resubmitting finished work. Creates go out one at a time; a rate limit (429) is retried up to 30 times at the service's Retry-After.

            Examples:
              soraimg sandbox &                      # a local server of the protocol (prints its URL)
              OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=test soraimg animate photo.jpg --prompt "waves roll in"
              soraimg animate photo.jpg --prompt "..." --dry-run     # fields, image size and estimated cost; sends nothing
              soraimg animate --prompt "a paper boat on a pond" --seconds 8 --no-wait
            """
    )

    @Argument(help: "Photos to animate; none for a text-only job.")
    var images: [String] = []

    @Option(help: "What should happen in the video (required unless --manifest gives one per line).")
    var prompt: String?

    @Option(help: ArgumentHelp(
        "A batch, one JSON object per line: image, prompt and optionally model, seconds, size, output, provider (paths relative to the manifest's folder). Every line is checked before anything is sent.",
        valueName: "FILE.jsonl"))
    var manifest: String?

    @OptionGroup var target: ModelOptions
    @OptionGroup var service: ProviderOption

    @Option(
        help: ArgumentHelp("Length in seconds (the model's list, such as 4, 8, 12, 16, 20 for sora-2; 8s is 8). Default: the model's (4 for sora-2, 8 for Veo).", valueName: "seconds"),
        transform: { AnimateCommand.wholeSeconds($0) })
    var seconds: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Video file or folder (default: ./STEM.mp4, or ./VIDEO_ID.mp4 for a text-only job).", valueName: "FILE|DIR"))
    var output: String?

    @Option(help: ArgumentHelp("What to download, comma-separated: video, thumbnail (BASE.thumbnail.webp), spritesheet (BASE.spritesheet.jpg); the last two from openai only.", valueName: "list"))
    var variant = "video"

    @Flag(help: "Create the job, print its id and return without waiting.")
    var noWait = false

    @Flag(help: "Print the request (fields, image size and bytes, estimated cost) and send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Stop waiting after this long (90s, 30m, 2h); the job goes on and `soraimg wait` resumes.", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!

    @Option(help: "How the image is sent: multipart (a file part, streamed) or data-url (JSON with a base64 data URL).")
    var inputReference = ReferenceEncoding.multipart

    @Option(help: ArgumentHelp(
        "An image the service already holds (a gateway that keeps uploaded files), by its file id, instead of a photo: sent as input_reference {\"file_id\": ID} in a JSON body; nothing is prepared here, so give --size for a portrait video (openai protocol only).",
        valueName: "ID"))
    var inputFileID: String?

    @Option(help: "Photos prepared at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "At most this many of these jobs running on the service at once.")
    var maxRunning = 2

    @OptionGroup(title: "The reference image") var fitting: FitOptions

    @OptionGroup(title: "The reference image") var encoding: QualityOption

    @Option(help: "When a reference image shows a human face: refuse (exit 65 before any upload; the default where the provider is known to reject faces, as the OpenAI protocol does), warn (upload anyway; the default elsewhere) or ignore (do not look).")
    var faces: FacePolicy?

    @Flag(help: "Replace existing output files. It never pays for a new job by itself: a job already made for the same request is downloaded again.")
    var force = false

    @Flag(help: "Send again a create whose outcome is unknown at a provider without a job list (openrouter, gemini, xai), once you have checked it made no job.")
    var resendUnconfirmed = false

    @Flag(help: "Print one JSON document on standard output.")
    var json = false

    @Flag(name: [.short, .long], help: "Only warnings and errors on standard error (result lines still go to standard output).")
    var quiet = false

    @OptionGroup var api: APIOptions

    func validate() throws {
        guard jobs >= 1, maxRunning >= 1 else { throw ValidationError("--jobs and --max-running must be at least 1") }
        guard images.count <= 1 || output == nil || output!.hasSuffix("/") || FileManager.default.fileExists(atPath: output!) else {
            throw ValidationError("-o \(output!) names one file but \(images.count) photos were given; use -o DIR/")
        }
        if inputFileID != nil {
            guard images.isEmpty, manifest == nil else { throw ValidationError("--input-file-id names the image: give no photo and no --manifest with it") }
        }
        if manifest != nil {
            guard images.isEmpty else { throw ValidationError("give photos either as arguments or in --manifest, not both") }
        } else if prompt == nil {
            throw ValidationError("--prompt is required (or --manifest, with a prompt on each line)")
        }
        guard images.filter({ $0 == "-" }).isEmpty || images.count == 1 else { throw ValidationError("standard input (-) can only be the one photo") }
        _ = try parseVariants(variant)
    }

    func run() throws {
        try Terminal.startImageProcessing()
        var prep = PrepOptions()
        let provider = try service.resolved()
        // OpenRouter's model list sizes a model without a built-in table: asked for when the
        // model needs it (a dry run sends nothing and reads only the cached list).
        var early: JobEngine?
        var catalogue: OpenRouterCatalogue?
        if provider == .openrouter {
            catalogue = api.cachedOpenRouterModels()
            let name = target.model ?? provider.defaultModel
            if !dryRun, !VideoModel(named: name, provider: provider).isKnown || manifest != nil {
                let engine = try api.engine(provider: provider, deadline: deadline.seconds)
                early = engine
                do {
                    catalogue = try engine.openRouterModels { Terminal.warn($0) }
                } catch {
                    // Without the list the model is a pass-through name: --size decides.
                    Terminal.warn("OpenRouter's model list could not be read: \(error.message)")
                }
            }
        }
        try target.apply(to: &prep, provider: provider, catalogue: catalogue)
        fitting.apply(to: &prep)
        encoding.apply(to: &prep)
        // Without a detector there is nothing to refuse on: such builds cannot look.
        prep.faces = faces ?? (provider.rejectsFaces && FaceDetection.isAvailable ? .refuse : .warn)
        var template = AnimateJob(prompt: prompt ?? "", model: prep.model, seconds: seconds ?? prep.model.defaultSeconds ?? "4", size: prep.size, image: nil, output: output)
        template.variants = try parseVariants(variant)
        template.prep = prep
        template.referenceEncoding = inputReference
        template.inputFileID = inputFileID
        template.replacing = force
        var planned: [AnimateJob] = []
        do {
            if let manifest {
                planned = try AnimateManifest.jobs(
                    from: manifest, template: template, provider: provider.rawValue, models: catalogue.map { list in { list.videoModel(for: $0) } })
            } else {
                for image in images.isEmpty ? [nil] : images.map(Optional.some) {
                    var job = template
                    job.image = image
                    try job.validate()
                    planned.append(job)
                }
            }
            for job in planned { try OpenRouterCatalogue.check(job, catalogue: catalogue) }
        } catch {
            Terminal.report(error)
            throw ExitCode(error.exitStatus.rawValue)
        }
        let jobs = planned

        if dryRun { return try printDryRun(jobs, openRouterModels: catalogue) }

        var configured = try early ?? api.engine(provider: provider, deadline: deadline.seconds)
        configured.resendUnconfirmed = resendUnconfirmed
        configured.prepGate = PrepGate(width: self.jobs)
        let engine = configured
        // Refuse what cannot be written before anything is paid for.
        do {
            try AnimatePlan.check(jobs, journal: engine.journal)
        } catch {
            Terminal.report(error)
            throw ExitCode(error.exitStatus.rawValue)
        }
        Terminal.handleInterrupts()
        let reporter = JobReporter(json: json, quiet: quiet)
        let wait = !noWait
        let results = JobBatch.run(count: jobs.count, maxRunning: maxRunning, shouldStart: { !Interruption.isRequested }) { index in
            let job = jobs[index]
            do {
                let made = try engine.animate(job, wait: wait) { reporter.handle($0, label: job.image ?? "text-only") }
                let outputs = wait ? job.videoPath(id: made.id).map { path in job.variants.map { AnimateJob.path(of: $0, video: path) } } ?? [] : []
                if let cost = made.cost, !json, !quiet {
                    Terminal.printError("\((job.image ?? "text-only").printable(limit: 200)): cost \(String(format: "$%.4f", cost)) (as the service reported it)")
                }
                var item = AnimateDocument.Item(input: job.image, id: made.id, status: made.status?.rawValue ?? made.providerStatus, outputs: outputs)
                item.costUSD = made.cost
                return item
            } catch {
                let error = error as? VideosError ?? VideosError(.unavailable, "\(error)")
                reporter.finish()
                Terminal.report(error, input: job.image)
                return AnimateDocument.Item(input: job.image, error: error, exitCode: Terminal.exitCode(for: error))
            }
        }
        reporter.finish()
        let items = results.compactMap { $0 }
        let failed = items.filter { $0.exitCode != nil }.count
        if jobs.count > 1, !quiet || failed > 0 {
            let made = wait ? "\(items.count - failed) videos" : "\(items.count - failed) jobs"
            let skipped = jobs.count - items.count
            Terminal.printError(
                "\(made), \(failed) failed, \(reporter.resumed) resumed" + (skipped > 0 ? ", \(skipped) not started" : ""))
        }
        if Interruption.isRequested, jobs.count > 1 {
            Terminal.printError(
                "soraimg: interrupted; run the same command again to finish the batch: jobs already made are resumed and files in place are kept, nothing is paid for twice")
        }
        if !json, !wait { for item in items { if let id = item.id, item.exitCode == nil { print(id.printable(limit: 200)) } } }
        if json { printJSON(AnimateDocument(jobs: items.filter { $0.exitCode == nil }, errors: items.filter { $0.exitCode != nil })) }
        if Interruption.isRequested { throw ExitCode(Terminal.signalExitCode == 0 ? 130 : Terminal.signalExitCode) }
        if let failed = items.first(where: { $0.exitCode != nil }), let code = failed.exitCode { throw ExitCode(code) }
    }

    /// `8s`, `1m` or `8` → `"8"`, the string the API wants. Anything else goes as written, for a
    /// provider whose durations soraimg does not know.
    static func wholeSeconds(_ text: String) -> String {
        guard Double(text) == nil, let seconds = Units.seconds(text), seconds == seconds.rounded(), seconds < 1e9 else { return text }
        return String(Int(seconds))
    }

    private func printDryRun(_ jobs: [AnimateJob], openRouterModels: OpenRouterCatalogue?) throws {
        var requests: [DryRunDocument.Request] = []
        for job in jobs {
            let plan: DryRun
            do {
                plan = try JobEngine.dryRun(job, openRouterModels: openRouterModels)
            } catch {
                Terminal.report(error, input: job.image)
                throw ExitCode(error.exitStatus.rawValue)
            }
            if let image = plan.image, let factor = image.upscale {
                Terminal.printError(UpscaleWarning.line(factor, input: job.image ?? "-", from: plan.source?.upright, to: image.size))
            }
            let provider = job.model.provider
            requests.append(DryRunDocument.Request(input: job.image, provider: provider.rawValue, plan: plan))
            if json { continue }
            let how = provider == .openai ? "POST /videos as \(plan.image == nil || plan.encoding == .dataURL ? "JSON" : "multipart/form-data")" : "a \(provider) create"
            var lines = ["\(job.image ?? "text-only"): \(how) (dry run: nothing sent)"]
            lines += plan.fields.map { "  \($0.name): \($0.value)" }
            if let image = plan.image {
                lines.append("  image: \(image.size) \(image.format.displayName), \(image.bytes) bytes, metadata removed: \(image.removed.isEmpty ? "none found" : image.removed.map(\.rawValue).joined(separator: ", "))")
            }
            lines.append("  estimated cost: " + (plan.estimatedCost.map { String(format: "$%.2f at the model's reference price", $0) } ?? "unknown for this model"))
            print(lines.joined(separator: "\n"))
        }
        let document = DryRunDocument(requests: requests)
        if json { return printJSON(document) }
        if jobs.count > 1 {
            let total = document.estimated_usd.map { String(format: "$%.2f at the models' reference prices", $0) }
                ?? "unknown (no reference price for a model)"
            print("total: \(jobs.count) requests, estimated cost \(total); nothing sent")
        }
    }
}

/// The `--json` document of `animate --dry-run`: each request as it would be sent, and the
/// estimated cost of them all (null when a model has no reference price).
struct DryRunDocument: Encodable {
    struct Image: Encodable {
        let width: Int
        let height: Int
        let format: String
        let bytes: Int
        /// How many times the photo was enlarged; absent when it was not.
        let upscale: Double?
    }

    struct Request: Encodable {
        let input: String?
        let provider: String
        let model: String
        let size: String
        let seconds: String
        let image: Image?
        let estimated_usd: Double?

        init(input: String?, provider: String, plan: DryRun) {
            self.input = input
            self.provider = provider
            let fields = Dictionary(plan.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            model = fields["model"] ?? ""
            size = fields["size"] ?? ""
            seconds = fields["seconds"] ?? ""
            image = plan.image.map { Image(width: $0.size.width, height: $0.size.height, format: $0.format.rawValue, bytes: $0.bytes, upscale: $0.upscale) }
            estimated_usd = plan.estimatedCost.map { ($0 * 100).rounded() / 100 }
        }

        // Every key is written, null included, so scripts can rely on the shape.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(input, forKey: .input)
            try container.encode(provider, forKey: .provider)
            try container.encode(model, forKey: .model)
            try container.encode(size, forKey: .size)
            try container.encode(seconds, forKey: .seconds)
            try container.encode(image, forKey: .image)
            try container.encode(estimated_usd, forKey: .estimated_usd)
        }

        enum CodingKeys: String, CodingKey {
            case input, provider, model, size, seconds, image, estimated_usd
        }
    }

    let requests: [Request]
    /// The sum, or nil when any request has no price.
    var estimated_usd: Double? {
        requests.reduce(Optional(0.0)) { total, request in total.flatMap { sum in request.estimated_usd.map { sum + $0 } } }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requests, forKey: .requests)
        try container.encode(estimated_usd.map { ($0 * 100).rounded() / 100 }, forKey: .estimated_usd)
    }

    enum CodingKeys: String, CodingKey {
        case requests, estimated_usd
    }
}

/// The `--json` document of `animate`.
struct AnimateDocument: Encodable {
    struct Item: Encodable {
        let input: String?
        let id: String?
        let status: String?
        let outputs: [String]?
        let exitCode: Int32?
        let message: String?
        let hint: String?
        /// US dollars, when the service reported what the job cost.
        var costUSD: Double?

        init(input: String?, id: String, status: String, outputs: [String]) {
            self.input = input
            self.id = id
            self.status = status
            self.outputs = outputs
            exitCode = nil
            message = nil
            hint = nil
        }

        init(input: String?, error: VideosError, exitCode: Int32) {
            self.input = input
            id = error.videoID
            status = nil
            outputs = nil
            self.exitCode = exitCode
            message = error.message
            hint = error.hint
        }

        enum CodingKeys: String, CodingKey {
            case input, id, status, outputs, message, hint
            case exitCode = "exit_code"
            case costUSD = "cost_usd"
        }
    }

    let jobs: [Item]
    let errors: [Item]
}
