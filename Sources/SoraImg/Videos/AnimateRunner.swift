import Foundation
import Synchronization

/// What happens during an animate, for the CLI to show.
public enum AnimateEvent: Sendable {
    /// The reference image is ready (in memory).
    case prepared(size: VideoSize, format: ImageFormat, bytes: Int, removed: [PrivacyKind])
    /// The reference image shows human faces (under `FacePolicy.warn`); it is sent anyway.
    case facesFound([FaceBox])
    case uploading(sent: Int, total: Int)
    /// The job exists and is in the journal.
    case created(Video)
    case status(Video)
    case downloading(ContentVariant, received: Int, total: Int)
    case downloaded(ContentVariant, path: String)
    /// The journal holds an unfinished job for this exact request: it is waited for, not paid
    /// for again.
    case resumed(id: String, status: String)
    /// The journal holds a finished job for this exact request and its files are in place.
    case alreadyMade(id: String, path: String)
}

/// The request `--dry-run` shows instead of sending it.
public struct DryRun: Sendable {
    public let fields: [(name: String, value: String)]
    public let image: (format: ImageFormat, size: VideoSize, bytes: Int, removed: [PrivacyKind])?
    public let encoding: ReferenceEncoding
    /// US dollars at the model's reference price; nil for a model with no known price.
    public let estimatedCost: Double?
}

/// Runs animate jobs end to end: prep in memory, create, journal, wait, download.
public struct AnimateRunner: Sendable {
    public let client: VideosClient
    public let journal: Journal
    /// How long to wait for a job before handing back its id.
    public var deadline: Double = 30 * 60
    /// Serialises creates across the workers of one batch (see `run`).
    private let createGate = CreateGate()

    public init(client: VideosClient, journal: Journal) {
        self.client = client
        self.journal = journal
    }

    /// The request without sending it.
    public func dryRun(_ job: AnimateJob) throws(VideosError) -> DryRun {
        try job.validate()
        let (request, prepared) = try createRequest(job)
        var fields = [("prompt", request.prompt), ("model", request.model), ("seconds", request.seconds), ("size", request.size.description)]
        if let reference = request.reference {
            fields.append(("input_reference", "reference.\(reference.format.fileExtension) (\(reference.format.mimeType))"))
        }
        let image = prepared.map { ($0.format, $0.size, $0.bytes.count, $0.removed.kinds) }
        let cost = job.model.pricePerSecond(at: request.size).map { $0 * (Double(request.seconds) ?? 0) }
        return DryRun(fields: fields, image: image, encoding: job.referenceEncoding, estimatedCost: cost)
    }

    /// Creates the job and, unless `wait` is false, waits for it and downloads its variants.
    /// The id is in the journal before any waiting, and every error after the create carries it.
    ///
    /// A job the journal already holds for the same request (same service, model, seconds,
    /// size, prompt, photo and uploaded bytes) is resumed instead of paid for again: an
    /// unfinished one is waited for and downloaded, a downloaded one whose files are still in
    /// place is left alone (unless `replacing`, which asks for a new video).
    public func run(_ job: AnimateJob, wait: Bool = true, events: @escaping @Sendable (AnimateEvent) -> Void) throws(VideosError) -> Video {
        try job.validate()
        let (request, prepared) = try createRequest(job)
        if let prepared {
            events(.prepared(size: prepared.size, format: prepared.format, bytes: prepared.bytes.count, removed: prepared.removed.kinds))
            if let faces = prepared.faces, !faces.isEmpty { events(.facesFound(faces)) }
        }
        let input = job.image.map(Self.absolute)
        let reference = request.reference.map { Digest.sha256($0.bytes) }
        if let earlier = earlierJob(for: request, input: input, reference: reference) {
            let output = job.videoPath(id: earlier.id)
            let inPlace = earlier.status == "downloaded" && earlier.output == output
                && job.variants.allSatisfy { variant in output.map { FileManager.default.fileExists(atPath: AnimateJob.path(of: variant, video: $0)) } ?? false }
            if inPlace && !job.replacing {
                events(.alreadyMade(id: earlier.id, path: output ?? "./\(earlier.id).mp4"))
                return Video(journal: earlier)
            }
            if !inPlace {
                events(.resumed(id: earlier.id, status: earlier.status))
                guard wait else { return Video(journal: earlier) }
                return try finish(earlier.id, output: output, variants: job.variants, replacing: job.replacing, events: events)
            }
            // Made and in place, and `replacing` asks for a new video: go on to create one.
        }
        // Refuse an output that exists before paying for a video that could not be written.
        if !job.replacing, let path = job.videoPath(id: nil) {
            for variant in job.variants where FileManager.default.fileExists(atPath: AnimateJob.path(of: variant, video: path)) {
                throw VideosError(.cannotWrite, "\(AnimateJob.path(of: variant, video: path)) already exists; use --force to replace it")
            }
        }
        // One create at a time in this process: an unanswered create is reconciled against the
        // service's list, and that match is only unambiguous when no sibling create is in flight
        // and every earlier one is already in the journal.
        let (video, output) = try createGate.withLock { () throws(VideosError) -> (Video, String?) in
            let known = Set(journal.jobs().map(\.id))
            let video: Video
            if let found = try jobFromUnconfirmedCreate(of: request, input: input, reference: reference, known: known) {
                video = found
            } else {
                video = try create(request, input: input, reference: reference, known: known, events: events)
            }
            let output = job.videoPath(id: video.id)
            try recordCreated(video, request: request, input: input, output: output, reference: reference)
            return (video, output)
        }
        events(.created(video))
        guard wait else { return video }
        return try finish(video.id, output: output, variants: job.variants, replacing: job.replacing, events: events)
    }

