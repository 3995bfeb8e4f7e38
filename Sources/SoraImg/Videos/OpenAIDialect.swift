import Foundation

/// The OpenAI Videos protocol (`/v1/videos`), as Azure OpenAI, LiteLLM proxies and other
/// gateways keep serving it: multipart or JSON creates, `GET /videos/{id}`, content by variant,
/// a job list, delete, remix, and the 2026 extensions and edits of a finished video.
public struct OpenAIDialect: VideoDialect {
    public let provider = "openai"
    /// OpenAI's Videos API answers 400 "Input images with faces of humans are currently
    /// rejected." to a reference image with a face, and the gateways that pass it on do the same.
    public static let rejectsFaces = true
    public var rejectsFaces: Bool { Self.rejectsFaces }
    public let configuration: VideosConfiguration
    public let variants: [ContentVariant] = ContentVariant.allCases

    public init(configuration: VideosConfiguration) {
        self.configuration = configuration
    }

    private func request(
        _ method: HTTPRequest.Method, _ path: String, query: [String: String] = [:], body: HTTPRequest.Body = .none, timeout: Double? = 120
    ) -> HTTPRequest {
        HTTPRequest(method: method, url: configuration.url(path, query: query), headers: configuration.headers, body: body, timeout: timeout)
    }

    /// An id as one path segment: a server's id never adds segments or climbs out of the path.
    static func escape(_ id: String) -> String { ServiceURL.escaped(id) }

    public func create(_ video: CreateVideo) -> HTTPRequest {
        request(.post, "/videos", body: video.body, timeout: 300)
    }

    public func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        Self.snapshot(try decode(Video.self, from: response))
    }

    public func status(of id: String) -> HTTPRequest {
        request(.get, "/videos/\(Self.escape(id))")
    }

    public func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot {
        Self.snapshot(try decode(Video.self, from: response, id: id))
    }

    public func pollAfter(in response: HTTPResponse) -> Double? {
        response.header("openai-poll-after-ms").flatMap(Double.init).flatMap { $0.isFinite && $0 >= 0 ? $0 / 1000 : nil }
    }

    /// Content is addressed by the job's id alone.
    public func content(of job: JobSnapshot, variant: ContentVariant) -> JobContent? {
        .request(request(.get, "/videos/\(Self.escape(job.id))/content", query: ["variant": variant.rawValue], timeout: nil))
    }

    public func list(limit: Int) -> HTTPRequest? {
        request(.get, "/videos", query: ["limit": String(limit), "order": "desc"], timeout: 30)
    }

    public func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot] {
        try decode(VideoList.self, from: response).data.map(Self.snapshot)
    }

    public func delete(_ id: String) -> HTTPRequest? {
        request(.delete, "/videos/\(Self.escape(id))")
    }

    public func remix(_ id: String, prompt: String) -> HTTPRequest? {
        let body = (try? JSONSerialization.data(withJSONObject: ["prompt": prompt], options: [.withoutEscapingSlashes])) ?? Data()
        return request(.post, "/videos/\(Self.escape(id))/remix", body: .json(Array(body)))
    }

    /// `POST /videos/extensions` with `{"video": {"id"}, "prompt", "seconds"}`: openai-python
    /// 3.63.0 `videos.extend` sends `seconds` as a string, as create does.
    /// The source's model is not sent: the extension continues it.
    public func extend(_ id: String, prompt: String, seconds: Int?, model: String?) -> HTTPRequest? {
        var body: [String: Any] = ["video": ["id": id], "prompt": prompt]
        if let seconds { body["seconds"] = String(seconds) }
        return request(.post, "/videos/extensions", body: .json(Self.json(body)), timeout: 300)
    }

    /// The Videos API reference (2026): an extension adds up to 20 seconds, and a video grows
    /// to 120 seconds in all. openai-python 3.63.0 requires `seconds` and lists 4, 8, 12, 16
    /// and 20; without `--seconds` the shortest (and cheapest) is asked for.
    public var extensionLimits: ExtensionLimits? { ExtensionLimits(perExtension: 20, total: 120, defaultSeconds: 4) }

    /// `POST /videos/edits` with `{"video": {"id"}, "prompt"}`.
    public func edit(_ id: String, prompt: String) -> HTTPRequest? {
        request(.post, "/videos/edits", body: .json(Self.json(["video": ["id": id], "prompt": prompt])), timeout: 300)
    }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    public func isServiceError(_ response: HTTPResponse) -> Bool {
        (try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))) != nil
    }

    public func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError {
        ErrorCatalogue.error(for: response, configuration: configuration, collection: collection, videoID: id, redact: redact)
    }

    public func failure(of job: JobSnapshot) -> VideosError {
        ErrorCatalogue.jobFailure(job)
    }

    /// The protocol's statuses are the common set; anything else is kept as the service's word.
    @_spi(Fuzzing) public static func snapshot(_ video: Video) -> JobSnapshot {
        var job = JobSnapshot(id: video.id, status: JobStatus(rawValue: video.status), providerStatus: video.status.printable(limit: 60))
        job.progress = video.progress
        job.createdAt = video.createdAt.map { Date(timeIntervalSince1970: Double($0)) }
        job.expiresAt = video.expiresAt.map { Date(timeIntervalSince1970: Double($0)) }
        job.model = video.model
        job.prompt = video.prompt
        job.size = video.size
        job.seconds = video.seconds
        job.remixedFrom = video.remixedFromVideoId
        if let error = video.error, error.code != nil || error.message != nil {
            job.failure = JobSnapshot.Failure(code: error.code, message: error.message)
        }
        return job
    }

    /// Reads a successful answer's JSON. An answer that is not it (garbage, JSON cut short, a
    /// proxy's page) is an error naming the URL and status with a sanitised excerpt.
    @_spi(Fuzzing) public func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, id: String? = nil) throws(VideosError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) != nil
            let what = response.isHTML ? "an HTML page" : isJSON ? "JSON that is not the Videos API's" : "something that is not complete JSON"
            let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
            throw VideosError(
                .unavailable, "\(response.url) answered with \(what)\(excerpt)",
                status: response.status, requestID: response.requestID.map { redact($0).printable(limit: 100) },
                hint: isJSON || response.isHTML
                    ? "check --base-url: it should end in /v1 at a provider that serves /videos"
                    : "the answer was garbled or cut short on the way; try again",
                videoID: id)
        }
    }
}
