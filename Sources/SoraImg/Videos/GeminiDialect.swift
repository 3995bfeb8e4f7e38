import Foundation

/// The Gemini API's Veo models (`--provider gemini`): a create is a long-running operation
/// (`POST {base}/models/{model}:predictLongRunning`), polled by its name (`GET {base}/{name}`),
/// whose finished response names the video by URI or carries it inline. The key travels as
/// `x-goog-api-key` (google-genai 2.34.0 `_api_client.py`). The service keeps no job list, so
/// an unanswered create is never resent without the user's word; it offers no delete, remix or
/// extension through this protocol. Whether an operation can be cancelled is undocumented and
/// google-genai exposes no cancel for video operations, so soraimg offers none.
public struct GeminiDialect: VideoDialect {
    public let provider = "gemini"
    public let configuration: VideosConfiguration
    /// Veo makes a video and nothing beside it.
    public let variants: [ContentVariant] = [.video]

    public init(configuration: VideosConfiguration) {
        self.configuration = configuration
    }

    private func request(_ method: HTTPRequest.Method, _ path: String, body: HTTPRequest.Body = .none, timeout: Double? = 120) -> HTTPRequest {
        HTTPRequest(method: method, url: configuration.url(path), headers: configuration.headers, body: body, timeout: timeout)
    }

    /// The model as one escaped path segment: a name with `/`, `..` or `?` in it reaches the
    /// service as a (missing) model, never as another path.
    public func create(_ video: CreateVideo) -> HTTPRequest {
        request(.post, "/models/\(ServiceURL.escaped(video.model)):predictLongRunning", body: .json(GeminiRequest.body(for: video)), timeout: 300)
    }

