import Foundation

/// How one provider's video API is spoken: the requests it takes and how its answers read.
/// Nothing else: retries, look-ups after an unanswered create, waiting, downloading and the
/// journal are the engine's (`JobEngine`), written once for every provider.
public protocol VideoDialect: Sendable {
    /// The name `--provider` takes and the journal records.
    var provider: String { get }
    var configuration: VideosConfiguration { get }

    func create(_ video: CreateVideo) -> HTTPRequest
    /// The job a successful create answer names.
    func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot

    func status(of id: String) -> HTTPRequest
    func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot
    /// Seconds the service asks the client to wait before the next poll.
    func pollAfter(in response: HTTPResponse) -> Double?

    /// Where a variant of a finished job is, given the job as its latest status answer showed
    /// it (or only its id, when no answer is at hand): nil when that does not say, and the
    /// engine reads the job's status and asks again.
    func content(of job: JobSnapshot, variant: ContentVariant) throws(VideosError) -> JobContent?
    /// The variants this provider serves beside the video.
    var variants: [ContentVariant] { get }

    /// The newest jobs first; nil when the provider keeps no list. Without one, a create that
    /// went unanswered cannot be looked up and is never resent automatically.
    func list(limit: Int) -> HTTPRequest?
    func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot]

    /// nil when the provider cannot delete a job.
    func delete(_ id: String) -> HTTPRequest?
    /// nil when the provider cannot remix a video.
    func remix(_ id: String, prompt: String) -> HTTPRequest?
    /// Continues a finished video with `seconds` more (nil: the service's default); nil when
    /// the provider cannot extend a video.
    /// - Parameter model: the source's model when the journal knows it (a request schema may
    ///   require one even though the source's model is the one that runs).
    func extend(_ id: String, prompt: String, seconds: Int?, model: String?) -> HTTPRequest?
    /// How long an extension and a whole extended video may be; nil when the service states no
    /// limit (the service then refuses what it will not make, before charging).
    var extensionLimits: ExtensionLimits? { get }
    /// A new video made by editing a finished one; nil when the provider cannot edit.
    func edit(_ id: String, prompt: String) -> HTTPRequest?

    /// Whether an error answer is the service's own error document, which it writes only when
    /// it did nothing (a proxy's page in front of it proves nothing).
    func isServiceError(_ response: HTTPResponse) -> Bool
    /// The error to report for an error answer, with a hint the user can act on.
    /// - Parameter collection: the request was to the job collection (create, list), where a
    ///   404 means the base URL serves no such API rather than "no such job".
    func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError
    /// The error for a job that ended without a usable video.
    func failure(of job: JobSnapshot) -> VideosError
    /// The service refuses reference images that show a human face, so `animate` looks first
    /// and stops before paying for an upload it would refuse.
    var rejectsFaces: Bool { get }

    // Steps only some providers have; the defaults below suit a provider without them.

    /// For a provider that takes the reference image by URL from its own storage: the request
    /// that starts the upload; nil when the image travels inside the create. Nothing an upload
    /// does is paid for: the create is the paid step.
    func uploadStart(_ reference: CreateVideo.Reference) -> HTTPRequest?
    /// The request that sends the image's bytes, read from the start's answer (nil when the
    /// start already carried them, as Replicate's `POST /files` does), and the URL the create
    /// then names the image by.
    func upload(_ reference: CreateVideo.Reference, after response: HTTPResponse) throws(VideosError) -> (request: HTTPRequest?, url: String)
    /// The status request for a job as the journal knows it (with the addresses the create
    /// answer gave, `JobSnapshot.handles`).
    func status(of job: JobSnapshot) throws(VideosError) -> HTTPRequest
    /// For a provider whose finished status does not carry the result: the request that reads
    /// it; nil when the status says everything.
    func result(of job: JobSnapshot) throws(VideosError) -> HTTPRequest?
    /// The finished job once its result answer is read, whatever its HTTP status: an error
    /// answer there can be the job's own failure.
    func job(_ job: JobSnapshot, result response: HTTPResponse) throws(VideosError) -> JobSnapshot
    /// nil when the provider cannot cancel a job.
    func cancel(_ job: JobSnapshot) throws(VideosError) -> HTTPRequest?
    /// What the service said to a cancel, in a few words.
    func cancelled(from response: HTTPResponse) -> String
}

extension VideoDialect {
    /// Unless a dialect knows better: a provider not known to refuse faces gets a warning only.
    public var rejectsFaces: Bool { false }
    /// Unless a dialect says otherwise, a provider neither extends nor edits videos: the
    /// commands stop with a clear line before anything is sent.
    public func extend(_ id: String, prompt: String, seconds: Int?, model: String?) -> HTTPRequest? { nil }
    public var extensionLimits: ExtensionLimits? { nil }
    public func edit(_ id: String, prompt: String) -> HTTPRequest? { nil }

    public func uploadStart(_ reference: CreateVideo.Reference) -> HTTPRequest? { nil }
    public func upload(_ reference: CreateVideo.Reference, after response: HTTPResponse) throws(VideosError) -> (request: HTTPRequest?, url: String) {
        throw VideosError(.usage, "\(provider) takes the image inside the create")
    }
    public func status(of job: JobSnapshot) throws(VideosError) -> HTTPRequest { status(of: job.id) }
    public func result(of job: JobSnapshot) throws(VideosError) -> HTTPRequest? { nil }
    public func job(_ job: JobSnapshot, result response: HTTPResponse) throws(VideosError) -> JobSnapshot { job }
    public func cancel(_ job: JobSnapshot) throws(VideosError) -> HTTPRequest? { nil }
    public func cancelled(from response: HTTPResponse) -> String { "cancelled" }

    /// Removes the API key from text a server sent (it could echo it).
    @_spi(Fuzzing) public func redact(_ text: String) -> String {
        let key = configuration.apiKey
        return key.count >= 4 ? text.replacingOccurrences(of: key, with: "[redacted]") : text
    }
}

/// The most an extension may add, the longest a video may grow to through extensions, and
/// what an extension adds when the user does not say.
public struct ExtensionLimits: Sendable, Equatable {
    public var perExtension: Int
    public var total: Int
    public var defaultSeconds: Int

    public init(perExtension: Int, total: Int, defaultSeconds: Int) {
        self.perExtension = perExtension
        self.total = total
        self.defaultSeconds = defaultSeconds
    }
}
