import Dispatch
import Foundation

/// The request `--dry-run` shows instead of sending it.
public struct DryRun: Sendable {
    public let fields: [(name: String, value: String)]
    /// The reference image; `upscale` as in `PreparedImage`.
    public let image: (format: ImageFormat, size: VideoSize, bytes: Int, removed: [PrivacyKind], upscale: Double?)?
    /// What the photo was before prep; nil for a text-only job.
    public let source: SourceDescription?
    public let encoding: ReferenceEncoding
    /// US dollars at the model's reference price; nil for a model with no known price.
    public let estimatedCost: Double?
}

extension JobEngine {
    /// The request without sending it.
    /// - Parameter openRouterModels: OpenRouter's model list, which decides how the size is
    ///   named on the wire for a model without a built-in table.
    public static func dryRun(_ job: AnimateJob, openRouterModels: OpenRouterCatalogue? = nil) throws(VideosError) -> DryRun {
        try job.validate()
        let (video, prepared) = try Self.createRequest(job)
        try job.model.provider.check(video)
        let common = [("prompt", video.prompt), ("model", video.model), ("seconds", video.seconds), ("size", video.size.description)]
        let fields = common + wireFields(of: video, provider: job.model.provider, openRouterModels: openRouterModels)
        let image = prepared.map { ($0.format, $0.size, $0.bytes.count, $0.removed.kinds, $0.upscale) }
        let cost = job.model.pricePerSecond(at: video.size).map { $0 * (Double(video.seconds) ?? 0) }
        return DryRun(fields: fields, image: image, source: prepared?.source, encoding: job.referenceEncoding, estimatedCost: cost)
    }

    /// How `provider`'s create carries the size, the duration and the photo, for `--dry-run`:
    /// each names them its own way, and a new provider must say how (the switch is exhaustive).
    private static func wireFields(
        of video: CreateVideo, provider: Provider, openRouterModels: OpenRouterCatalogue?
    ) -> [(String, String)] {
        switch provider {
        case .openai:
            var fields: [(String, String)] = []
            if let reference = video.reference {
                fields.append(("input_reference", "reference.\(reference.format.fileExtension) (\(reference.format.mimeType))"))
            }
            if let fileID = video.fileID { fields.append(("input_reference", "file_id \(fileID)")) }
            return fields
        case .openrouter:
            var fields: [(String, String)] = []
            switch OpenRouterFrame(video.size, model: video.model, capabilities: openRouterModels?.model(named: video.model)) {
            case .size(let size): fields.append(("wire size", size.description))
            case .resolution(let resolution, let ratio): fields.append(("wire resolution, aspect_ratio", "\(resolution), \(ratio)"))
            }
            if let reference = video.reference {
                fields.append(("frame_images[0]", "first_frame, data:\(reference.format.mimeType);base64 (\(reference.bytes.count) bytes before encoding)"))
            }
            if let fileID = video.fileID { fields.append(("input_reference", "file_id \(fileID)")) }
            return fields
        case .gemini: return GeminiRequest.fields(of: video)
        case .xai: return XAIRequest.fields(of: video)
        case .fal: return FalRequest.fields(of: video)
        case .replicate: return ReplicateDialect.fields(of: video)
        }
    }

