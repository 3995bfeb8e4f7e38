import Foundation
import SoraImg

/// OpenRouter's video API under `/api/v1`: create (202), poll by id, content by index, and the
/// model list. There is no job list, no delete and no cancel, as in OpenRouter's OpenAPI spec.
extension SandboxAPI {
    func routeOpenRouter(_ request: HTTPRequest, _ components: [String]) throws(APIError) -> HTTPReply {
        // The model list is called without a key in every OpenRouter docs example, but whether
        // the service refuses a missing key is not documented; the safe reading for a client is
        // to send it, so the sandbox asks for it everywhere.
        try authenticateOpenRouter(request)
        let rest = components.starts(with: ["api", "v1"]) ? Array(components.dropFirst(2)) : []
        switch (rest.first, rest.count) {
        case ("videos", 1):
            guard request.method == "POST" else { throw methodNotAllowed(request, allowed: "POST") }
            return try createOpenRouter(request)
        case ("videos", 2) where rest[1] == "models":
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(.json(200, .object([("data", .array(OpenRouterModel.all.map(\.object)))])))
        case ("videos", 2):
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(try retrieveOpenRouter(rest[1]))
        case ("videos", 3) where rest[2] == "content":
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(try contentOpenRouter(rest[1], index: request.query["index"]))
        default:
            throw APIError(status: 404, message: "Not Found (\(request.method) \(request.path))")
        }
    }

    /// `Authorization: Bearer KEY` only (the spec's one security scheme); 401 otherwise.
    private func authenticateOpenRouter(_ request: HTTPRequest) throws(APIError) {
        guard let presented = Self.bearer(request) else {
            throw APIError(status: 401, message: "No auth credentials found. Send Authorization: Bearer YOUR_KEY.")
        }
        // The message never repeats the key: error bodies end up in logs.
        if let key, presented != key {
            throw APIError(status: 401, message: "Invalid API key. This sandbox accepts only the key it was started with (--key).")
        }
    }

    /// `POST /api/v1/videos`: 202 with `id`, `polling_url` (absolute, under the base URL; the
    /// spec's example is relative, and clients are told to resolve it, which works either way)
    /// and `status: pending`.
    private func createOpenRouter(_ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let video = try OpenRouterRequest(request, rejectingFaces: faults.rejectFaces)
        var job = newJob(prompt: video.prompt, model: video.model.id, size: video.size.description, seconds: String(video.duration))
        if let previous = try continued(request) {
            // "The new job runs on the same model and endpoint that produced the previous one."
            job = newJob(prompt: video.prompt, model: previous.model, size: previous.size, seconds: String(video.duration))
        }
        let upload = UploadRecord(
            videoID: job.id, prompt: job.prompt, model: job.model, seconds: job.seconds, size: job.size, reference: video.firstFrame)
        guard store.add(job, upload: upload, unlessRunning: faults.runningLimit) else {
            throw Self.tooManyRunning(limit: faults.runningLimit ?? 0)
        }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        return .response(.json(202, openRouterObject(job, at: nil)))
    }

    /// The job `previous_job_id` names, checked: a completed job of this sandbox. Which models
    /// accept continuation is not published, so every model here does.
    private func continued(_ request: HTTPRequest) throws(APIError) -> VideoJob? {
        guard let body = JSONValue.parse(request.body), let value = body["previous_job_id"], value != .null else { return nil }
        guard case .string(let id) = value, !id.isEmpty else {
            throw OpenRouterRequest.bad("'previous_job_id' must be the id of a completed video job, a string.")
        }
        guard let previous = store.job(id) else { throw Self.openRouterNotFound(id) }
        let status = openRouterStatus(previous, at: .now)
        guard status == "completed" else {
            throw OpenRouterRequest.bad("Video generation job \(id) has status \(status); only a completed job can be continued.")
        }
        return previous
    }

    /// `GET /api/v1/videos/{id}`.
    private func retrieveOpenRouter(_ id: String) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorStatuses) { throw APIError(status: 500, message: "Internal Server Error") }
        guard let job = store.job(id) else { throw Self.openRouterNotFound(id) }
        return .json(200, openRouterObject(job, at: .now))
    }

    /// `GET /api/v1/videos/{id}/content?index=N`: the MP4 of output N (there is one, index 0).
    private func contentOpenRouter(_ id: String, index text: String?) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorContents) { throw APIError(status: 503, message: "Service Unavailable") }
        // The spec: an integer, minimum 0, default 0.
        guard let index = Int(text ?? "0"), index >= 0 else {
            throw APIError(status: 400, message: "index must be an integer from 0, not '\(text ?? "")'.")
        }
        guard let job = store.job(id) else { throw Self.openRouterNotFound(id) }
        let status = openRouterStatus(job, at: .now)
        guard status == "completed" else {
            throw APIError(status: 404, message: "Video generation job \(id) has status \(status), so it has no content.")
        }
        guard index == 0 else { throw APIError(status: 404, message: "Video generation job \(id) has one output; index \(index) does not exist.") }
        return HTTPResponse(status: 200, headers: [("Content-Type", "video/mp4")], body: SandboxContentData.video)
    }

    /// The spec's status of `job`: pending, in_progress, completed, failed, or (the `expire`
    /// fault) expired.
    private func openRouterStatus(_ job: VideoJob, at now: ContinuousClock.Instant?) -> String {
        guard let now else { return "pending" }
        switch job.phase(at: now).phase {
        case .queued: return "pending"
        case .inProgress: return "in_progress"
        case .completed: return faults.expire ? "expired" : "completed"
        case .failed: return "failed"
        }
    }

    /// A `VideoGenerationResponse`, at `now` or (nil) as a create answers it. `error` is a plain
    /// string in the spec; `unsigned_urls` and `usage` appear once completed.
    func openRouterObject(_ job: VideoJob, at now: ContinuousClock.Instant?) -> JSONValue {
        let status = openRouterStatus(job, at: now)
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(job.id)),
            ("polling_url", .string(baseURL + "/videos/" + Self.pathSegment(job.id))),
            ("status", .string(disguised(status))),
        ]
        switch status {
        case "completed":
            members.append(("generation_id", .string(job.id)))
            members.append(("unsigned_urls", .array([.string(baseURL + "/videos/" + Self.pathSegment(job.id) + "/content?index=0")])))
            let cost = OpenRouterModel.named(job.model).flatMap { model in
                VideoSize(parsing: job.size).flatMap { model.cost(seconds: Int(job.seconds) ?? 0, size: $0) }
            }
            members.append(("usage", .object([("cost", cost.map { .double($0) } ?? .null), ("is_byok", false)])))
            if faults.completedWithError { members.append(("error", "The server had an error while generating this video.")) }
        case "failed":
            members.append(("error", .string(disguised(job.failure?.message ?? "Video generation failed."))))
        case "expired":
            // OpenRouter's video guide, webhooks: "Job exceeded maximum time to live".
            members.append(("error", "Job exceeded maximum time to live"))
        default:
            break
        }
        return .object(members)
    }

    static func openRouterNotFound(_ id: String) -> APIError {
        APIError(status: 404, message: "Video generation job \(id) not found.")
    }

    /// An id as one path segment: a chosen id may hold `/` or `?`.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? id
    }
}
