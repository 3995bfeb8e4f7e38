import Foundation

/// fal's queue (`--provider fal`): the reference image is uploaded to fal storage first
/// (`POST {storage}/storage/upload/initiate`, then a `PUT` of the bytes to the signed URL it
/// returns), the job submitted with the image's URL (`POST {base}/{model_id}`), then followed
/// through the `status_url`, `response_url` and `cancel_url` the submit answered with: fal says
/// not to build those by hand (fal.ai/docs/api-reference/inference-api), so they are kept in
/// the journal beside the `request_id` and used as given. The key travels as
/// `Authorization: Key KEY` (fal's docs; fal-client 1.0.3), only to the base URL's origin and
/// the storage origin: never to the signed upload URL nor to the video's CDN link, which is
/// public (fal's file-access-controls page). fal keeps no job list, so an unanswered submit is
/// never resent without the user's word.
///
/// Readings of what fal leaves unconfirmed: whether Veo 3.1 and Kling take a data URI is not
/// documented, so the image is always uploaded; whether a 429 carries `Retry-After` is not
/// documented, so the engine honours one when present and backs off otherwise; the HTTP codes
/// of cancel's answers are not documented, so any 2xx is success and its `status` word is shown.
public struct FalDialect: VideoDialect {
    public let provider = "fal"
    public let configuration: VideosConfiguration
    /// Where uploads go (`SORAIMG_FAL_STORAGE_URL`, else the base URL's origin when it is not
    /// fal's own, else `https://rest.fal.ai`): a test pointed at a sandbox never reaches fal.
    public let storage: ServiceURL
    public let variants: [ContentVariant] = [.video]

    static let defaultStorage = "https://rest.fal.ai"

    public init(configuration: VideosConfiguration) {
        self.configuration = configuration
        if let storage = configuration.storage {
            self.storage = storage
        } else if configuration.baseURL == Provider.fal.defaultBaseURL {
            self.storage = try! ServiceURL(Self.defaultStorage, source: "fal's storage")
        } else {
            self.storage = (try? ServiceURL(configuration.service.origin, source: "--base-url")) ?? configuration.service
        }
    }

    /// The names of the addresses kept beside the id.
    enum Handle {
        static let status = "status_url"
        static let response = "response_url"
        static let cancel = "cancel_url"
    }

    // MARK: Upload

    /// Protocol A of fal's clients (fal-js `storage.ts`): `storage_type=fal-cdn-v3`, the file's
    /// type and name; the answer names a signed `upload_url` and the public `file_url`.
    public func uploadStart(_ reference: CreateVideo.Reference) -> HTTPRequest? {
        let body: [String: String] = ["content_type": reference.format.mimeType, "file_name": "reference.\(reference.format.fileExtension)"]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return HTTPRequest(
            method: .post, url: storage.url(path: "/storage/upload/initiate", query: ["storage_type": "fal-cdn-v3"]),
            headers: configuration.headers, body: .json(Array(data)))
    }

