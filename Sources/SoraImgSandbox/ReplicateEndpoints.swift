import Foundation
import SoraImg

/// Replicate's predictions API under `/v1`: create on an official model, get, list (newest
/// first, cursor pagination), cancel, and file uploads; the output MP4 is served at this
/// origin under `/delivery/`, outside the API and without a key, as a host other than
/// replicate.delivery would serve it (a client must not send the key there).
extension SandboxAPI {
    func routeReplicate(_ request: HTTPRequest, _ components: [String]) throws(APIError) -> HTTPReply {
        if components.first == "delivery" {
            guard request.method == "GET", components.count == 3, components[2] == "output.mp4" else {
                throw APIError(status: 404, message: "Not found.")
            }
            return .response(try outputReplicate(components[1], withKey: request.headers["authorization"] != nil))
        }
        try authenticateReplicate(request)
        let rest = components.first == "v1" ? Array(components.dropFirst()) : []
        switch (request.method, rest.first, rest.count) {
        case ("POST", "models", 4) where rest[3] == "predictions":
            return try createReplicate(model: rest[1] + "/" + rest[2], request)
        case ("GET", "predictions", 1):
            return .response(try listReplicate(cursor: request.query["cursor"]))
        case ("GET", "predictions", 2):
            return .response(try predictionReplicate(rest[1]))
        case ("POST", "predictions", 3) where rest[2] == "cancel":
            guard let job = store.cancel(rest[1]) else { throw Self.replicateNotFound }
            return .response(.json(200, replicateObject(job, at: .now)))
        case ("POST", "files", 1):
            return .response(try uploadReplicate(request))
        default:
            throw APIError(status: 404, message: "Not found.")
        }
    }

    /// `Authorization: Bearer TOKEN`, or `Token TOKEN` as Replicate's older examples (and its
    /// Files API example) write it; 401 otherwise.
    private func authenticateReplicate(_ request: HTTPRequest) throws(APIError) {
        let parts = (request.headers["authorization"] ?? "").split(separator: " ", maxSplits: 1)
        let presented = parts.count == 2 && ["bearer", "token"].contains(parts[0].lowercased()) ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard !presented.isEmpty else {
            throw APIError(status: 401, message: "You did not pass an authentication token", code: "Unauthenticated")
        }
        // The message never repeats the key: error bodies end up in logs.
        if let key, presented != key {
            throw APIError(status: 401, message: "You did not pass a valid authentication token", code: "Unauthenticated")
        }
    }

    /// `POST /v1/models/{owner}/{name}/predictions`: 201 with the prediction, `starting`.
    private func createReplicate(model: String, _ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let files = { (url: String) in self.storedFile(at: url) }
        let video = try ReplicateRequest(model: model, request, file: files, rejectingFaces: faults.rejectFaces)
        let job = newJob(prompt: video.prompt, model: video.model, size: video.size.description, seconds: String(video.seconds))
        let upload = UploadRecord(videoID: job.id, prompt: job.prompt, model: job.model, seconds: job.seconds, size: job.size, reference: video.image)
        guard store.add(job, upload: upload, unlessRunning: faults.runningLimit, input: video.echoedInput) else {
            throw Self.tooManyRunning(limit: faults.runningLimit ?? 0)
        }
        if faults.foreignJob { store.setForeign(job.olderTwin()) }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        // 201 Created: Replicate's HTTP API reference shows it for a create (the status is
        // not in the OpenAPI spec); replicate 1.0.7 takes any 2xx.
        return .response(.json(201, replicateObject(job, at: nil)))
    }

