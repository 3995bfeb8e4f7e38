import Foundation

/// Creating, reading, listing, deleting and remixing jobs.
extension SandboxAPI {
    /// How often clients should poll: a quarter of the job time, from 100 ms to 2 s.
    var pollAfterMilliseconds: Int {
        min(2000, max(100, Int(jobSeconds * 1000 / 4)))
    }

    /// `POST /v1/videos`.
    func create(_ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let video = try CreateRequest(request, rejectingFaces: faults.rejectFaces, file: store.file)
        let job = newJob(prompt: video.prompt, model: video.model.name, size: video.size.description, seconds: video.seconds)
        let upload = UploadRecord(
            videoID: job.id, prompt: job.prompt, model: job.model, seconds: job.seconds, size: job.size, reference: video.reference)
        // Only refused under a `running-limit`, so the limit is there to name.
        guard store.add(job, upload: upload, unlessRunning: faults.runningLimit) else {
            throw Self.tooManyRunning(limit: faults.runningLimit ?? 0)
        }
        // The job exists, and now the answer is lost: what a client sees when a connection dies
        // after sending its body, the case that must never turn into a second billed job.
        if faults.foreignJob { store.setForeign(job.olderTwin()) }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        return .response(.json(200, answer(job)))
    }

    /// `GET /v1/videos/{id}`.
    func retrieve(_ id: String) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorStatuses) {
            throw APIError(
                status: 500, message: "The server had an error while processing your request. Sorry about that!", type: "server_error")
        }
        guard let job = store.job(id) else { throw APIError.videoNotFound(id) }
        return .json(200, answer(job, at: .now), headers: [("openai-poll-after-ms", String(pollAfterMilliseconds))])
    }

    /// `GET /v1/videos?limit=N&order=asc|desc&after=ID`.
    func list(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        var limit = 20
        if let text = request.query["limit"] {
            guard let value = Int(text), (1...100).contains(value) else {
                throw APIError.invalid("Invalid 'limit': expected an integer from 1 to 100, but got '\(text)'.", param: "limit", code: "invalid_value")
            }
            limit = value
        }
        let order = request.query["order"] ?? "desc"
        guard order == "asc" || order == "desc" else { throw APIError.invalidValue("order", order, allowed: ["asc", "desc"]) }
        let after = request.query["after"]
        guard let page = store.page(ascending: order == "asc", after: after, limit: limit) else {
            throw APIError.videoNotFound(after ?? "", param: "after")
        }
        let now = ContinuousClock.now
        return .json(
            200,
            .object([
                ("object", "list"),
                ("data", .array(page.jobs.map { answer($0, at: now) })),
                ("first_id", .optional(page.jobs.first?.id)),
                ("last_id", .optional(page.jobs.last?.id)),
                ("has_more", .bool(page.hasMore)),
            ]))
    }

    /// `DELETE /v1/videos/{id}`.
    func delete(_ id: String) throws(APIError) -> HTTPResponse {
        guard store.delete(id) else { throw APIError.videoNotFound(id) }
        return .json(200, .object([("id", .string(id)), ("object", "video.deleted"), ("deleted", true)]))
    }

    /// `POST /v1/videos/{id}/remix` with `{"prompt": ...}`: a new job like the source.
    func remix(_ id: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        try rateLimit()
        guard let source = store.job(id) else { throw APIError.videoNotFound(id) }
        let phase = source.phase(at: .now).phase
        guard phase == .completed else {
            throw APIError.invalid(
                "Video '\(id)' has status '\(phase.rawValue)'; only completed videos can be remixed.", param: "video_id",
                code: "invalid_video_status")
        }
        let body = try CreateRequest.jsonObject(request.body)
        let prompt = try CreateRequest.prompt(body.first { $0.key == "prompt" }?.value)
        let job = newJob(prompt: prompt, model: source.model, size: source.size, seconds: source.seconds, remixedFrom: id)
        // A remix is a new running job, counted against a `running-limit` like a create.
        guard store.add(job, unlessRunning: faults.runningLimit) else { throw Self.tooManyRunning(limit: faults.runningLimit ?? 0) }
        return .json(200, answer(job))
    }

    /// `rate-limit-create`: a create or a remix (each makes a billed job) answers 429, with
    /// `Retry-After`, which OpenRouter's limits page says its 429s "may include" (the other
    /// services' documents say nothing about it; a client that honours it works everywhere).
    func rateLimit() throws(APIError) {
        if store.takeFault(\.rateLimitCreates) {
            throw APIError(
                status: 429, message: rateLimitMessage, type: "requests",
                code: "rate_limit_exceeded", headers: [("Retry-After", "1")])
        }
    }

    /// Each service's words for a rate limit: OpenAI's, OpenRouter's errors page example, and
    /// the Gemini API's quota message.
    private var rateLimitMessage: String {
        switch dialect {
        case .openai: "Rate limit reached for video creation. Please try again in 1s."
        case .openrouter: "Rate limit exceeded"
        case .gemini: "Resource has been exhausted (e.g. check quota)."
        case .xai: "Too many requests. Please slow down."
        // fal documents no wording for a 429.
        case .fal: "Too many requests. Try again later."
        case .replicate: "Request was throttled. Your rate limit resets in ~1s."
        }
    }

    func newJob(prompt: String, model: String, size: String, seconds: String, remixedFrom: String? = nil) -> VideoJob {
        VideoJob(
            id: store.takeChosenID() ?? newID(), model: model, size: size, seconds: seconds, prompt: prompt, remixedFrom: remixedFrom,
            createdAt: Date.now.timeIntervalSince1970, started: .now, duration: jobSeconds,
            failure: faults.failJobCode.map(JobFailure.init(code:)))
    }

    /// A fresh id in the dialect's shape.
    private func newID() -> String {
        if dialect == .openai && faults.controlChars { return Identifier.escapedVideo() }
        let id =
            switch dialect {
            case .openai: Identifier.video()
            case .openrouter: Identifier.openRouterJob()
            case .gemini: Identifier.operation()
            case .xai: Identifier.xaiRequest()
            case .fal: UUID().uuidString.lowercased()
            // 26 lowercase letters and digits, as Replicate's prediction ids look.
            case .replicate: Identifier.operation() + Identifier.operation().prefix(14)
            }
        return faults.controlChars ? Self.escapeOpen + id + "\u{07}" : id
    }
}
