import Foundation

/// What the engine reports as a job goes, for the CLI to show.
public enum JobEvent: Sendable {
    /// The reference image is ready (in memory).
    case prepared(size: VideoSize, format: ImageFormat, bytes: Int, removed: [PrivacyKind], upscale: Double?)
    /// The reference image shows human faces; it is sent anyway (`--faces warn`).
    case facesFound([FaceBox])
    case uploading(sent: Int, total: Int)
    /// Another soraimg is creating a job: this one waits for it rather than creating its own.
    case waitingForAnotherCreate
    /// The job exists and is in the journal.
    case created(JobSnapshot)
    case status(JobSnapshot)
    /// An attempt failed and will be made again.
    case retrying(reason: String, after: Double, attempt: Int, of: Int)
    case downloading(ContentVariant, received: Int, total: Int)
    case downloaded(ContentVariant, path: String)
    /// The journal holds a job for this exact request: it is resumed, not paid for again.
    case resumed(id: String, status: JobStatus?)
    /// The journal holds a finished job for this exact request and its files are in place.
    case alreadyMade(id: String, path: String)
    /// `wait` or `download` found this variant downloaded before and in place: not fetched again.
    case alreadyDownloaded(ContentVariant, path: String)
}

/// The one job engine: a job's life (create → look up an unknown outcome → wait → download →
/// verify → record) written once, for every provider's dialect. Calls block the calling
/// thread; Ctrl-C (`Interruption`) and the deadline stop them.
public struct JobEngine: Sendable {
    public let dialect: any VideoDialect
    public let journal: JobJournal
    public var http = HTTPClient()
    public var retry = RetryPolicy()
    /// When the whole command must stop: waiting and downloading alike. Jobs go on at the
    /// service; `soraimg wait` resumes them.
    public var deadline = Date.distantFuture
    /// Send again a create the journal holds as unsettled, for a provider with no job list,
    /// after the user checked it made no job.
    public var resendUnconfirmed = false
    /// Bounds the photos prepared at once (CPU work), however many jobs run.
    public var prepGate = PrepGate.shared
    /// Waits between attempts and polls (replaced in tests); returns early on Ctrl-C.
    public var sleep: @Sendable (Double) -> Void = JobEngine.interruptibleSleep

    public init(dialect: any VideoDialect, journal: JobJournal) {
        self.dialect = dialect
        self.journal = journal
    }

    var configuration: VideosConfiguration { dialect.configuration }

    // MARK: The executor

    /// How one request ended: an answer, or a job a look-up found after an unknown outcome.
    enum Result {
        case answer(HTTPResponse)
        case found(JobSnapshot)
    }

    /// Sends `request` until the machine says it is done, retrying, looking up and giving up
    /// as `RequestMachine` decides. Error answers come back as answers for the caller to read.
    /// - Parameters:
    ///   - lookUp: finds the job an acting request made; nil when none is found, throws when
    ///     the list cannot be read.
    ///   - cancellable: false for the look-up after an unanswered create, which must finish
    ///     even after Ctrl-C so a job made is reported rather than lost.
    func execute(
        _ request: HTTPRequest, kind: RequestMachine.Kind, id: String? = nil, cancellable: Bool = true,
        lookUp: (() throws(VideosError) -> JobSnapshot?)? = nil, events: @escaping @Sendable (JobEvent) -> Void = { _ in },
        transfer: ((HTTPRequest, @escaping @Sendable (TransferProgress) -> Bool) throws(HTTPTransportError) -> HTTPResponse)? = nil
    ) throws(VideosError) -> Result {
        var machine = RequestMachine(kind, policy: retry)
        let deadline = self.deadline
        let progress: @Sendable (TransferProgress) -> Bool = { _ in !cancellable || (!Interruption.isRequested && Date() < deadline) }
        while true {
            let outcome: RequestMachine.Outcome
            var failure: HTTPTransportError?
            var answer: HTTPResponse?
            do throws(HTTPTransportError) {
                let response: HTTPResponse
                if let transfer {
                    response = try transfer(request, progress)
                } else {
                    response = try http.send(request, progress: progress)
                }
                answer = response
                outcome = .answered(
                    status: response.status, retryAfterMilliseconds: response.header("retry-after-ms"), retryAfter: response.header("retry-after"),
                    provesNothingMade: dialect.isServiceError(response))
            } catch {
                failure = error
                outcome = .transport(error.kind, bodySent: error.bodySent)
            }
            var next = machine.next(after: outcome, now: Date(), jitter: Double.random(in: 0...1))
            if next == .lookUp, let lookUp {
                let found: JobSnapshot?
                let result: RequestMachine.LookUp
                do {
                    found = try lookUp()
                    result = found == nil ? .notFound : .found
                } catch {
                    if !error.mayHaveCreated { throw error }
                    found = nil
                    result = .unreadable
                    if case .acting(true) = kind { throw error }
                }
                if let found { return .found(found) }
                next = machine.next(after: result, interrupted: Interruption.isRequested, now: Date(), jitter: Double.random(in: 0...1))
            }
            switch next {
            case .done:
                if let answer { return .answer(answer) }
                throw transportFailure(failure, id: id)
            case .retry(let delay):
                if Date().addingTimeInterval(delay) > deadline { throw deadlineError(id: id) }
                let reason = answer.map { "HTTP \($0.status)" } ?? failure.map { $0.kind == .connectionLost ? "connection lost" : "\($0.kind)" } ?? "no answer"
                let limit = answer?.status == 429 ? retry.maxRateLimitedAttempts : retry.maxAttempts
                events(.retrying(reason: reason, after: delay, attempt: machine.attempt, of: limit))
                if cancellable {
                    sleep(delay)
                    if Interruption.isRequested { throw interrupted(id: id) }
                } else {
                    Thread.sleep(forTimeInterval: delay)
                }
            case .lookUp, .fail:
                if let answer { return .answer(answer) }
                throw transportFailure(failure, id: id)
            case .unconfirmed:
                throw unconfirmed(failure: failure, answer: answer)
            case .interrupted:
                if Date() >= deadline && !Interruption.isRequested { throw deadlineError(id: id) }
                throw interrupted(id: id)
            }
        }
    }

