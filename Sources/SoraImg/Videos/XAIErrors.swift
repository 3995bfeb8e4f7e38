import Foundation

/// Turns xAI's error answers and failed jobs into `VideosError`s with hints a user can act on.
/// The kinds, and so the exit codes, are the ones every provider uses.
enum XAIErrors {
    /// The `code` of a job whose video the moderation withheld.
    static let moderatedCode = "moderated"

    static func error(
        for response: HTTPResponse, configuration: VideosConfiguration, collection: Bool, id: String?, redact: (String) -> String
    ) -> VideosError {
        let body = try? JSONDecoder().decode(XAIErrorBody.self, from: Data(response.body))
        // Everything the server wrote is redacted (it may echo the key), then made printable.
        let message = body?.message.map { redact($0).printable(limit: 500) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? redact(ErrorCatalogue.fallbackMessage(response, redacting: redact))
        let code = body?.code.map { redact($0).printable(limit: 100) }
        let requestID = response.requestID.map { redact($0).printable(limit: 100) }
        var error = VideosError(.invalidRequest, message, status: response.status, requestID: requestID, code: code, videoID: id)
        let lowered = message.lowercased()
        let base = configuration.baseURL
        // The spec lists 400 for "bad request or bad key": a refused key is told by its words.
        let badKey = lowered.contains("api key") || lowered.contains("api-key")
        // A download from the video's own link (on a storage host, not under the base URL).
        // The API root without any query the base URL keeps (`?api-version=...`).
        let root = configuration.service.origin + configuration.service.path
        let isVideoURL = !collection && id != nil && !response.crossedOrigin && !response.url.hasPrefix(root)

        switch response.status {
        case 401 where isVideoURL, 403 where isVideoURL, 404 where isVideoURL:
            // The video's link, not the job: links are "valid for 24 hours" (xai-sdk-python),
            // and a storage host refuses an old signed link rather than saying it expired.
            error.kind = .expired
            error.hint = "the service no longer serves this video at its link (links are valid for 24 hours); generate it again"
        case 400 where badKey, 401, 403:
            error.kind = .auth
            error.videoID = nil
            error.hint = response.crossedOrigin
                ? ErrorCatalogue.crossedOriginHint(response, configuration: configuration, redact: redact)
                : "check XAI_API_KEY (or --api-key-file) for \(base); a key comes from https://console.x.ai"
        case 404 where configuration.lacksVersionPath:
            error.kind = .endpointGone
            error.hint = "\(base) serves no xAI API at its root: the base URL probably lacks /v1; set --base-url (or SORAIMG_BASE_URL) to \(base)/v1"
        case 404 where collection:
            error.kind = .endpointGone
            error.hint = "no video API or no such model at \(base): check --model (`soraimg models --provider xai` lists the ones soraimg knows) and --base-url"
        case 404:
            error.kind = .notFound
            error.hint = "no request with this id at \(base); `soraimg list --provider xai` shows the jobs soraimg knows"
        case 422:
            error.hint = "the service found a field missing or malformed; soraimg sends model, prompt, image, duration and resolution, so a proxy may be rewriting the request"
        case 429:
            // Whether a 429 carries Retry-After is not documented: the engine honours one when
            // present and backs off otherwise.
            error.kind = .rateLimited
            error.hint = "xAI is rate limiting this key; wait and try again, or run fewer jobs at once (--max-running)"
        case 500...599:
            // 529 is xAI's "overloaded" (the TS SDK's `src/errors.ts`), retried like any 5xx.
            error.kind = .unavailable
            error.hint = response.isHTML
                ? "a proxy or gateway in front of the service kept answering with a web page; try again later, and check --base-url if it goes on"
                : response.status == 529 ? "xAI is overloaded; try again later" : "the service kept failing; try again later"
        default:
            error.hint = hint(for: lowered)
        }
        return error
    }

    /// Hints for the refusals a grok-imagine-video request meets.
    static func hint(for message: String) -> String? {
        if message.contains("duration") || message.contains("seconds") {
            return "duration must be a whole number of seconds from 1 to 15"
        }
        if message.contains("resolution") {
            return "resolution is 480p, 720p or 1080p, picked from --size's shorter side; not every model makes 1080p, so try a size of 720p or less"
        }
        if message.contains("image") {
            return "the image goes as a JPEG, PNG or WebP data URL, which soraimg sends; a proxy may be rewriting the request"
        }
        if message.contains("moderat") {
            return "xAI's moderation refused this request; change the prompt or the image"
        }
        return nil
    }

    /// For a job that ended without a usable video: failed, withheld by moderation, expired, or
    /// done while carrying an error.
    static func jobFailure(_ job: JobSnapshot) -> VideosError {
        let code = job.failure?.code.map { $0.printable(limit: 100) }
        let message = job.failure?.message.map { $0.printable(limit: 500) } ?? (job.status == .expired ? "the request expired before it finished" : "the job ended without a video")
        var error = VideosError(job.status == .expired ? .expired : .jobFailed, "job \(job.displayID) \(job.providerStatus): \(message)", code: code, videoID: job.id)
        error.hint = job.status == .expired
            ? "xAI let the request expire; generate it again"
            : code == moderatedCode
                ? "xAI's moderation withheld the video (it may still be charged); change the prompt or the image"
                : hint(for: message.lowercased())
        return error
    }
}
