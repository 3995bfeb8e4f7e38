import Foundation

/// The OpenAI shape's 2026 additions: `POST /v1/videos/extensions` and `POST /v1/videos/edits`,
/// each making a new billed job from a completed video of this sandbox.
extension SandboxAPI {
    /// The Videos API reference (2026): an extension adds up to 20 seconds, at most 6 times,
    /// to at most 120 seconds in all.
    static let extensionSeconds = 1...20
    static let extensionCount = 6
    static let extendedTotal = 120

    /// `POST /v1/videos/extensions` with `{"video": {"id"}, "prompt", "seconds"}`: a new job
    /// whose `seconds` is the stitched total. JSON, or multipart (openai-python 3.63.0 sends
    /// these as multipart, though only with the video as an uploaded file, which the sandbox
    /// refuses; the reference in form encoding is `video[id]`).
    func extend(_ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let fields = try FollowUpRequest(request)
        let source = try completedSource(fields.videoID, verb: "extended")
        guard let secondsText = fields.seconds else {
            throw APIError.invalid("Missing required parameter: 'seconds'.", param: "seconds", code: "missing_required_parameter")
        }
        guard let seconds = Int(secondsText), Self.extensionSeconds.contains(seconds) else {
            throw APIError.invalid(
                "Invalid 'seconds': '\(secondsText)'. An extension adds from 1 to 20 seconds.", param: "seconds", code: "invalid_value")
        }
        guard source.extensions < Self.extensionCount else {
            throw APIError.invalid(
                "Video '\(source.id)' has already been extended \(Self.extensionCount) times, the most allowed.", param: "video",
                code: "extension_limit_reached")
        }
        let total = (Int(source.seconds) ?? 0) + seconds
        guard total <= Self.extendedTotal else {
            throw APIError.invalid(
                "Extending video '\(source.id)' (\(source.seconds) seconds) by \(seconds) seconds would make \(total) seconds; at most \(Self.extendedTotal) are allowed.",
                param: "seconds", code: "invalid_value")
        }
        var job = newJob(prompt: fields.prompt, model: source.model, size: source.size, seconds: String(total))
        job.extensions = source.extensions + 1
        return try start(job)
    }

    /// `POST /v1/videos/edits` with `{"video": {"id"}, "prompt"}`: a new job like the source.
    func edit(_ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let fields = try FollowUpRequest(request)
        let source = try completedSource(fields.videoID, verb: "edited")
        return try start(newJob(prompt: fields.prompt, model: source.model, size: source.size, seconds: source.seconds))
    }

    private func completedSource(_ id: String, verb: String) throws(APIError) -> VideoJob {
        guard let source = store.job(id) else { throw APIError.videoNotFound(id, param: "video") }
        let phase = source.phase(at: .now).phase
        guard phase == .completed else {
            throw APIError.invalid(
                "Video '\(id)' has status '\(phase.rawValue)'; only completed videos can be \(verb).", param: "video",
                code: "invalid_video_status")
        }
        return source
    }

    /// Adds the job as a create does: counted against a `running-limit`, and its answer lost
    /// under `drop-create` after the job exists.
    private func start(_ job: VideoJob) throws(APIError) -> HTTPReply {
        guard store.add(job, unlessRunning: faults.runningLimit) else { throw Self.tooManyRunning(limit: faults.runningLimit ?? 0) }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        return .response(.json(200, answer(job)))
    }
}

/// The fields of an extension or an edit, from JSON or multipart.
struct FollowUpRequest {
    let videoID: String
    let prompt: String
    let seconds: String?

    init(_ request: HTTPRequest) throws(APIError) {
        var prompt: JSONValue?
        var video: JSONValue?
        var seconds: JSONValue?
        switch request.mediaType {
        case "application/json":
            let body = JSONValue.object(try CreateRequest.jsonObject(request.body))
            prompt = body["prompt"]
            video = body["video"]
            seconds = body["seconds"]
        case "multipart/form-data":
            let boundary = try Multipart.boundary(in: request.headers["content-type"] ?? "")
            for part in try Multipart.parse(request.body, boundary: boundary) {
                switch part.name {
                case "prompt": prompt = .string(part.text)
                case "seconds": seconds = .string(part.text)
                case "video[id]": video = .object([("id", .string(part.text))])
                case "video":
                    throw APIError.invalid(
                        "The sandbox keeps no uploaded videos: send video as {\"id\": ...} naming a completed video.", param: "video",
                        code: "unsupported_value")
                default: break
                }
            }
        default:
            throw APIError(
                status: 415, message: "Unsupported Content-Type '\(request.mediaType ?? "none")': send application/json or multipart/form-data.",
                param: nil, code: "unsupported_content_type")
        }
        self.prompt = try CreateRequest.prompt(prompt)
        guard let video else { throw APIError.invalid("Missing required parameter: 'video'.", param: "video", code: "missing_required_parameter") }
        guard case .string(let id)? = video["id"], !id.isEmpty else {
            throw APIError.invalidType("video", expected: "an object with a string 'id'", got: video)
        }
        videoID = id
        switch seconds {
        case nil, .null?: self.seconds = nil
        case .string(let text)?: self.seconds = text
        case .int(let value)?: self.seconds = String(value)
        case let value?: throw APIError.invalidType("seconds", expected: "a string", got: value)
        }
    }
}