    public func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        let operation = try decode(response)
        guard let name = operation.name else {
            throw hostile(response, "a created operation without a name")
        }
        return try snapshot(operation, id: name, response: response)
    }

    /// A name the service handed out is a path under the API root. One a person typed that
    /// is not such a path goes as one escaped segment, which the service can only answer 404.
    public func status(of id: String) -> HTTPRequest {
        request(.get, "/" + (OperationName.isValid(id) ? id : ServiceURL.escaped(id)))
    }

    public func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot {
        try snapshot(try decode(response, id: id), id: id, response: response)
    }

    /// The API sends no poll interval; the engine's own schedule (2 s growing to 15 s) is
    /// close to Google's samples, which poll every 10 s.
    public func pollAfter(in response: HTTPResponse) -> Double? { nil }

    /// The video the finished operation named: its bytes when it carried them, else its URI.
    /// nil until a status answer with the video is at hand (only that names it).
    public func content(of job: JobSnapshot, variant: ContentVariant) throws(VideosError) -> JobContent? {
        try namedVideo(of: job, variant: variant) { uri throws(VideosError) in try download(uri, id: job.id) }
    }

    /// The request for a video URI the service named. The key goes only to the base URL's
    /// origin: google-genai sends it to the Files API download (`files/{id}:download`) there.
    /// A URI elsewhere (a signed or public storage link) is fetched without it, since a
    /// signed link needs no key and any other host must never see it; an `http` URI under
    /// an `https` base, or one with credentials of its own, is refused.
    func download(_ uri: String, id: String) throws(VideosError) -> HTTPRequest {
        try linkDownload(uri, id: id)
    }

    /// No job list: an unanswered create cannot be looked up.
    public func list(limit: Int) -> HTTPRequest? { nil }
    public func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot] { [] }
    public func delete(_ id: String) -> HTTPRequest? { nil }
    public func remix(_ id: String, prompt: String) -> HTTPRequest? { nil }

    public func isServiceError(_ response: HTTPResponse) -> Bool {
        guard let body = try? JSONDecoder().decode(GeminiErrorBody.self, from: Data(response.body)) else { return false }
        return body.error.code != nil || body.error.message != nil || body.error.status != nil
    }

    public func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError {
        GeminiErrors.error(for: response, configuration: configuration, collection: collection, id: id, redact: redact)
    }

    public func failure(of job: JobSnapshot) -> VideosError {
        GeminiErrors.jobFailure(job)
    }

    /// Sizes and durations Veo cannot be asked for, refused before anything is sent: a size
    /// other than 16:9 or 9:16 at 720p or 1080p (a model soraimg has no table for passes
    /// `--size` through), and a duration that is not a whole number of seconds.
    public static func check(_ video: CreateVideo) throws(VideosError) {
        guard GeminiRequest.isExpressible(video.size) else {
            throw VideosError(
                .usage, "gemini takes a size of 16:9 or 9:16 at 720p or 1080p (1280x720, 720x1280, 1920x1080, 1080x1920), not \(video.size)")
        }
        guard let seconds = Int(video.seconds), seconds > 0 else {
            throw VideosError(.usage, "gemini takes --seconds as a whole number of seconds, not '\(video.seconds.printable(limit: 20))'")
        }
    }

    /// The operation as the engine sees it. Running while `done` is not true; once done, an
    /// `error` fails it, a sample completes it, and no sample with videos filtered fails it as
    /// withheld by the safety filters (with the service's reasons).
    func snapshot(_ operation: GeminiOperation, id: String, response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        if let name = operation.name, !OperationName.isValid(name) {
            throw hostile(response, "an operation name that is not a plain path under the API root ('\(redact(name).printable(limit: 120))')", id: id)
        }
        guard operation.done == true else {
            return JobSnapshot(id: id, status: .inProgress, providerStatus: "running")
        }
        if let error = operation.error {
            var job = JobSnapshot(id: id, status: .failed, providerStatus: "failed")
            let message = error.message.map { redact($0).printable(limit: 500) }
            job.failure = JobSnapshot.Failure(code: error.code?.value.map(GeminiErrors.codeName), message: message ?? "the operation ended with an error")
            return job
        }
        let result = operation.response?.generateVideoResponse
        if let video = result?.generatedSamples?.lazy.compactMap(\.video).first(where: { $0.uri != nil || $0.encodedVideo != nil }) {
            var job = JobSnapshot(id: id, status: .completed, providerStatus: "done")
            if let encoded = video.encodedVideo {
                guard let bytes = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                    throw hostile(response, "an inline video that is not base64", id: id)
                }
                job.videoSource = .bytes(Array(bytes))
            } else if let uri = video.uri {
                job.videoSource = .url(uri)
            }
            return job
        }
        var job = JobSnapshot(id: id, status: .failed, providerStatus: "failed")
        if let filtered = result?.raiMediaFilteredCount?.value, filtered > 0 {
            let reasons = (result?.raiMediaFilteredReasons ?? []).map { redact($0).printable(limit: 300) }.filter { !$0.isEmpty }
            job.providerStatus = "filtered"
            job.failure = JobSnapshot.Failure(
                code: GeminiErrors.filteredCode,
                message: "the safety filters withheld \(filtered) video\(filtered == 1 ? "" : "s")" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")))
        } else {
            job.failure = JobSnapshot.Failure(code: nil, message: "the operation finished without a video")
        }
        return job
    }

    /// Reads an operation. An answer that is not one (garbage, JSON cut short, a proxy's page)
    /// is an error naming the URL and status with a sanitised excerpt.
    func decode(_ response: HTTPResponse, id: String? = nil) throws(VideosError) -> GeminiOperation {
        do {
            return try JSONDecoder().decode(GeminiOperation.self, from: Data(response.body))
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) != nil
            let what = response.isHTML ? "an HTML page" : isJSON ? "JSON that is not a Gemini API operation" : "something that is not complete JSON"
            let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
            throw VideosError(
                .unavailable, "\(response.url) answered with \(what)\(excerpt)", status: response.status,
                requestID: response.requestID.map { redact($0).printable(limit: 100) },
                hint: isJSON || response.isHTML
                    ? "check --base-url: it should be the Gemini API root, ending in /v1beta"
                    : "the answer was garbled or cut short on the way; try again",
                videoID: id)
        }
    }

    /// An answer no Gemini API writes, refused rather than followed.
    private func hostile(_ response: HTTPResponse, _ what: String, id: String? = nil) -> VideosError {
        VideosError(
            .unavailable, "\(response.url) answered with \(what); soraimg does not follow it", status: response.status,
            requestID: response.requestID.map { redact($0).printable(limit: 100) }, videoID: id)
    }
}
