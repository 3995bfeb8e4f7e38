import Foundation

/// OpenRouter's continuation: `previous_job_id` on `POST /videos` names a completed job to
/// extend (openrouter 1.3.84 `VideoGenerationRequest`: "ID of a completed video job to edit or
/// extend ... The new job runs on the same model and endpoint that produced the previous one.
/// Only models that support continuation accept this field").
extension OpenRouterDialect {
    /// `model` is required by the request schema even though the source's model is the one
    /// that runs: the source's as the journal recorded it, else the provider's default. Which
    /// models accept continuation is not listed anywhere (UNCONFIRMED): one that does not is
    /// refused by the service with a 400, which costs nothing. `duration` is sent only when
    /// `--seconds` is given; without it the model's own default applies.
    public func extend(_ id: String, prompt: String, seconds: Int?, model: String?) -> HTTPRequest? {
        var object: [String: Any] = ["model": model ?? Provider.openrouter.defaultModel, "prompt": prompt, "previous_job_id": id]
        if let seconds { object["duration"] = seconds }
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return HTTPRequest(method: .post, url: configuration.url("/videos"), headers: configuration.headers, body: .json(Array(body)), timeout: 300)
    }
}
