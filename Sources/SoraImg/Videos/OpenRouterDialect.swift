import Foundation
import Synchronization

/// OpenRouter's video API (`https://openrouter.ai/api/v1`, OpenAPI spec in
/// OpenRouterTeam/typescript-sdk): a JSON create with the photo as the first frame, polls of
/// `GET /videos/{id}`, the video from `GET /videos/{id}/content?index=0`. It keeps no job
/// list and cannot delete or remix, so a create whose answer is lost is never resent by
/// itself.
///
/// Polls go to the spec's `GET /videos/{id}` under the base URL, which works from a later
/// `soraimg wait ID` that knows only the id. A create's `polling_url` is followed in the same
/// run only when it lies under the base URL on its origin (the spec's example is relative,
/// `/api/v1/videos/job-abc123`): the key goes to no other origin.
public struct OpenRouterDialect: VideoDialect {
    public let provider = "openrouter"
    public let configuration: VideosConfiguration
    /// Only the video: the content endpoint serves outputs by index, not thumbnails.
    public let variants: [ContentVariant] = [.video]
    /// The capabilities of a model not in the built-in table (its `supported_sizes` decide
    /// whether `size` is sent); nil when unknown.
    let capabilities: @Sendable (String) -> OpenRouterModel?
    /// Same-origin polling URLs the service named for jobs this process created.
    private let pollingURLs = PollingURLs()

    public init(configuration: VideosConfiguration, capabilities: (@Sendable (String) -> OpenRouterModel?)? = nil) {
        self.configuration = configuration
        self.capabilities = capabilities ?? { name in OpenRouterCatalogue.cached(for: configuration)?.model(named: name) }
    }

    private func request(_ method: HTTPRequest.Method, _ path: String, query: [String: String] = [:], body: HTTPRequest.Body = .none, timeout: Double? = 120)
        -> HTTPRequest
    {
        HTTPRequest(method: method, url: configuration.url(path, query: query), headers: configuration.headers, body: body, timeout: timeout)
    }

    public func create(_ video: CreateVideo) -> HTTPRequest {
        let body = OpenRouterCreate(video, capabilities: capabilities(video.model)).json
        return request(.post, "/videos", body: .json(body), timeout: 300)
    }

    public func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        let answer = try decode(response)
        if let url = pollingURL(answer.pollingURL) { pollingURLs.set(url, for: answer.id) }
        return Self.snapshot(answer, id: answer.id)
    }

    public func status(of id: String) -> HTTPRequest {
        if let url = pollingURLs.get(id) {
            return HTTPRequest(method: .get, url: url, headers: configuration.headers)
        }
        return request(.get, "/videos/\(ServiceURL.escaped(id))")
    }

    public func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot {
        // The id asked about is the job's: an answer naming another one is not followed.
        Self.snapshot(try decode(response, id: id), id: id)
    }

    /// OpenRouter names no poll interval (its guides poll every 30 s): the engine's schedule.
    public func pollAfter(in response: HTTPResponse) -> Double? { nil }

    /// The video is always at the job's content path (the key goes with it); `unsigned_urls`
    /// in a finished job are not followed, since their lifetime and whether they want the key
    /// off OpenRouter's origin are unconfirmed.
    public func content(of job: JobSnapshot, variant: ContentVariant) -> JobContent? {
        // `index` picks one of several outputs; soraimg asks for one video, the first.
        .request(request(.get, "/videos/\(ServiceURL.escaped(job.id))/content", query: ["index": "0"], timeout: nil))
    }

    public func list(limit: Int) -> HTTPRequest? { nil }
    public func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot] { [] }
    public func delete(_ id: String) -> HTTPRequest? { nil }
    public func remix(_ id: String, prompt: String) -> HTTPRequest? { nil }

    /// OpenRouter's own error document proves it did nothing when it refused the request
    /// itself (4xx) or found no provider to route it to (503, "no available model provider").
    /// Other 5xx come after routing may have begun: an upstream provider may have started a
    /// paid job ("invalid upstream response" is a 502), and OpenRouter keeps no job list to
    /// check, so a create is not sent again on their word.
    public func isServiceError(_ response: HTTPResponse) -> Bool {
        (response.status < 500 || response.status == 503) && OpenRouterErrorBody.decode(response) != nil
    }

    public func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError {
        OpenRouterErrors.error(for: response, configuration: configuration, collection: collection, id: id, redact: redact)
    }

    public func failure(of job: JobSnapshot) -> VideosError {
        OpenRouterErrors.failure(of: job)
    }

    /// The spec's statuses mapped to the common set (`pending` is `queued`); any other word is
    /// kept as the service wrote it, and the job counts as still running.
    static func status(_ word: String) -> JobStatus? {
        switch word {
        case "pending": .queued
        case "in_progress": .inProgress
        case "completed": .completed
        case "failed": .failed
        case "cancelled": .cancelled
        case "expired": .expired
        default: nil
        }
    }

    @_spi(Fuzzing) public static func snapshot(_ answer: OpenRouterAnswer, id: String) -> JobSnapshot {
        var job = JobSnapshot(id: id, status: status(answer.status), providerStatus: answer.status.printable(limit: 60))
        job.cost = answer.cost
        if let message = answer.error.map({ $0.printable(limit: 500) }), !message.isEmpty {
            job.failure = JobSnapshot.Failure(code: nil, message: message)
        }
        return job
    }

    /// Where to poll, from the create's `polling_url`: a relative one is resolved against the
    /// base URL; one on another origin is ignored (the key goes only to the base URL's origin,
    /// and polls go to `GET {base}/videos/{id}` instead), as is one outside the API's path.
    @_spi(Fuzzing) public func pollingURL(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            let base = URL(string: configuration.url("/")), let resolved = URL(string: text, relativeTo: base)?.absoluteURL,
            let origin = try? ServiceURL(resolved.absoluteString, source: "polling_url")
        else { return nil }
        guard origin.origin == configuration.service.origin, resolved.query == nil, resolved.fragment == nil,
            resolved.path.hasPrefix(configuration.service.path + "/videos/")
        else { return nil }
        return resolved.absoluteString
    }

    /// Reads a successful answer. One that is not the job document (garbage, JSON cut short, a
    /// proxy's page) names the URL and status with a sanitised excerpt.
    private func decode(_ response: HTTPResponse, id: String? = nil) throws(VideosError) -> OpenRouterAnswer {
        do {
            return try JSONDecoder().decode(OpenRouterAnswer.self, from: Data(response.body))
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) != nil
            let what = response.isHTML ? "an HTML page" : isJSON ? "JSON that is not an OpenRouter video job" : "something that is not complete JSON"
            let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
            throw VideosError(
                .unavailable, "\(redact(response.url).printable(limit: 300)) answered with \(what)\(excerpt)",
                status: response.status, requestID: response.requestID.map { redact($0).printable(limit: 100) },
                hint: isJSON || response.isHTML
                    ? "check --base-url: OpenRouter's API root is https://openrouter.ai/api/v1"
                    : "the answer was garbled or cut short on the way; try again",
                videoID: id)
        }
    }
}

/// Polling URLs by job id, shared by the copies of a dialect (it is a value passed to threads).
private final class PollingURLs: Sendable {
    private let urls = Mutex<[String: String]>([:])
    func set(_ url: String, for id: String) { urls.withLock { $0[id] = url } }
    func get(_ id: String) -> String? { urls.withLock { $0[id] } }
}
