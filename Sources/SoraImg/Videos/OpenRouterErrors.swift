import Foundation

/// OpenRouter's error answers as errors a user can act on. The statuses and their meanings are
/// those of its errors-and-debugging page: 400 bad parameters, 401 bad key, 402 no credits,
/// 403 permissions, guardrail or moderation, 408 timeout, 429 rate limit, 502 the model's
/// provider failed, 503 no provider meets the routing requirements.
enum OpenRouterErrors {
    static let keysPage = "https://openrouter.ai/settings/keys"
    static let creditsPage = "https://openrouter.ai/settings/credits"

    static func error(
        for response: HTTPResponse, configuration: VideosConfiguration, collection: Bool, id: String?, redact: (String) -> String
    ) -> VideosError {
        let detail = OpenRouterErrorBody.decode(response)?.error
        // Server text reaches the terminal: the key redacted first, then made printable.
        let message = detail.map { redact($0.message).printable(limit: 500) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? redact(ErrorCatalogue.fallbackMessage(response, redacting: redact)).printable(limit: 700)
        let code = detail?.code.map { redact($0).printable(limit: 100) }
        let requestID = response.requestID.map { redact($0).printable(limit: 100) }
        let base = configuration.displayBaseURL
        let lowered = message.lowercased()
        var error = VideosError(.invalidRequest, message, status: response.status, requestID: requestID, code: code, videoID: id)
        switch response.status {
        case 401:
            error.kind = .auth
            error.hint = "OpenRouter refused the key: check OPENROUTER_API_KEY (or --api-key-file); keys are made at \(keysPage)"
            if response.crossedOrigin {
                error.hint = ErrorCatalogue.crossedOriginHint(response, configuration: configuration, redact: redact)
            }
        case 402:
            // Nothing will work until the account is topped up: a refusal, not a passing failure.
            error.kind = .auth
            error.hint = "the OpenRouter account behind OPENROUTER_API_KEY has too few credits for this video; add some at \(creditsPage)"
        case 403:
            let reasons = (detail?.reasons ?? []).map { redact($0).printable(limit: 100) }
            if !reasons.isEmpty || lowered.contains("moderation") || lowered.contains("flagged") || lowered.contains("guardrail") {
                error.hint = "the request was flagged"
                    + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))")
                    + "; rephrase the prompt or use another image"
            } else {
                error.kind = .auth
                error.hint = "this OPENROUTER_API_KEY may not use this model or endpoint; check its limits at \(keysPage)"
            }
        case 404 where configuration.lacksVersionPath:
            error.kind = .endpointGone
            error.hint = "\(base) does not serve the video API at its root; OpenRouter's API root is \(Provider.openrouter.defaultBaseURL)"
        case 404 where collection || lowered.contains("model"):
            error.kind = .endpointGone
            error.hint = lowered.contains("model")
                ? "`soraimg models --provider openrouter` lists the video models OpenRouter serves"
                : "\(base) does not serve OpenRouter's video API (/videos); check --base-url"
        case 404:
            error.kind = .notFound
            error.hint = "no video job with this id at \(base)"
        case 410:
            error.kind = .expired
            error.hint = "the video is no longer kept; generate it again"
        case 408:
            error.kind = .unavailable
            error.hint = "OpenRouter timed out; try again"
        case 429:
            error.kind = .rateLimited
            error.hint = "OpenRouter (or the model's provider) is rate limiting this key; wait and try again, or run fewer jobs at once (--max-running)"
        case 502:
            error.kind = .unavailable
            error.hint = "the model's provider behind OpenRouter failed or is down; try again later, or another model"
        case 503:
            error.kind = .unavailable
            error.hint = "OpenRouter has no provider for this model that meets the account's routing settings right now; try again later"
        case 500...599:
            error.kind = .unavailable
            error.hint = response.isHTML
                ? "a proxy in front of the service kept answering with a web page; try again later, and check --base-url if it goes on"
                : "the service kept failing; try again later"
        default:
            error.hint = hint(forInvalidRequest: lowered)
        }
        return error
    }

    private static func hint(forInvalidRequest message: String) -> String? {
        if message.contains("duration") {
            return "the duration must be one of the model's supported_durations; `soraimg models --provider openrouter` lists them (--seconds)"
        }
        if message.contains("resolution") || message.contains("aspect") || message.contains("size") {
            return "the size must be one the model supports; `soraimg models --provider openrouter` lists them (--size)"
        }
        if message.contains("frame") || message.contains("image") {
            return "the model may not take a first-frame image; `soraimg models --provider openrouter` says which do"
        }
        return nil
    }

    /// A job that ended without a video; OpenRouter's reason (`error`, a plain string) is shown.
    static func failure(of job: JobSnapshot) -> VideosError {
        let message = job.failure?.message ?? (job.status == .completed ? "the job completed without a video" : "the job ended without a video")
        var error = VideosError(.jobFailed, "job \(job.displayID) \(job.providerStatus): \(message)", videoID: job.id)
        let lowered = message.lowercased()
        if lowered.contains("content policy") || lowered.contains("moderation") || lowered.contains("safety") {
            error.hint = "the model's provider refused the content; rephrase the prompt or use another image"
        } else if job.status == .expired {
            error.hint = "the job ran out of time at the service; try again"
        }
        return error
    }
}