    /// One animate item end to end: the photo prepared in memory, the job made (or found in
    /// the journal: never paid for twice), waited for and its files downloaded. The id is in
    /// the journal before any waiting, and every error after the create carries it.
    public func animate(_ job: AnimateJob, wait: Bool = true, events: @escaping @Sendable (JobEvent) -> Void) throws(VideosError) -> JobSnapshot {
        try job.validate()
        // Before paying: a variant the provider does not serve could never be downloaded.
        try checkVariants(job.variants)
        let (video, prepared) = try Self.createRequest(job, gate: prepGate)
        try configuration.provider.check(video)
        if let prepared {
            events(.prepared(size: prepared.size, format: prepared.format, bytes: prepared.bytes.count, removed: prepared.removed.kinds, upscale: prepared.upscale))
            if let faces = prepared.faces, !faces.isEmpty { events(.facesFound(faces)) }
        }
        let request = JobRequest(
            provider: dialect.provider, baseURL: configuration.displayBaseURL, model: video.model, size: video.size.description,
            seconds: video.seconds, prompt: video.prompt, input: job.image.map(AnimateJob.absolute) ?? video.fileID.map { "file_id:" + $0 },
            referenceSHA256: video.reference.map { Digest.sha256($0.bytes) })
        let planned = job.videoPath(id: nil)
        let paths = { (output: String) in job.variants.map { AnimateJob.path(of: $0, video: output) } }
        let inPlace = { () -> Bool in planned.map { paths($0).allSatisfy { FileManager.default.fileExists(atPath: $0) } } ?? false }
        let send = { () throws(VideosError) -> HTTPRequest in try staged(video, events: events) }
        let (made, plan) = try obtainJob(for: request, send: send, filesInPlace: inPlace, replacing: job.replacing) { event in
            events(event)
        }
        switch plan {
        case .alreadyDone(let id, let output):
            // This command's own file, even when a later `download -o` made another copy.
            events(.alreadyMade(id: id, path: planned ?? output))
            return made
        case .resume(let id):
            events(.resumed(id: id, status: made.status))
        case .create, .lookUp, .unconfirmed:
            break
        }
        let output = planned ?? job.videoPath(id: made.id)
        if let output {
            // Where the video will go, so `soraimg wait ID` finds it without being told.
            var line = JournalRecord(.status, request: request, id: made.id)
            line.output = output
            line.status = made.status
            try? journal.append(line)
        }
        guard wait else { return made }
        return try finish(made.id, output: output, variants: job.variants, replacing: job.replacing, rerun: true, events: events)
    }

    /// The create for `video`, its reference image uploaded first where the provider takes it
    /// by URL from its own storage. The upload is retried like any request that changes
    /// nothing paid for; progress is reported on the bytes' transfer.
    func staged(_ video: CreateVideo, events: @escaping @Sendable (JobEvent) -> Void) throws(VideosError) -> HTTPRequest {
        guard let reference = video.reference, let start = dialect.uploadStart(reference) else { return dialect.create(video) }
        let answer: HTTPResponse
        do {
            answer = try fetch(start, id: nil, collection: true)
        } catch {
            var failure = error
            if error.kind != .interrupted && error.kind != .deadline {
                failure.message = "the reference image's upload could not start (nothing was paid for): " + error.message
            }
            throw failure
        }
        let (put, url) = try dialect.upload(reference, after: answer)
        guard let put else {
            // The start carried the bytes (Replicate's POST /files): the create names its URL.
            var staged = video
            staged.reference?.url = url
            return dialect.create(staged)
        }
        let progress: @Sendable (TransferProgress) -> Bool = { value in
            events(.uploading(sent: value.uploaded, total: value.uploadTotal))
            return !Interruption.isRequested
        }
        let result = try execute(
            put, kind: .idempotent, events: events,
            transfer: { request, _ throws(HTTPTransportError) in try http.send(request, progress: progress) })
        guard case .answer(let response) = result else { throw VideosError(.unavailable, "no answer from the upload") }
        guard (200..<300).contains(response.status) else {
            var error = dialect.error(for: response, collection: true, id: nil)
            error.message = "the reference image's upload failed (nothing was paid for): " + error.message
            throw error
        }
        var staged = video
        staged.reference?.url = url
        return dialect.create(staged)
    }

    /// Waits for a job, then downloads the variants not already in place beside `output` (by
    /// default where the journal says the job's video goes, else `./ID.mp4`). `soraimg wait`
    /// and `download` resume an animate through this.
    /// - Parameters:
    ///   - waiting: false for `download`: a job still running is reported, not waited for.
    ///   - rerun: an animate run again found this job in the journal: files all in place are
    ///     reported as the job already made, as a rerun's other items are, rather than file
    ///     by file as `wait` and `download` report them.
    public func finish(
        _ id: String, output: String?, variants: [ContentVariant], replacing: Bool, waiting: Bool = true, rerun: Bool = false,
        events: @escaping @Sendable (JobEvent) -> Void
    ) throws(VideosError) -> JobSnapshot {
        try checkVariants(variants)
        let known = journal.index().job(id)
        let path = output ?? known?.output ?? "./\(JobFileName.stem(forID: id)).mp4"
        let targets = variants.map { ($0, AnimateJob.path(of: $0, video: path)) }
        let missing = targets.filter { variant, target in
            replacing || known?.downloaded(variant, to: target) != true || !FileManager.default.fileExists(atPath: target)
        }
        if missing.isEmpty, known != nil, rerun {
            events(.alreadyMade(id: id, path: path))
        } else {
            for (variant, target) in targets where !missing.contains(where: { $0.0 == variant }) {
                events(.alreadyDownloaded(variant, path: target))
            }
        }
        if missing.isEmpty, let known {
            var job = JobSnapshot(id: id, status: .completed, providerStatus: known.providerStatus ?? "completed")
            job.model = known.model
            return job
        }
        for (variant, target) in missing where !replacing && FileManager.default.fileExists(atPath: target) && known?.downloaded(variant, to: target) != true {
            var error = VideosError(.cannotWrite, "\(target) already exists (\(variant.rawValue))", videoID: id)
            error.cause = .outputExists(path: target)
            throw error
        }
        var job = JobSnapshot(id: id, status: .completed, providerStatus: "completed")
        if waiting {
            job = try wait(for: id, events: events)
            guard job.hasVideo else { throw dialect.failure(of: job) }
        }
        for (variant, target) in missing {
            do {
                try download(id, variant: variant, to: target, replacing: replacing, job: waiting ? job : nil, events: events)
            } catch {
                // Two runs of one command both waited for this job: the other put it in place.
                if error.kind == .cannotWrite, journal.index().job(id)?.downloaded(variant, to: target) == true { continue }
                if !waiting, error.kind == .notFound || error.kind == .invalidRequest { throw explainMissingContent(id, error) }
                throw error
            }
        }
        return job
    }

