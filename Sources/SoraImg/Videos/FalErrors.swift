import Foundation

/// fal's error answers as `VideosError`s. A model's input error is `{"detail": [{loc, msg,
/// type}]}` or a string `detail` (fal.ai/docs/model-apis/errors; fal-js `ValidationError`);
/// an infrastructure error carries `error_type` and the `X-Fal-Error-Type` header
/// (fal's readiness-liveness page). fal says to rely on `type`, never to parse `msg`.
enum FalErrors {
    struct Body: Decodable {
        let detail: FalText?
        let error: FalText?
        let error_type: String?
        let type: String?
        /// The first `type` in a Pydantic-style `detail` list.
        let detailType: String?

        enum CodingKeys: String, CodingKey { case detail, error, error_type, type }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            detail = try? container.decodeIfPresent(FalText.self, forKey: .detail)
            error = try? container.decodeIfPresent(FalText.self, forKey: .error)
            error_type = try? container.decodeIfPresent(String.self, forKey: .error_type)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            struct Item: Decodable { let type: String? }
            detailType = (try? container.decodeIfPresent([Item].self, forKey: .detail))?.compactMap(\.type).first
        }
    }

    /// An error document fal writes (a proxy's page proves nothing).
    static func isServiceError(_ response: HTTPResponse) -> Bool {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)) else { return false }
        return body.detail != nil || body.error != nil || body.error_type != nil
    }

    /// The service's words and its error type, redacted and printable.
    static func detail(of response: HTTPResponse, redact: (String) -> String) -> (message: String?, code: String?) {
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        let message = (body?.detail ?? body?.error).map { redact($0.text).printable(limit: 500) }.flatMap { $0.isEmpty ? nil : $0 }
        let code = (response.header("x-fal-error-type") ?? body?.detailType ?? body?.error_type ?? body?.type).map { redact($0).printable(limit: 100) }
        return (message, code)
    }

    static func error(
        for response: HTTPResponse, configuration: VideosConfiguration, collection: Bool, id: String?, redact: (String) -> String
    ) -> VideosError {
        let (detail, code) = detail(of: response, redact: redact)
        let message = detail ?? redact(ErrorCatalogue.fallbackMessage(response, redacting: redact))
        let requestID = (response.header("x-fal-request-id") ?? response.requestID).map { redact($0).printable(limit: 100) }
        var error = VideosError(.invalidRequest, message, status: response.status, requestID: requestID, code: code, videoID: id)
        let base = configuration.displayBaseURL
        switch response.status {
        case 401, 403:
            error.kind = .auth
            error.videoID = nil
            error.hint = response.crossedOrigin
                ? ErrorCatalogue.crossedOriginHint(response, configuration: configuration, redact: redact)
                : "fal refused the key: check FAL_KEY (or --api-key-file); keys are at fal.ai/dashboard/keys"
        case 404 where collection:
            error.kind = .endpointGone
            error.hint = "no such model or storage endpoint at \(base): check --model (`soraimg models --provider fal` lists the ones soraimg knows) and --base-url"
        case 404:
            error.kind = .notFound
            error.hint = "fal no longer knows this request (results are kept for a short time after it completes)"
        case 429:
            error.kind = .rateLimited
            error.hint = "fal is limiting this key's requests; wait and try again, or run fewer jobs at once (--max-running)"
        case 500...599:
            error.kind = .unavailable
            error.hint = response.isHTML
                ? "a proxy or gateway in front of the service kept answering with a web page; try again later, and check --base-url if it goes on"
                : "the service kept failing; try again later"
        default:
            error.hint = code == "content_policy_violation" ? "fal's content checker flagged the prompt or the image; change them" : nil
        }
        return error
    }
}
