import Foundation

/// Replicate's predictions API (`--provider replicate`): a create on an official model
/// (`POST {base}/models/{owner}/{name}/predictions` with `{"input": {...}}`), polled by id
/// (`GET {base}/predictions/{id}`), the video at the URL in `output`. The key travels as
/// `Authorization: Bearer` (replicate-python-beta, Replicate's HTTP docs). The service keeps a
/// job list (`GET {base}/predictions`), so an unanswered create is looked up there, never
/// resent blindly; it documents no idempotency key. `Prefer: wait` is not sent: a video takes
/// minutes, longer than the 60 s the header can hold the answer, so soraimg polls.
public struct ReplicateDialect: VideoDialect {
    public let provider = "replicate"
    public let configuration: VideosConfiguration
    /// Replicate's models make the video and nothing beside it.
    public let variants: [ContentVariant] = [.video]

    /// The largest image sent inline as a data URL. Replicate's `input` docs: "use a data URL
    /// when the file is ≤ 256 KB"; read as 256,000 bytes, the smaller of the two readings, so
    /// an image on the line goes through `POST /files`, which takes any size.
    public static let inlineLimit = 256_000

    public init(configuration: VideosConfiguration) {
        self.configuration = configuration
    }

    private func request(_ method: HTTPRequest.Method, _ path: String, query: [String: String] = [:], body: HTTPRequest.Body = .none, timeout: Double? = 120)
        -> HTTPRequest
    {
        HTTPRequest(method: method, url: configuration.url(path, query: query), headers: configuration.headers, body: body, timeout: timeout)
    }

    /// An image too large to go inline is uploaded first: `POST {base}/files`, multipart with
    /// the bytes in `content` (a file part with its name and type), as replicate 1.0.7's
    /// `files.create` sends it and replicate-python-beta documents it.
    public func uploadStart(_ reference: CreateVideo.Reference) -> HTTPRequest? {
        guard reference.bytes.count > Self.inlineLimit else { return nil }
        let part = MultipartPart.file(
            "content", filename: "reference.\(reference.format.fileExtension)", contentType: reference.format.mimeType, data: reference.bytes)
        return request(.post, "/files", body: .multipart([part]), timeout: 300)
    }

    /// The uploaded file's `urls.get`, which the create names as `start_image`; the start
    /// carried the bytes, so no second request. Only an http(s) URL is passed on: the service
    /// fetches it, soraimg never does.
    public func upload(_ reference: CreateVideo.Reference, after response: HTTPResponse) throws(VideosError) -> (request: HTTPRequest?, url: String) {
        let file: ReplicateFile
        do {
            file = try JSONDecoder().decode(ReplicateFile.self, from: Data(response.body))
        } catch {
            throw VideosError(.unavailable, "\(response.url) answered the image upload with something that is not a Replicate file", status: response.status)
        }
        guard let url = file.urls?.get, let parsed = try? ServiceURL(url, source: "the file url"), !parsed.hadCredentials, url.count <= 2048 else {
            throw VideosError(.unavailable, "\(response.url) answered the image upload without an http or https URL for the file", status: response.status)
        }
        return (nil, url)
    }

    /// A reference image of up to `inlineLimit` bytes goes inline as a data URL; a larger one
    /// is uploaded first (`uploadStart`) and named by its URL.
    public func create(_ video: CreateVideo) -> HTTPRequest {
        let image = video.reference.map { reference in
            reference.url ?? reference.dataURL
        }
        return createRequest(video, image: image)
    }

