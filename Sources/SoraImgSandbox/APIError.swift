/// An error answer in the service's shape:
/// `{"error": {"message", "type", "param", "code"}}`.
///
/// Thrown by the endpoint code and turned into a response in one place, so every error the
/// sandbox sends looks alike.
@_spi(Fuzzing) public struct APIError: Error, Sendable {
    var status: Int
    var message: String
    var type = "invalid_request_error"
    var param: String?
    var code: String?
    var headers: [(name: String, value: String)] = []

    /// The answer in OpenAI's shape.
    var response: HTTPResponse { response(in: .openai) }

    /// The answer in the dialect's shape. OpenRouter: `{"error": {"code", "message",
    /// "metadata"?}, "user_id": null}` with `code` the HTTP status (openrouter 1.3.84's error
    /// models; OpenRouter's errors-and-debugging page). Gemini: `{"error": {"code", "message",
    /// "status"}}` with `status` the canonical name of the HTTP status (google-genai 2.34.0
    /// `errors.py` reads exactly these three).
    func response(in dialect: SandboxDialect) -> HTTPResponse {
        switch dialect {
        case .openai: break
        case .openrouter:
            var error: [(key: String, value: JSONValue)] = [("code", .int(status)), ("message", .string(message))]
            if let code { error.append(("metadata", .object([("error_type", .string(code))]))) }
            return .json(status, .object([("error", .object(error)), ("user_id", .null)]), headers: headers)
        case .fal:
            // fal's model errors: `{"detail": [{loc, msg, type}]}` for a field, a string
            // `detail` otherwise (fal.ai/docs/model-apis/errors).
            guard let param else { return .json(status, .object([("detail", .string(message))]), headers: headers) }
            let item: JSONValue = .object([
                ("loc", .array([.string("body"), .string(param)])), ("msg", .string(message)), ("type", .string(code ?? "value_error")),
            ])
            return .json(status, .object([("detail", .array([item]))]), headers: headers)
        case .gemini:
            let error: JSONValue = .object([("code", .int(status)), ("message", .string(message)), ("status", .string(Self.googleStatus(status)))])
            return .json(status, .object([("error", error)]), headers: headers)
        case .xai:
            // xAI documents no error body; the TS SDK reads `{"code", "error": "<message>"}`
            // (and OpenAI's shape), and this is the first of those.
            return .json(status, .object([("code", .string(code ?? Self.xaiCode(status))), ("error", .string(message))]), headers: headers)
        case .replicate:
            // Replicate: `{"detail"}` (its rate-limits page), with `title` and `status` as its
            // other errors show them; `code` carries the title.
            return .json(
                status, .object([("title", .string(code ?? HTTPResponse.reason(for: status))), ("detail", .string(message)), ("status", .int(status))]),
                headers: headers)
        }
        let body: JSONValue = .object([
            (
                "error",
                .object([
                    ("message", .string(message)),
                    ("type", .string(type)),
                    ("param", .optional(param)),
                    ("code", .optional(code)),
                ])
            )
        ])
        return .json(status, body, headers: headers)
    }

    /// 400 for a field the request got wrong.
    static func invalid(_ message: String, param: String?, code: String? = nil) -> APIError {
        APIError(status: 400, message: message, param: param, code: code)
    }

    /// 400 for a field of the wrong JSON type, in the service's words.
    static func invalidType(_ param: String, expected: String, got value: JSONValue) -> APIError {
        invalid("Invalid type for '\(param)': expected \(expected), but got \(value.typeDescription) instead.", param: param, code: "invalid_type")
    }

    /// 400 for a value outside the allowed list, in the service's words.
    static func invalidValue(_ param: String, _ value: String, allowed: [String]) -> APIError {
        invalid("Invalid value: '\(value)'. Supported values are: \(quotedList(allowed, conjunction: "and")).", param: param, code: "invalid_value")
    }

    /// The canonical status name Google APIs pair with an HTTP status (google.rpc.Code's
    /// HTTP mapping).
    static func googleStatus(_ status: Int) -> String {
        switch status {
        case 400: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 409: "ABORTED"
        case 429: "RESOURCE_EXHAUSTED"
        case 499: "CANCELLED"
        case 501: "UNIMPLEMENTED"
        case 503: "UNAVAILABLE"
        case 504: "DEADLINE_EXCEEDED"
        case 400..<500: "FAILED_PRECONDITION"
        default: "INTERNAL"
        }
    }

    /// The code an xAI error carries when the endpoint names none, after the names of the
    /// spec's `VideoErrorCode`.
    static func xaiCode(_ status: Int) -> String {
        switch status {
        case 400, 422: "invalid_argument"
        case 401: "unauthenticated"
        case 403: "permission_denied"
        case 404: "not_found"
        case 429: "resource_exhausted"
        case 503, 529: "service_unavailable"
        default: status >= 500 ? "internal_error" : "failed_precondition"
        }
    }

    static func videoNotFound(_ id: String, param: String = "video_id") -> APIError {
        APIError(status: 404, message: "Video with id '\(id)' not found.", param: param, code: "video_not_found")
    }

    /// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`, as the service lists allowed values.
    static func quotedList(_ values: [String], conjunction: String) -> String {
        let quoted = values.map { "'\($0)'" }
        switch quoted.count {
        case 0: return ""
        case 1: return quoted[0]
        case 2: return "\(quoted[0]) \(conjunction) \(quoted[1])"
        default: return quoted.dropLast().joined(separator: ", ") + ", \(conjunction) " + quoted[quoted.count - 1]
        }
    }
}