    /// The `PUT` of the bytes to the signed URL, with no key: the signature is its credential
    /// (fal-client 1.0.3 sends its key there too; soraimg does not).
    public func upload(_ reference: CreateVideo.Reference, after response: HTTPResponse) throws(VideosError) -> (request: HTTPRequest?, url: String) {
        struct Answer: Decodable {
            let upload_url: String?
            let file_url: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)), let put = answer.upload_url,
            let file = answer.file_url
        else {
            throw hostile(response, "an upload answer without upload_url and file_url")
        }
        try checkLink(put, what: "signed upload URL", response: response, under: storage)
        try checkLink(file, what: "uploaded file's URL", response: response, under: storage)
        let request = HTTPRequest(
            method: .put, url: put, headers: [HTTPHeader("Content-Type", reference.format.mimeType)], body: .bytes(reference.bytes),
            timeout: 300)
        return (request, file)
    }

    // MARK: Submit and follow

    public func create(_ video: CreateVideo) -> HTTPRequest {
        let path = video.model.split(separator: "/", omittingEmptySubsequences: false).map { ServiceURL.escaped(String($0)) }.joined(separator: "/")
        return HTTPRequest(
            method: .post, url: configuration.url("/" + path), headers: configuration.headers, body: .json(FalRequest.body(for: video)),
            timeout: 300)
    }

    public func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        struct Answer: Decodable {
            let request_id: String?
            let status_url: String?
            let response_url: String?
            let cancel_url: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)), let id = answer.request_id, !id.isEmpty,
            id.count <= 200
        else {
            throw hostile(response, "a submit answer without a request_id")
        }
        guard let status = answer.status_url, let result = answer.response_url else {
            throw hostile(response, "a submit answer without status_url and response_url", id: id)
        }
        var job = JobSnapshot(id: id, status: .queued, providerStatus: "IN_QUEUE")
        for (name, value) in [(Handle.status, status), (Handle.response, result), (Handle.cancel, answer.cancel_url)] {
            guard let value else { continue }
            guard value.count <= 2048 else { throw hostile(response, "a \(name) of \(value.count) characters", id: id) }
            job.handles[name] = value
        }
        return job
    }

    /// The engine asks through `status(of job:)`, which has the create's addresses; the id
    /// alone cannot reach a fal job, so this names the queue's root, whose answer is an error.
    public func status(of id: String) -> HTTPRequest {
        HTTPRequest(method: .get, url: configuration.url("/"), headers: configuration.headers)
    }

    public func status(of job: JobSnapshot) throws(VideosError) -> HTTPRequest {
        HTTPRequest(method: .get, url: try handle(Handle.status, of: job), headers: configuration.headers)
    }

    /// `IN_QUEUE` → queued, `IN_PROGRESS` → in_progress, `COMPLETED` → completed, or failed
    /// when it carries an `error` (fal-client 1.0.3 `_parse_status` reads `error` and
    /// `error_type` there). Any other word is kept verbatim and treated as still running.
    public func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot {
        let answer = try decode(FalStatus.self, response, id: id)
        guard let word = answer.status else { throw hostile(response, "a status answer without a status", id: id) }
        let shown = redact(word).printable(limit: 40)
        switch word {
        case "IN_QUEUE": return JobSnapshot(id: id, status: .queued, providerStatus: shown)
        case "IN_PROGRESS": return JobSnapshot(id: id, status: .inProgress, providerStatus: shown)
        case "COMPLETED":
            var job = JobSnapshot(id: id, status: .completed, providerStatus: shown)
            if let error = answer.error {
                job.status = .failed
                job.failure = JobSnapshot.Failure(
                    code: answer.error_type.map { redact($0).printable(limit: 100) }, message: redact(error.text).printable(limit: 500))
            }
            return job
        default: return JobSnapshot(id: id, status: nil, providerStatus: shown)
        }
    }

    /// fal sends no poll interval; the engine's own schedule applies.
    public func pollAfter(in response: HTTPResponse) -> Double? { nil }

    /// A completed job's result is read from its `response_url`: "If the model returned an
    /// error, this operation returns the same error" (fal.ai/docs/inference-api/queue/result).
    public func result(of job: JobSnapshot) throws(VideosError) -> HTTPRequest? {
        guard job.hasVideo else { return nil }
        return HTTPRequest(method: .get, url: try handle(Handle.response, of: job), headers: configuration.headers)
    }

    /// A 2xx result names the video (`video.url`); any other answer is the job's failure, with
    /// the model's words (`detail`) and its `X-Fal-Error-Type` or the detail's `type`.
    public func job(_ job: JobSnapshot, result response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        var job = job
        guard (200..<300).contains(response.status) else {
            let error = FalErrors.detail(of: response, redact: redact)
            job.status = .failed
            job.failure = JobSnapshot.Failure(
                code: error.code, message: "the result answered HTTP \(response.status)" + (error.message.map { ": \($0)" } ?? ""))
            return job
        }
        let answer = try decode(FalResult.self, response, id: job.id)
        guard let url = answer.video?.url, !url.isEmpty else {
            job.status = .failed
            job.failure = JobSnapshot.Failure(code: nil, message: "the result named no video")
            return job
        }
        job.videoSource = .url(url)
        return job
    }

    /// The video at its CDN link, fetched without the key (the link is public, and any host
    /// other than the API's must never see the key). A link with credentials in it, or plain
    /// `http` under an `https` service, is refused.
    public func content(of job: JobSnapshot, variant: ContentVariant) throws(VideosError) -> JobContent? {
        try namedVideo(of: job, variant: variant) { url throws(VideosError) in try cdnDownload(url, job: job) }
    }

    private func cdnDownload(_ url: String, job: JobSnapshot) throws(VideosError) -> HTTPRequest {
        let shown = redact(url).printable(limit: 200)
        guard let target = try? ServiceURL(url, source: "the video url"), !target.hadCredentials,
            configuration.service.scheme != "https" || target.scheme == "https"
        else {
            throw VideosError(
                .unavailable, "the service named the video of \(job.displayID) at '\(shown)', which soraimg does not fetch (not a plain http(s) URL of the service's kind)",
                videoID: job.id)
        }
        return HTTPRequest(method: .get, url: url, headers: [], timeout: nil)
    }

    public func list(limit: Int) -> HTTPRequest? { nil }
    public func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot] { [] }
    public func delete(_ id: String) -> HTTPRequest? { nil }
    public func remix(_ id: String, prompt: String) -> HTTPRequest? { nil }

    /// `PUT cancel_url`: a queued request is removed, a running one is asked to stop.
    public func cancel(_ job: JobSnapshot) throws(VideosError) -> HTTPRequest? {
        HTTPRequest(method: .put, url: try handle(Handle.cancel, of: job), headers: configuration.headers)
    }

    /// fal's documented answers: `OK`, `CANCELLATION_REQUESTED`, `ALREADY_COMPLETED`,
    /// `NOT_FOUND` (fal.ai/docs/inference-api/queue/cancel).
    public func cancelled(from response: HTTPResponse) -> String {
        let word = (try? JSONDecoder().decode(FalStatus.self, from: Data(response.body)))?.status
        return word.map { redact($0).printable(limit: 60) } ?? "cancel sent (HTTP \(response.status))"
    }

    public func isServiceError(_ response: HTTPResponse) -> Bool {
        FalErrors.isServiceError(response)
    }

    public func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError {
        FalErrors.error(for: response, configuration: configuration, collection: collection, id: id, redact: redact)
    }

    public func failure(of job: JobSnapshot) -> VideosError {
        let message = job.failure?.message ?? "the job ended \(job.providerStatus) without a video"
        return VideosError(.jobFailed, "job \(job.displayID) failed: \(message)", code: job.failure?.code, videoID: job.id)
    }

    /// What fal can be asked for, refused before anything is sent: a model id that is not a
    /// plain `owner/app/...` path, a photo missing where the model needs one, and a size Veo 3.1
    /// cannot be asked for.
    public static func check(_ video: CreateVideo) throws(VideosError) {
        guard FalRequest.isModelID(video.model) else {
            throw VideosError(.usage, "fal model ids look like owner/app/path (fal-ai/veo3.1/image-to-video), not '\(video.model.printable(limit: 80))'")
        }
        let model = FalRequest.model(video.model)
        if model.needsImage && video.reference == nil {
            throw VideosError(.usage, "\(video.model) makes a video from a photo: give an IMAGE")
        }
        if model.namesSize && !FalRequest.isVeoSize(video.size) {
            throw VideosError(
                .usage, "\(video.model) takes a size of 16:9 or 9:16 at 720p or 1080p (1280x720, 720x1280, 1920x1080, 1080x1920), not \(video.size)")
        }
    }

    // MARK: Helpers

    /// One of the job's addresses, which must lie on the base URL's origin: the key goes with
    /// it, and an address elsewhere (from a hostile answer or a tampered journal) is refused
    /// rather than given the key.
    func handle(_ name: String, of job: JobSnapshot) throws(VideosError) -> String {
        guard let url = job.handles[name] else {
            throw VideosError(
                .usage,
                "fal job \(job.displayID) has no \(name) in this machine's journal: fal's addresses for a job come only from its submit answer, and soraimg does not build them by hand",
                hint: "run the job command on the machine (and with the same XDG_STATE_HOME) that submitted it", videoID: job.id)
        }
        guard let target = try? ServiceURL(url, source: name), !target.hadCredentials, target.origin == configuration.service.origin else {
            throw VideosError(
                .unavailable,
                "the service gave job \(job.displayID) a \(name) of '\(redact(url).printable(limit: 200))', which is not on \(configuration.service.origin.printable(limit: 100)); soraimg does not send the key there",
                videoID: job.id)
        }
        return url
    }

    /// A link the storage answered with: http(s), no credentials, not plain http under https.
    private func checkLink(_ url: String, what: String, response: HTTPResponse, under root: ServiceURL) throws(VideosError) {
        guard let target = try? ServiceURL(url, source: what), !target.hadCredentials, root.scheme != "https" || target.scheme == "https" else {
            throw hostile(response, "a \(what) soraimg does not use ('\(redact(url).printable(limit: 200))')")
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse, id: String?) throws(VideosError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
            throw VideosError(
                .unavailable, "\(response.url) answered with something that is not fal's JSON\(excerpt)", status: response.status,
                requestID: response.requestID.map { redact($0).printable(limit: 100) },
                hint: response.isHTML ? "check --base-url: it should be fal's queue, https://queue.fal.run" : "the answer was garbled or cut short on the way; try again",
                videoID: id)
        }
    }

    private func hostile(_ response: HTTPResponse, _ what: String, id: String? = nil) -> VideosError {
        VideosError(
            .unavailable, "\(response.url) answered with \(what); soraimg does not follow it", status: response.status,
            requestID: response.requestID.map { redact($0).printable(limit: 100) }, videoID: id)
    }
}