    /// `{"input": {"prompt", "duration", "start_image"?}}`. kwaivgi/kling-v2.5-turbo-pro takes
    /// `duration` as an integer; `aspect_ratio` is "ignored if start_image is provided" (its
    /// API page), so the prepared image's shape is the video's and none is sent with one. A
    /// text-only job sends the aspect of the size asked for when it is 16:9, 9:16 or 1:1.
    func createRequest(_ video: CreateVideo, image: String?) -> HTTPRequest {
        var input: [String: Any] = ["prompt": video.prompt]
        if let seconds = Int(video.seconds) { input["duration"] = seconds } else { input["duration"] = video.seconds }
        if let image {
            input["start_image"] = image
        } else if let aspect = Self.aspectRatio(of: video.size) {
            input["aspect_ratio"] = aspect
        }
        let body = (try? JSONSerialization.data(withJSONObject: ["input": input], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return request(.post, "/models/\(Self.modelPath(video.model))/predictions", body: .json(Array(body)), timeout: 300)
    }

    /// The `input` fields a dry run shows, with how the image would travel.
    public static func fields(of video: CreateVideo) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let reference = video.reference {
            let how = reference.bytes.count > inlineLimit
                ? "uploaded through POST /files first (\(reference.bytes.count) bytes, over \(inlineLimit)), its URL"
                : "data URL (\(reference.format.mimeType), \(reference.bytes.count) bytes)"
            fields.append(("input.start_image", how))
        } else if let aspect = aspectRatio(of: video.size) {
            fields.append(("input.aspect_ratio", aspect))
        }
        return fields
    }

    /// `owner/name` as two escaped path segments; a name that is not exactly that is sent as one
    /// escaped segment, which the service can only answer 404, never another path.
    static func modelPath(_ model: String) -> String {
        let parts = model.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return ServiceURL.escaped(model) }
        return parts.map { ServiceURL.escaped(String($0)) }.joined(separator: "/")
    }

    static func aspectRatio(of size: VideoSize) -> String? {
        switch (size.width, size.height) {
        case let (w, h) where w * 9 == h * 16: "16:9"
        case let (w, h) where w * 16 == h * 9: "9:16"
        case let (w, h) where w == h: "1:1"
        default: nil
        }
    }

