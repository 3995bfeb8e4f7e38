import Foundation

/// Turns the Gemini API's error answers and failed operations into `VideosError`s with hints
/// a user can act on. The kinds, and so the exit codes, are the ones every provider uses.
enum GeminiErrors {
    /// The `code` a job withheld by the safety filters carries.
    static let filteredCode = "rai_media_filtered"

    static func error(
        for response: HTTPResponse, configuration: VideosConfiguration, collection: Bool, id: String?, redact: (String) -> String
    ) -> VideosError {
        let detail = (try? JSONDecoder().decode(GeminiErrorBody.self, from: Data(response.body)))?.error
        // Everything the server wrote is redacted (it may echo the key), then made printable.
        let message = detail?.message.map { redact($0).printable(limit: 500) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? redact(ErrorCatalogue.fallbackMessage(response, redacting: redact))
        let code = (detail?.reason ?? detail?.status).map { redact($0).printable(limit: 100) }
        let requestID = response.requestID.map { redact($0).printable(limit: 100) }
        var error = VideosError(.invalidRequest, message, status: response.status, requestID: requestID, code: code, videoID: id)
        let lowered = message.lowercased()
        let base = configuration.baseURL
        let badKey = detail?.reason == "API_KEY_INVALID" || lowered.contains("api key not valid") || lowered.contains("api key expired")

        switch response.status {
        case 400 where badKey, 401, 403:
            error.kind = .auth
            error.videoID = nil
            error.hint = response.crossedOrigin
                ? ErrorCatalogue.crossedOriginHint(response, configuration: configuration, redact: redact)
                : keyHint(base: base)
        case 404 where configuration.lacksVersionPath:
            error.kind = .endpointGone
            error.hint = "\(base) serves no Gemini API at its root: the base URL probably lacks /v1beta; set --base-url (or SORAIMG_BASE_URL) to \(base)/v1beta"
        case 404 where collection:
            error.kind = .endpointGone
            error.hint = "no such model at \(base): check --model (`soraimg models --provider gemini` lists the ones soraimg knows) and --base-url"
        case 404 where response.url.contains("/files/"):
            // The video's file, not the operation: generated files are kept for a limited
            // time (two days, as third-party tools quote Google; no Google page says so).
            error.kind = .expired
            error.hint = "the service no longer holds this video (generated files are kept for a limited time); generate it again"
        case 404:
            error.kind = .notFound
            error.hint = "no operation with this name at \(base); `soraimg list --provider gemini` shows the jobs soraimg knows"
        case 429:
            // Whether a 429 carries Retry-After is not documented: the engine honours one
            // when present and backs off otherwise.
            error.kind = .rateLimited
            error.hint = "the Gemini API is rate limiting this key or its quota is spent (RESOURCE_EXHAUSTED); wait and try again, or run fewer jobs at once (--max-running)"
        case 500...599:
            error.kind = .unavailable
            error.hint = response.isHTML
                ? "a proxy or gateway in front of the service kept answering with a web page; try again later, and check --base-url if it goes on"
                : "the service kept failing; try again later"
        default:
            error.hint = hint(for: lowered)
        }
        return error
    }

    /// What to do about a key the service refused: which variables soraimg read, in which order.
    static func keyHint(base: String) -> String {
        "check GOOGLE_API_KEY or GEMINI_API_KEY (GOOGLE_API_KEY wins when both are set), or --api-key-file, for \(base); a key comes from https://aistudio.google.com/apikey"
    }

    /// Hints for the refusals a Veo request meets.
    static func hint(for message: String) -> String? {
        if message.contains("persongeneration") {
            return "the service refused its person-generation setting for this model; soraimg sends none, so a proxy may be adding it"
        }
        if message.contains("inlinedata") {
            return "Veo takes the image as bytesBase64Encoded, which soraimg sends; a proxy may be rewriting the request"
        }
        if message.contains("duration") {
            return "durationSeconds must be one the model allows (veo-3.1: 4, 6 or 8; 1080p only with 8)"
        }
        if message.contains("resolution") || message.contains("aspect") {
            return "Veo takes 16:9 or 9:16 at 720p or 1080p (1280x720, 720x1280, 1920x1080, 1080x1920)"
        }
        return nil
    }

    /// For a job that ended without a usable video: an operation error, or a video the safety
    /// filters withheld.
    static func jobFailure(_ job: JobSnapshot) -> VideosError {
        let code = job.failure?.code.map { $0.printable(limit: 100) }
        let message = job.failure?.message.map { $0.printable(limit: 500) } ?? "the job ended without a video"
        var error = VideosError(.jobFailed, "job \(job.displayID) \(job.providerStatus): \(message)", code: code, videoID: job.id)
        error.hint = code == filteredCode
            ? "Veo's safety filters withheld the video (the reasons above are Google's); change the prompt or the image"
            : hint(for: message.lowercased())
        return error
    }

    /// The names of `google.rpc.Code` values, for an operation's numeric error code.
    static func codeName(_ code: Int) -> String {
        switch code {
        case 1: "CANCELLED"
        case 2: "UNKNOWN"
        case 3: "INVALID_ARGUMENT"
        case 4: "DEADLINE_EXCEEDED"
        case 5: "NOT_FOUND"
        case 6: "ALREADY_EXISTS"
        case 7: "PERMISSION_DENIED"
        case 8: "RESOURCE_EXHAUSTED"
        case 9: "FAILED_PRECONDITION"
        case 10: "ABORTED"
        case 11: "OUT_OF_RANGE"
        case 12: "UNIMPLEMENTED"
        case 13: "INTERNAL"
        case 14: "UNAVAILABLE"
        case 15: "DATA_LOSS"
        case 16: "UNAUTHENTICATED"
        default: String(code)
        }
    }
}
