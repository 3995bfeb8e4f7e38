import Foundation

/// Turns an error answer into a `VideosError` with a hint the user can act on (the answers
/// people meet most: size mismatch, MIME type, faces, moderation, 401, 429, an endpoint that is gone).
@_spi(Fuzzing) public enum ErrorCatalogue {
    /// The hint for a key refused after a redirect to another origin: soraimg never sends the
    /// key there, so the refusal says nothing about the key itself. Every dialect gives it.
    static func crossedOriginHint(_ response: HTTPResponse, configuration: VideosConfiguration, redact: (String) -> String) -> String {
        let setting = configuration.provider == .openai ? "--base-url (or OPENAI_BASE_URL)" : "--base-url"
        return "\(configuration.baseURL) redirected to \(redact(response.url).printable(limit: 200)), another origin, and soraimg does not send the key there; if that is the right service, set \(setting) to it"
    }

    static let shutdownNote =
        "OpenAI scheduled its own Sora API to shut down on 2026-09-24, and that date has passed. Point --base-url (or OPENAI_BASE_URL) at a provider that serves /v1/videos, or try the flow locally with `soraimg sandbox`."

    /// - Parameters:
    ///   - collection: the request was to `/videos` itself (create or list), where a 404 means
    ///     the base URL does not serve the Videos API rather than "no such video".
    ///   - redact: removes the API key from any text the server sent back.
    @_spi(Fuzzing) public static func error(
        for response: HTTPResponse, configuration: VideosConfiguration, collection: Bool, videoID: String? = nil,
        redact: (String) -> String
    ) -> VideosError {
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        let detail = body?.error
        // An empty message says nothing: describe the answer instead.
        // What the server wrote goes to the user's terminal: printable text only, cut only
        // after the key was redacted (a cut could leave part of it).
        let message = detail?.message.map { redact($0).printable(limit: 500) }.flatMap { $0.isEmpty ? nil : $0 }
        // The URL too: a redirect's Location came from the server.
        let serverMessage = message ?? redact(fallbackMessage(response, redacting: redact))
        // A server may echo the key anywhere, the request id and the code included.
        let code = detail?.code.map { redact($0).printable(limit: 100) }
        let requestID = response.requestID.map { redact($0).printable(limit: 100) }
        var error = VideosError(
            .invalidRequest, serverMessage, status: response.status, requestID: requestID, code: code, videoID: videoID)
        let lowered = serverMessage.lowercased()

        switch response.status {
        case 401, 403:
            error = VideosError(.auth, serverMessage, status: response.status, requestID: requestID, code: code)
            error.hint = "check OPENAI_API_KEY (or --api-key-file) for \(configuration.baseURL); Azure-style gateways want --auth api-key"
            if response.crossedOrigin {
                error.hint = crossedOriginHint(response, configuration: configuration, redact: redact)
            }
        case 404 where configuration.lacksVersionPath:
            // OpenAI-compatible APIs live under /v1; a base URL without any path is the usual
            // slip, and "no such video" would send the user hunting for a job that exists.
            error.kind = .endpointGone
            error.hint =
                "\(configuration.baseURL) does not serve the Videos API at its root: the base URL probably lacks /v1, where OpenAI-compatible APIs live; set --base-url (or OPENAI_BASE_URL) to \(configuration.baseURL)/v1"
        case 404 where collection || code == "model_not_found" || lowered.contains("model") && lowered.contains("not found"):
            error.kind = .endpointGone
            error.hint = configuration.isOpenAIDefault
                ? shutdownNote
                : "\(configuration.baseURL) does not serve the Videos API (/videos); check --base-url and the model name"
        case 404 where code == "video_expired" || lowered.contains("expired"):
            error.kind = .expired
            error.hint = "a video's content is kept for a limited time (see expires_at); generate it again"
        case 404:
            error.kind = .notFound
            error.hint = "no video with this id at \(configuration.baseURL); `soraimg list` shows the jobs soraimg knows"
        case 410:
            error.kind = .expired
            error.hint = "a video's content is kept for a limited time (see expires_at); generate it again"
        case 429:
            error.kind = .rateLimited
            error.hint = "the service is rate limiting this key; wait and try again, or run fewer jobs at once (--max-running)"
        case 500...599:
            error.kind = .unavailable
            error.hint = response.isHTML
                ? "a proxy or gateway in front of the service kept answering with a web page; try again later, and check --base-url if it goes on"
                : "the service kept failing; try again later"
        default:
            error.hint = hint(forInvalidRequest: lowered, code: code)
            if error.hint == nil && configuration.isOpenAIDefault && lowered.contains("model") {
                error.kind = .endpointGone
                error.hint = shutdownNote
            }
        }
        return error
    }

    private static func hint(forInvalidRequest message: String, code: String?) -> String? {
        if message.contains("must match the requested width and height") {
            return "the reference image must be exactly the requested size; let soraimg animate prepare it, or run `soraimg prep --size WxH` with the same size"
        }
        if message.contains("mimetype") || message.contains("expected a file") {
            return "input_reference must be a file part with a filename and image/jpeg, image/png or image/webp; soraimg sends that, so a proxy may be rewriting the upload (try --input-reference data-url)"
        }
        if message.contains("face") {
            return "the service rejects reference images that show human faces; use an image without people, or a text-only job"
        }
        if code == "moderation_blocked" || message.contains("moderation") {
            return "moderation blocked this request; rephrase the prompt or use another image"
        }
        if message.contains("seconds") {
            return "seconds must be one of the model's durations, sent as a string (\"4\", \"8\", \"12\", \"16\", \"20\")"
        }
        if message.contains("size") {
            return "size must be one the model allows (sora-2: 720x1280, 1280x720; sora-2-pro adds 1024x1792, 1792x1024, 1080x1920, 1920x1080)"
        }
        return nil
    }

    /// For a job that ended without a usable video: failed, cancelled, expired, or
    /// `completed` while carrying an error.
    static func jobFailure(_ job: JobSnapshot) -> VideosError {
        let code = job.failure?.code.map { $0.printable(limit: 100) }
        let message = job.failure?.message.map { $0.printable(limit: 500) } ?? "the job ended without a video"
        var error = VideosError(.jobFailed, "job \(job.displayID) \(job.providerStatus): \(message)", code: code, videoID: job.id)
        error.hint = hint(forInvalidRequest: message.lowercased(), code: code)
        return error
    }

    /// For an answer without the service's error body: the URL, the status, what came instead
    /// and a short, sanitised excerpt of it.
    static func fallbackMessage(_ response: HTTPResponse, redacting redact: (String) -> String) -> String {
        let what = response.isHTML ? "an HTML page, not the API (a proxy, or a wrong base URL?)" : "an answer without the API's error body"
        guard let excerpt = response.excerpt(redacting: redact) else { return "\(response.url) answered HTTP \(response.status) with an empty body" }
        return "\(response.url) answered HTTP \(response.status) with \(what): \"\(excerpt)\""
    }
}

extension VideosError {
    /// The error for a job that ended without a video (`failed`, `cancelled`, ...).
    public static func failure(of job: JobSnapshot) -> VideosError { ErrorCatalogue.jobFailure(job) }
}