    public func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        let prediction = try decode(ReplicatePrediction.self, from: response)
        return try snapshot(prediction, id: nil, response: response)
    }

    /// Polled by id at the base URL. The prediction's `urls.get` is never followed: it names
    /// the same place at the real service, and a URL on another origin would take the key there.
    public func status(of id: String) -> HTTPRequest {
        request(.get, "/predictions/\(ServiceURL.escaped(id))")
    }

    public func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot {
        try snapshot(try decode(ReplicatePrediction.self, from: response, id: id), id: id, response: response)
    }

    /// Replicate sends no poll interval; the engine's schedule (2 s growing to 15 s) fits a
    /// video that takes minutes.
    public func pollAfter(in response: HTTPResponse) -> Double? { nil }

    /// The URL in `output`, once a status answer at hand names it. The key goes with it only
    /// to `replicate.delivery` and its subdomains over https, where Replicate serves outputs
    /// and says "you'll need to pass the Authorization header"; any other host (a CDN, the
    /// base URL's own origin, which never serves outputs at Replicate) gets no key. A URL with
    /// credentials in it, or plain http under an https service, is refused.
    public func content(of job: JobSnapshot, variant: ContentVariant) throws(VideosError) -> JobContent? {
        try namedVideo(of: job, variant: variant) { url throws(VideosError) in try download(url, id: job.id) }
    }

    func download(_ url: String, id: String) throws(VideosError) -> HTTPRequest {
        try linkDownload(url, id: id, noun: "output", sendsKey: Self.takesKey)
    }

    /// Whether an output URL may carry the key: https on `replicate.delivery` or under it.
    static func takesKey(_ url: ServiceURL) -> Bool {
        url.scheme == "https" && (url.host == "replicate.delivery" || url.host.hasSuffix(".replicate.delivery"))
    }

    /// `GET {base}/predictions`, newest first; one page is enough to find a create sent a
    /// moment ago.
    public func list(limit: Int) -> HTTPRequest? {
        request(.get, "/predictions", timeout: 30)
    }

    public func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot] {
        try decode(ReplicatePredictionPage.self, from: response).results.compactMap { try? snapshot($0, id: nil, response: response) }
    }

    public func delete(_ id: String) -> HTTPRequest? { nil }
    public func remix(_ id: String, prompt: String) -> HTTPRequest? { nil }

    /// `POST {base}/predictions/{id}/cancel`: where the prediction's `urls.cancel` points at
    /// the real service, built from the id so that no URL a server wrote gets the key.
    public func cancel(_ job: JobSnapshot) throws(VideosError) -> HTTPRequest? {
        request(.post, "/predictions/\(ServiceURL.escaped(job.id))/cancel")
    }

    /// The prediction's status after the cancel, in the common words (`cancelled`), or the
    /// service's own word when it is another.
    public func cancelled(from response: HTTPResponse) -> String {
        guard let prediction = try? JSONDecoder().decode(ReplicatePrediction.self, from: Data(response.body)),
            let job = try? snapshot(prediction, id: nil, response: response)
        else { return "cancel requested" }
        return job.status?.rawValue ?? job.providerStatus
    }

    public func isServiceError(_ response: HTTPResponse) -> Bool {
        (try? JSONDecoder().decode(ReplicateErrorBody.self, from: Data(response.body)))?.detail != nil
    }

    public func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError {
        ReplicateErrors.error(for: response, configuration: configuration, collection: collection, id: id, redact: redact)
    }

    public func failure(of job: JobSnapshot) -> VideosError {
        ReplicateErrors.jobFailure(job)
    }

    /// The prediction as the engine sees it. An id that is not a plain token, or one other
    /// than the job asked about, is refused rather than followed.
    func snapshot(_ prediction: ReplicatePrediction, id: String?, response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        guard Self.isPlainID(prediction.id) else {
            throw hostile(response, "a prediction id that is not a plain token ('\(redact(prediction.id).printable(limit: 120))')", id: id)
        }
        if let id, prediction.id != id {
            throw hostile(response, "another prediction ('\(redact(prediction.id).printable(limit: 120))')", id: id)
        }
        var job = JobSnapshot(id: prediction.id, status: ReplicatePrediction.status(prediction.status), providerStatus: redact(prediction.status).printable(limit: 60))
        job.model = prediction.model.map { redact($0).printable(limit: 200) }
        job.prompt = prediction.input?.prompt
        job.seconds = prediction.input?.duration?.seconds
        job.createdAt = prediction.createdAt.flatMap(ReplicatePrediction.date)
        if job.status == .completed, let output = prediction.output?.first {
            job.videoSource = .url(output)
        }
        if let error = prediction.error, !error.isEmpty {
            job.failure = JobSnapshot.Failure(code: nil, message: redact(error).printable(limit: 500))
        } else if job.status == .completed && prediction.output?.first == nil {
            job.failure = JobSnapshot.Failure(code: nil, message: "the prediction succeeded without an output URL")
        }
        return job
    }

    /// Replicate's ids are short lowercase alphanumeric tokens; anything with a path, a dot or
    /// a control character in it was not written by the service.
    static func isPlainID(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 < 0x80 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")) }
    }

    /// Reads a successful answer's JSON; anything else is an error naming URL and status.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, id: String? = nil) throws(VideosError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) != nil
            let what = response.isHTML ? "an HTML page" : isJSON ? "JSON that is not a Replicate prediction" : "something that is not complete JSON"
            let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
            throw VideosError(
                .unavailable, "\(response.url) answered with \(what)\(excerpt)", status: response.status,
                requestID: response.requestID.map { redact($0).printable(limit: 100) },
                hint: isJSON || response.isHTML
                    ? "check --base-url: it should be Replicate's API root, ending in /v1"
                    : "the answer was garbled or cut short on the way; try again",
                videoID: id)
        }
    }

    private func hostile(_ response: HTTPResponse, _ what: String, id: String?) -> VideosError {
        VideosError(
            .unavailable, "\(response.url) answered with \(what); soraimg does not follow it", status: response.status,
            requestID: response.requestID.map { redact($0).printable(limit: 100) }, videoID: id)
    }
}