/// A status answer (`status`, `queue_position`, `logs`; on COMPLETED perhaps `error`,
/// `error_type`), and a cancel's answer (`status`).
struct FalStatus: Decodable {
    let status: String?
    let error: FalText?
    let error_type: String?
}

/// The model's output: `{video: {url, content_type?, file_name?, file_size?}}`.
struct FalResult: Decodable {
    struct File: Decodable { let url: String? }
    let video: File?
}

/// An `error` or `detail` that may be a string or any JSON: kept as text.
struct FalText: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let value = try? container.decode(JSONAny.self) {
            text = value.description
        } else {
            text = "an error"
        }
    }
}

/// Any JSON value, for error fields whose shape varies (a string, or Pydantic-style lists).
struct JSONAny: Decodable, CustomStringConvertible {
    let description: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            description = string
        } else if let number = try? container.decode(Double.self) {
            description = String(number)
        } else if let list = try? container.decode([JSONAny].self) {
            description = list.map(\.description).joined(separator: "; ")
        } else if let object = try? container.decode([String: JSONAny].self) {
            // Pydantic-style detail items: the message is what a person reads.
            description = object["msg"]?.description ?? object["message"]?.description
                ?? object.keys.sorted().map { "\($0): \(object[$0]!.description)" }.joined(separator: ", ")
        } else {
            description = ""
        }
    }
}