    /// `GET /v1/predictions/{id}`.
    private func predictionReplicate(_ id: String) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorStatuses) { throw APIError(status: 500, message: "Internal server error") }
        guard let job = store.job(id) else { throw Self.replicateNotFound }
        return .json(200, replicateObject(job, at: .now))
    }

    /// `GET /v1/predictions[?cursor=ID]`: newest first, 100 a page, `next` the absolute URL of
    /// the page after (replicate 1.0.7 `Page` follows `next` as given).
    private func listReplicate(cursor: String?) throws(APIError) -> HTTPResponse {
        guard let page = store.page(ascending: false, after: cursor, limit: 100) else {
            throw APIError(status: 400, message: "Invalid cursor.")
        }
        let now = ContinuousClock.now
        let next: JSONValue = page.hasMore ? .string(baseURL + "/predictions?cursor=" + Self.pathSegment(page.jobs.last?.id ?? "")) : .null
        return .json(200, .object([("previous", .null), ("next", next), ("results", .array(page.jobs.map { replicateObject($0, at: now) }))]))
    }

    /// `POST /v1/files`: multipart with the bytes in `content` (a file part), as replicate
    /// 1.0.7 sends it; `filename`, `type` and `metadata` fields are optional.
    private func uploadReplicate(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard request.mediaType == "multipart/form-data" else {
            throw APIError(status: 415, message: "Send the file as multipart/form-data with the bytes in the content part.")
        }
        let parts = try Multipart.parse(request.body, boundary: try Multipart.boundary(in: request.headers["content-type"] ?? ""))
        guard let content = parts.first(where: { $0.name == "content" }), content.filename != nil else {
            throw APIError(status: 400, message: "The content part (the file) is required.")
        }
        let field = { (name: String) in parts.first { $0.name == name && $0.filename == nil }.map(\.text) }
        let filename = field("filename") ?? content.filename ?? "file"
        let contentType = field("type") ?? content.contentType.map(HTTPHeaders.mediaType) ?? "application/octet-stream"
        let file = StoredFile(id: Identifier.operation(), filename: filename, contentType: contentType, bytes: content.body)
        store.keep(file)
        let created = Self.timestamp(Date.now.timeIntervalSince1970)
        return .json(
            201,
            .object([
                ("id", .string(file.id)), ("name", .string(filename)), ("content_type", .string(contentType)), ("size", .int(file.bytes.count)),
                ("etag", .string(file.id)), ("checksums", .object([])), ("metadata", .object([])), ("created_at", .string(created)),
                ("expires_at", .null), ("urls", .object([("get", .string(fileURL(file.id)))])),
            ]))
    }

    /// The output MP4 of a succeeded prediction; each request is listed in the report with
    /// whether it carried a key (none belongs on a host that is not replicate.delivery).
    private func outputReplicate(_ fileID: String, withKey: Bool) throws(APIError) -> HTTPResponse {
        store.countDownload(withKey: withKey)
        if store.takeFault(\.errorContents) { throw APIError(status: 503, message: "Service Unavailable") }
        guard let job = store.job(fileID: fileID, fileIDOf: Self.fileID), replicateStatus(job, at: .now) == "succeeded" else {
            throw APIError(status: 404, message: "Not found.")
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "video/mp4")], body: SandboxContentData.video)
    }

    /// `https://api.replicate.com/v1/files/{id}` at the real service: this sandbox's own.
    private func fileURL(_ id: String) -> String { baseURL + "/files/" + id }

    private func storedFile(at url: String) -> StoredFile? {
        let prefix = baseURL + "/files/"
        guard url.hasPrefix(prefix) else { return nil }
        return store.file(String(url.dropFirst(prefix.count)))
    }

    /// Replicate's word for `job` at `now` (nil: as a create answers): starting, processing,
    /// then succeeded or failed; canceled once cancelled; aborted at the end under `expire`
    /// (its deadline passed before it started).
    private func replicateStatus(_ job: VideoJob, at now: ContinuousClock.Instant?) -> String {
        if store.isCancelled(job.id) { return "canceled" }
        guard let now else { return "starting" }
        switch job.phase(at: now).phase {
        case .queued: return "starting"
        case .inProgress: return faults.expire ? "starting" : "processing"
        case .completed: return faults.expire ? "aborted" : "succeeded"
        case .failed: return "failed"
        }
    }

    /// A prediction as replicate 1.0.7's `Prediction` reads it: `model` and `version` strings,
    /// `input`, `output` (the MP4's URL once succeeded), `error`, `logs`, times, `urls`.
    func replicateObject(_ job: VideoJob, at now: ContinuousClock.Instant?) -> JSONValue {
        let status = replicateStatus(job, at: now)
        var input = store.input(of: job.id) ?? .object([])
        input = input.replacing("prompt", with: .string(faults.echoPrompt ?? job.prompt))
        let get = baseURL + "/predictions/" + Self.pathSegment(job.id)
        let finished = ["succeeded", "failed", "canceled", "aborted"].contains(status)
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(job.id)),
            ("model", .string(faults.echoModel ?? job.model)),
            // Official models answer with a version string too; the sandbox has one version.
            ("version", "hidden"),
            ("input", input),
            ("logs", ""),
            ("output", status == "succeeded" ? .string(published.origin + "/delivery/" + Self.fileID(job.id) + "/output.mp4") : .null),
            ("data_removed", false),
            ("error", .null),
            ("status", .string(disguised(status))),
            ("created_at", .string(Self.timestamp(job.createdAt))),
            ("urls", .object([("get", .string(get)), ("cancel", .string(get + "/cancel")), ("web", .string("https://replicate.com/p/" + Self.pathSegment(job.id)))])),
        ]
        if status != "starting" { members.append(("started_at", .string(Self.timestamp(job.createdAt + job.duration / 10)))) }
        if finished { members.append(("completed_at", .string(Self.timestamp(job.createdAt + job.duration)))) }
        if status == "failed" {
            members = members.map { $0.key == "error" ? ("error", .string(disguised(job.failure?.message ?? "Prediction failed."))) : $0 }
        } else if status == "succeeded" && faults.completedWithError {
            members = members.map { $0.key == "error" ? ("error", "The model raised an error while generating this video.") : $0 }
        }
        return .object(members)
    }

    /// RFC 3339 in UTC with microseconds, as Replicate writes its times.
    static func timestamp(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: Date(timeIntervalSince1970: whole))
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        return String(text.dropLast()) + "." + String(format: "%06d", min(micros, 999_999)) + "Z"
    }

    static let replicateNotFound = APIError(status: 404, message: "Not found.")
}
