import Foundation

/// Turns Replicate's error answers and failed predictions into `VideosError`s with hints a user
/// can act on. Replicate's error body is `{"detail": "..."}` (its rate-limits page); anything
/// beyond `detail` (`title`, `status`) is undocumented and only read when present.
enum ReplicateErrors {
    static func error(
        for response: HTTPResponse, configuration: VideosConfiguration, collection: Bool, id: String?, redact: (String) -> String
    ) -> VideosError {
        let body = try? JSONDecoder().decode(ReplicateErrorBody.self, from: Data(response.body))
        // Everything the server wrote is redacted (it may echo the key), then made printable.
        let message = body?.detail.map { redact($0).printable(limit: 500) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? redact(ErrorCatalogue.fallbackMessage(response, redacting: redact))
        let code = body?.title.map { redact($0).printable(limit: 100) }
        let requestID = response.requestID.map { redact($0).printable(limit: 100) }
        var error = VideosError(.invalidRequest, message, status: response.status, requestID: requestID, code: code, videoID: id)
        let base = configuration.baseURL
        switch response.status {
        case 401, 403:
            error.kind = .auth
            error.videoID = nil
            error.hint = response.crossedOrigin
                ? ErrorCatalogue.crossedOriginHint(response, configuration: configuration, redact: redact)
                : "check REPLICATE_API_TOKEN (or --api-key-file) for \(base); a token comes from https://replicate.com/account/api-tokens"
        case 404 where configuration.lacksVersionPath:
            error.kind = .endpointGone
            error.hint = "\(base) serves no Replicate API at its root: the base URL probably lacks /v1; set --base-url (or SORAIMG_BASE_URL) to \(base)/v1"
        case 404 where collection:
            error.kind = .endpointGone
            error.hint = "no such model at \(base): check --model (owner/name; `soraimg models --provider replicate` lists the ones soraimg knows) and --base-url"
        case 404:
            error.kind = .notFound
            error.hint = "no prediction with this id at \(base) (predictions made elsewhere belong to their own account)"
        case 422:
            error.hint = "the model refused its input; `soraimg models --provider replicate` shows the sizes and durations soraimg knows for it"
        case 429:
            error.kind = .rateLimited
            error.hint = "Replicate is rate limiting this token (600 creates a minute, far fewer for accounts with little credit); wait and try again, or run fewer jobs at once (--max-running)"
        case 500...599:
            error.kind = .unavailable
            error.hint = response.isHTML
                ? "a proxy or gateway in front of the service kept answering with a web page; try again later, and check --base-url if it goes on"
                : "the service kept failing; try again later"
        default:
            break
        }
        return error
    }

    /// For a prediction that ended without a usable video: failed (with Replicate's free-text
    /// `error`), canceled, or aborted (its deadline passed before it started).
    static func jobFailure(_ job: JobSnapshot) -> VideosError {
        let message = job.failure?.message.map { $0.printable(limit: 500) }
        var error: VideosError
        switch job.status {
        case .expired:
            error = VideosError(.jobFailed, "job \(job.displayID) \(job.providerStatus): it passed its deadline before it started" + (message.map { ": \($0)" } ?? ""), videoID: job.id)
            error.hint = "Replicate does not bill aborted predictions; run the command again to make a new one"
        case .cancelled:
            error = VideosError(.jobFailed, "job \(job.displayID) \(job.providerStatus)" + (message.map { ": \($0)" } ?? ""), videoID: job.id)
        default:
            error = VideosError(.jobFailed, "job \(job.displayID) \(job.providerStatus): \(message ?? "the prediction ended without a video")", videoID: job.id)
            if message?.localizedCaseInsensitiveContains("nsfw") == true || message?.localizedCaseInsensitiveContains("moderation") == true
                || message?.localizedCaseInsensitiveContains("sensitive") == true
            {
                error.hint = "the model's safety checks refused the prompt or the image; change one of them"
            }
        }
        return error
    }
}
