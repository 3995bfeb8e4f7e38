import Foundation
import SoraImg

/// xAI's video API under `/v1`, as its REST OpenAPI spec (xai-org/xai-sdk-ts `spec/openapi.json`)
/// has it: `POST /v1/videos/generations` answers `{request_id}`; `GET /v1/videos/{request_id}`
/// answers 202 while pending (with no body at first, then `{status: pending, progress}`: the TS
/// SDK reads both) and 200 once `done`, `failed` or `expired`. The video is served at this
/// origin, outside the API root, as xAI's storage host would serve it: without a key, each
/// download recorded with whether it carried one. No job list, delete, cancel or remix.
extension SandboxAPI {
    /// The folder of the video links, as in the spec's example
    /// (`https://vidgen.x.ai/xai-vidgen-bucket/xai-video-{request_id}.mp4`).
    static let xaiBucket = "xai-vidgen-bucket"

    func routeXAI(_ request: HTTPRequest, _ components: [String]) throws(APIError) -> HTTPReply {
        if components.count == 2, components[0] == Self.xaiBucket {
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(try videoXAI(file: components[1], request))
        }
        try authenticateXAI(request)
        let rest = components.first == "v1" ? Array(components.dropFirst()) : []
        switch (rest.first, rest.count) {
        case ("videos", 2) where rest[1] == "generations":
            guard request.method == "POST" else { throw methodNotAllowed(request, allowed: "POST") }
            return try createXAI(request)
        case ("videos", 2):
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(try retrieveXAI(rest[1]))
        default:
            throw APIError(status: 404, message: "No such route: \(request.method) \(request.path).", code: "not_found")
        }
    }

    /// `Authorization: Bearer KEY` (the spec's `bearerAuth`). No key: 401; a wrong one: 400,
    /// the status the spec gives for "bad request or bad key".
    private func authenticateXAI(_ request: HTTPRequest) throws(APIError) {
        guard let presented = Self.bearer(request) else {
            throw APIError(status: 401, message: "No API key provided. Send Authorization: Bearer YOUR_KEY; a key comes from https://console.x.ai.", code: "unauthenticated")
        }
        // The message never repeats the key: error bodies end up in logs.
        if let key, presented != key {
            throw APIError(
                status: 400, message: "Incorrect API key provided. This sandbox accepts only the key it was started with (--key).", code: "invalid_argument")
        }
    }

    /// `POST /v1/videos/generations`: 200 with `request_id`.
    private func createXAI(_ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let video = try XAIRequest(request, rejectingFaces: faults.rejectFaces)
        let job = newJob(prompt: video.prompt, model: video.model, size: video.size.description, seconds: String(video.seconds))
        let upload = UploadRecord(videoID: job.id, prompt: job.prompt, model: job.model, seconds: job.seconds, size: job.size, reference: video.image)
        guard store.add(job, upload: upload, unlessRunning: faults.runningLimit) else {
            throw Self.tooManyRunning(limit: faults.runningLimit ?? 0)
        }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        return .response(.json(200, .object([("request_id", .string(job.id))])))
    }

    /// `GET /v1/videos/{request_id}`.
    private func retrieveXAI(_ id: String) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorStatuses) { throw APIError(status: 500, message: "Internal server error.", code: "internal_error") }
        guard let job = store.job(id) else {
            throw APIError(status: 404, message: "No video generation request with id \(id).", code: "not_found")
        }
        return xaiAnswer(job, at: .now)
    }

    /// The answer for `job` at `now`: a bodiless 202 while queued, a 202 with `{status:
    /// pending, progress}` while running, then 200 with the `VideoResponse` (`done` with
    /// `video`, `failed` with `error`, or `expired` under the `expire` fault).
    func xaiAnswer(_ job: VideoJob, at now: ContinuousClock.Instant) -> HTTPResponse {
        let (phase, progress) = job.phase(at: now)
        let model: (key: String, value: JSONValue) = ("model", .string(job.model))
        switch phase {
        case .queued:
            return HTTPResponse(status: 202, headers: [], body: [])
        case .inProgress:
            return .json(202, .object([("status", .string(disguised("pending"))), ("progress", .int(progress)), model]))
        case .failed:
            let error = Self.xaiError(job.failure)
            return .json(200, .object([("status", .string(disguised("failed"))), model, ("error", error)]))
        case .completed:
            if faults.expire { return .json(200, .object([("status", .string(disguised("expired"))), model])) }
            if faults.raiFilter {
                // The spec's `GeneratedVideo`: with `respect_moderation: false`, "the video url
                // field will be empty".
                return .json(200, .object([
                    ("status", .string(disguised("done"))),
                    ("video", .object([("url", ""), ("duration", .int(Int(job.seconds) ?? 8)), ("respect_moderation", false)])),
                    model, ("progress", 100),
                ]))
            }
            let url = published.origin + "/" + Self.xaiBucket + "/xai-video-" + Self.pathSegment(job.id) + ".mp4"
            var members: [(key: String, value: JSONValue)] = [
                ("status", .string(disguised("done"))),
                ("video", .object([("url", .string(url)), ("duration", .int(Int(job.seconds) ?? 8)), ("respect_moderation", true)])),
                model, ("progress", 100),
            ]
            if faults.completedWithError {
                members.append(("error", .object([("code", "internal_error"), ("message", .string(disguised("The server had an error while generating this video.")))])))
            }
            return .json(200, .object(members))
        }
    }

    /// A failed job's `error {code, message}`. The spec's codes (`VideoErrorCode`) are
    /// `invalid_argument`, `permission_denied`, `failed_precondition`, `service_unavailable` and
    /// `internal_error`; `fail-job:CODE` with one of them fails with it, any other word as
    /// `internal_error` with the word in the message.
    static func xaiError(_ failure: JobFailure?) -> JSONValue {
        let codes = ["invalid_argument", "permission_denied", "failed_precondition", "service_unavailable", "internal_error"]
        let given = failure?.code ?? "internal_error"
        let known = codes.contains(given)
        return .object([
            ("code", .string(known ? given : "internal_error")),
            ("message", .string(known ? "Video generation failed." : "Video generation failed (\(given)).")),
        ])
    }

    /// `GET /xai-vidgen-bucket/xai-video-{request_id}.mp4`: the MP4 of a finished job, with or
    /// without a key (a storage link needs none); whether one came is recorded for the report.
    private func videoXAI(file: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        store.countDownload(withKey: request.headers["authorization"] != nil || request.headers["api-key"] != nil)
        if store.takeFault(\.errorContents) { throw APIError(status: 503, message: "Service unavailable.", code: "service_unavailable") }
        let prefix = "xai-video-"
        let suffix = ".mp4"
        guard file.hasPrefix(prefix), file.hasSuffix(suffix), file.count > prefix.count + suffix.count,
            let job = store.job(String(file.dropFirst(prefix.count).dropLast(suffix.count))),
            job.phase(at: .now).phase == .completed, !faults.expire, !faults.raiFilter
        else {
            throw APIError(status: 404, message: "The video \(file) does not exist or its link has expired.", code: "not_found")
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "video/mp4")], body: SandboxContentData.video)
    }
}

extension Identifier {
    /// A lowercase UUID, the form of xAI's `request_id`.
    static func xaiRequest() -> String { UUID().uuidString.lowercased() }
}