    /// Sends a request that changes nothing when repeated and returns its successful answer;
    /// an error answer becomes the dialect's error.
    func fetch(_ request: HTTPRequest, id: String?, collection: Bool = false, cancellable: Bool = true) throws(VideosError) -> HTTPResponse {
        guard case .answer(let response) = try execute(request, kind: .idempotent, id: id, cancellable: cancellable) else {
            throw VideosError(.unavailable, "no answer", videoID: id)
        }
        guard (200..<300).contains(response.status) else { throw dialect.error(for: response, collection: collection, id: id) }
        return response
    }

    func interrupted(id: String?) -> VideosError {
        var error = VideosError(.interrupted, id.map { "interrupted while job \($0.printable(limit: 200)) runs" } ?? "interrupted", videoID: id)
        error.cause = id.map { .resumable(id: $0) }
        return error
    }

    func deadlineError(id: String?) -> VideosError {
        var error = VideosError(.deadline, "the deadline passed" + (id.map { " while job \($0.printable(limit: 200)) was not yet downloaded" } ?? ""), videoID: id)
        error.cause = id.map { .resumable(id: $0) }
        return error
    }

    private func unconfirmed(failure: HTTPTransportError?, answer: HTTPResponse?) -> VideosError {
        let what = failure.map { redact($0.message) } ?? answer.map { "HTTP \($0.status)" } ?? "no answer"
        var error = VideosError(
            .unconfirmed,
            "the create request was sent to \(configuration.displayBaseURL) but its outcome is unknown (\(what)), and \(dialect.provider) has no job list to check it against")
        error.mayHaveCreated = true
        error.cause = .unconfirmedCreate(canList: false)
        return error
    }

    func redact(_ text: String) -> String { dialect.redact(text) }

    func transportFailure(_ error: HTTPTransportError?, id: String?) -> VideosError {
        guard let error else { return VideosError(.unavailable, "no answer from \(configuration.displayBaseURL)", videoID: id) }
        if error.kind == .cancelled {
            if Date() >= deadline && !Interruption.isRequested { return deadlineError(id: id) }
            return interrupted(id: id)
        }
        // A refused redirect's message names both URLs already.
        let place = error.kind == .badRedirect ? "" : "\(error.url.map(redactURL) ?? configuration.displayBaseURL): "
        var failure = VideosError(.unavailable, place + redact(error.message).printable(limit: 300), videoID: id)
        let base = configuration.displayBaseURL
        // A name that does not resolve is this machine's DNS or network, never the service's
        // fate: a shut-down service still has its name.
        let unresolved = error.message.localizedCaseInsensitiveContains("could not resolve")
        let baseSetting = configuration.provider == .openai ? "--base-url (or OPENAI_BASE_URL)" : "--base-url (or SORAIMG_BASE_URL)"
        failure.hint = switch error.kind {
        case .connect where unresolved:
            "the host name could not be looked up (DNS): check this machine's network and DNS, a proxy in https_proxy, and the host in \(baseSetting)"
        case .connect where configuration.isOpenAIDefault:
            "nothing answers at \(base): check this machine's network; if it works, note that \(ErrorCatalogue.shutdownNote)"
        case .connect: "nothing answers at \(base); check \(baseSetting) and the network"
        case .tls: "the TLS certificate could not be verified; soraimg never turns verification off"
        case .tooLarge: "the server sent far more than an API answer; is --base-url right?"
        case .timeout: "the service stopped answering and every retry timed out; try again later"
        case .badRedirect: "if the service really moved, set \(baseSetting) to its new address"
        default: "the connection kept failing; try again"
        }
        return failure
    }

    /// A URL as it may be shown: no credentials, printable.
    func redactURL(_ url: String) -> String { redact(VideosConfiguration.withoutCredentials(url)).printable(limit: 300) }

    /// Sleeps in short slices, returning early on Ctrl-C.
    public static let interruptibleSleep: @Sendable (Double) -> Void = { seconds in
        let end = Date().addingTimeInterval(seconds)
        while !Interruption.isRequested, Date() < end {
            Thread.sleep(forTimeInterval: min(0.05, max(0, end.timeIntervalSinceNow)))
        }
    }
}