    /// Refuses a variant this provider does not serve (only OpenAI's protocol has thumbnails
    /// and spritesheets).
    func checkVariants(_ variants: [ContentVariant]) throws(VideosError) {
        let missing = variants.filter { !dialect.variants.contains($0) }
        guard missing.isEmpty else {
            throw VideosError(
                .usage,
                "\(dialect.provider) serves no \(missing.map(\.rawValue).joined(separator: " or ")); it serves \(dialect.variants.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// A content request refused for a job that exists: say why (still running, or ended
    /// without a video) rather than "no such video".
    private func explainMissingContent(_ id: String, _ error: VideosError) -> VideosError {
        guard let job = try? status(of: id).job else { return error }
        if !job.isFinished {
            var error = VideosError(.deadline, "job \(job.displayID) is still \(job.providerStatus): there is nothing to download yet", videoID: id)
            error.cause = .stillRunning(id: id)
            return error
        }
        return job.hasVideo ? error : dialect.failure(of: job)
    }

    /// The duration against the size `auto` or `max` chose from the photo (an exact size was
    /// checked before any work): still before anything is sent.
    static func check(_ job: AnimateJob, at size: VideoSize) throws(VideosError) {
        do {
            try job.model.check(seconds: job.seconds, at: size)
        } catch {
            throw VideosError(.usage, error.message)
        }
    }

    /// Prepares the photo in memory and builds the create; the size sent is the size made, so
    /// image and request can never disagree.
    static func createRequest(_ job: AnimateJob, gate: PrepGate = .shared) throws(VideosError) -> (CreateVideo, PreparedImage?) {
        guard let image = job.image else {
            let size = try job.textOnlySize()
            try check(job, at: size)
            var video = CreateVideo(prompt: job.prompt, model: job.model.name, seconds: job.seconds, size: size)
            video.fileID = job.inputFileID
            return (video, nil)
        }
        var options = job.prep
        options.model = job.model
        options.size = job.size
        let prepared: PreparedImage
        do {
            prepared = try gate.run { () throws(PrepError) in
                try ImagePrep.prepare(ImageInput(argument: image), options: options)
            }
        } catch {
            throw VideosError(error.kind == .inputMissing ? .notFound : error.kind == .usage ? .usage : .invalidRequest, error.message)
        }
        try check(job, at: prepared.size)
        let reference = CreateVideo.Reference(bytes: prepared.bytes, format: prepared.format, encoding: job.referenceEncoding)
        return (CreateVideo(prompt: job.prompt, model: job.model.name, seconds: job.seconds, size: prepared.size, reference: reference), prepared)
    }
}

/// Bounds the photos prepared at once to the cores, however many jobs run: preparing is CPU
/// work, waiting on a service is not.
public final class PrepGate: Sendable {
    public static let shared = PrepGate(width: ProcessInfo.processInfo.activeProcessorCount)
    private let slots: DispatchSemaphore

    public init(width: Int) { slots = DispatchSemaphore(value: max(1, width)) }

    func run<Value>(_ body: () throws(PrepError) -> Value) throws(PrepError) -> Value {
        slots.wait()
        defer { slots.signal() }
        return try body()
    }
}