    /// Sends the create, recorded in the journal before it goes: if no answer ever comes and the
    /// job list cannot be read either, the next run of this command looks for the job before
    /// paying again (`jobFromUnconfirmedCreate`).
    private func create(
        _ request: CreateVideo, input: String?, reference: String?, known: Set<String>, events: @escaping @Sendable (AnimateEvent) -> Void
    ) throws(VideosError) -> Video {
        let marker = Journal.unconfirmedPrefix + UUID().uuidString.lowercased()
        try journal.append(JournalEntry(
            id: marker, baseURL: client.configuration.baseURL, model: request.model, size: request.size.description,
            seconds: request.seconds, prompt: request.prompt, input: input, output: nil, status: "unconfirmed", reference: reference))
        do {
            let video = try client.create(request, known: known) { sent, total in events(.uploading(sent: sent, total: total)) }
            note(marker, status: "confirmed")
            return video
        } catch {
            if !error.mayHaveCreated { note(marker, status: "not-created") }
            throw error
        }
    }

    /// The job an earlier run's unanswered create of this same request made, found in the
    /// service's list; nil when there was no such create or the service has no such job.
    private func jobFromUnconfirmedCreate(of request: CreateVideo, input: String?, reference: String?, known: Set<String>) throws(VideosError) -> Video? {
        let unresolved = journal.unconfirmedCreates().filter { isEntry($0, of: request, input: input, reference: reference) }
        guard let oldest = unresolved.first, let sent = ISO8601DateFormatter().date(from: oldest.time) else { return nil }
        // A list that still cannot be read throws: better no job than a second paid one.
        let found = try client.reconcile(request, since: sent, known: known)
        for entry in unresolved { note(entry.id, status: found == nil ? "not-created" : "confirmed") }
        return found
    }

    /// Appends a status-only event: a create recorded before it was sent, settled; a job the
    /// service no longer knows.
    private func note(_ id: String, status: String) {
        try? journal.append(JournalEntry(
            id: id, baseURL: client.configuration.baseURL, model: nil, size: nil, seconds: nil, prompt: nil, input: nil, output: nil,
            status: status))
    }

    /// Puts a new job in the journal; if that fails the error still carries the id.
    private func recordCreated(_ video: Video, request: CreateVideo, input: String?, output: String?, reference: String?) throws(VideosError) {
        do {
            try journal.append(JournalEntry(
                id: video.id, baseURL: client.configuration.baseURL, model: request.model, size: request.size.description,
                seconds: request.seconds, prompt: request.prompt, input: input, output: output, status: video.status,
                reference: reference))
        } catch {
            var failure = error
            failure.videoID = video.id
            failure.hint = "the job \(video.id) was created but could not be recorded; note its id"
            throw failure
        }
    }

    /// The latest journalled job made by this exact request that can still give its video
    /// (not failed, cancelled, expired, deleted or gone from the service).
    private func earlierJob(for request: CreateVideo, input: String?, reference: String?) -> JournalEntry? {
        // Only requests recorded with their digest qualify; a text-only job has neither.
        journal.jobs().last { entry in
            isEntry(entry, of: request, input: input, reference: reference) && (reference != nil || input == nil)
                && !["failed", "cancelled", "expired", "deleted", "gone"].contains(entry.status)
        }
    }

    /// Whether a journal entry records this request: the same service, model, seconds, size,
    /// prompt, photo and uploaded bytes.
    private func isEntry(_ entry: JournalEntry, of request: CreateVideo, input: String?, reference: String?) -> Bool {
        entry.baseURL == client.configuration.baseURL && entry.model == request.model && entry.seconds == request.seconds
            && entry.size == request.size.description && entry.prompt == request.prompt && entry.input == input
            && entry.reference == reference
    }

    private static func absolute(_ path: String) -> String {
        guard path != "-", !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Waits for a job, then downloads its variants beside `output` (a text-only job's default
    /// name once its id is known), recording each step in the journal. `soraimg wait` resumes
    /// an animate through this.
    public func finish(
        _ id: String, output: String?, variants: [ContentVariant], replacing: Bool, events: @escaping @Sendable (AnimateEvent) -> Void
    ) throws(VideosError) -> Video {
        let video: Video
        do {
            video = try client.wait(for: id, until: Date().addingTimeInterval(deadline)) { events(.status($0)) }
        } catch {
            // The service no longer knows this job (deleted elsewhere, or long expired): a rerun
            // must make a new one rather than wait for this one again.
            if error.kind == .notFound || error.kind == .expired { note(id, status: "gone") }
            throw error
        }
        let path = output ?? "./\(id).mp4"
        record(video, output: path)
        guard video.isCompleted else { throw ErrorCatalogue.jobFailure(video) }
        for variant in variants {
            let target = AnimateJob.path(of: variant, video: path)
            do {
                try client.download(id, variant: variant, to: target, replacing: replacing) { received, total in
                    events(.downloading(variant, received: received, total: total))
                }
            } catch {
                // The service no longer has this video: a rerun must make a new one, not resume it.
                if error.kind == .expired || error.kind == .notFound { record(video, output: path, status: "expired") }
                throw error
            }
            events(.downloaded(variant, path: target))
        }
        record(video, output: path, status: "downloaded")
        return video
    }

    /// Notes a job's new state; a journal that cannot be written is not worth failing a
    /// finished job for (the id was recorded at creation).
    private func record(_ video: Video, output: String?, status: String? = nil) {
        let known = journal.job(video.id)
        try? journal.append(JournalEntry(
            id: video.id, baseURL: client.configuration.baseURL, model: video.model ?? known?.model,
            size: video.size ?? known?.size, seconds: video.seconds ?? known?.seconds, prompt: video.prompt ?? known?.prompt,
            input: known?.input, output: output, status: status ?? video.status))
    }

    /// The create request, with the reference image prepared in memory at the size sent.
    private func createRequest(_ job: AnimateJob) throws(VideosError) -> (CreateVideo, PreparedImage?) {
        guard let image = job.image else {
            return (CreateVideo(prompt: job.prompt, model: job.model.name, seconds: job.seconds, size: try job.textOnlySize()), nil)
        }
        var options = job.prep
        options.model = job.model
        options.size = job.size
        let prepared: PreparedImage
        do {
            prepared = image == "-" ? try ImagePrep.prepareStandardInput(options: options) : try ImagePrep.prepare(file: image, options: options)
        } catch {
            throw VideosError(error.kind == .inputMissing ? .notFound : error.kind == .usage ? .usage : .invalidRequest, "\(image): \(error.message)")
        }
        let reference = CreateVideo.Reference(bytes: prepared.bytes, format: prepared.format, encoding: job.referenceEncoding)
        // The size sent is the size made, so image and request can never disagree.
        return (CreateVideo(prompt: job.prompt, model: job.model.name, seconds: job.seconds, size: prepared.size, reference: reference), prepared)
    }
}

/// A lock that a throwing body can run under.
private final class CreateGate: Sendable {
    private let lock = Mutex(())

    func withLock<Value>(_ body: () throws(VideosError) -> Value) throws(VideosError) -> Value {
        try lock.withLock { _ throws(VideosError) in try body() }
    }
}
