import Foundation

/// xAI's `VideoResponse`, the answer of `GET {base}/videos/{request_id}` (REST OpenAPI spec of
/// xai-org/xai-sdk-ts): `status` is `pending`, `done`, `failed` or `expired` (the TS SDK's
/// `src/types.ts`); once done, `video {url, duration, respect_moderation}`; once failed,
/// `error {code, message}`; `progress` 0–99 while pending and 100 when done. Every field is
/// optional here: a pending answer may come with no body at all.
struct XAIVideo: Decodable {
    struct Output: Decodable {
        let url: String?
        /// false: "the video url field will be empty" (the spec's `GeneratedVideo`).
        let respectModeration: Bool?

        enum CodingKeys: String, CodingKey {
            case url
            case respectModeration = "respect_moderation"
        }
    }

    struct Failure: Decodable {
        /// One of `invalid_argument`, `permission_denied`, `failed_precondition`,
        /// `service_unavailable`, `internal_error` (the spec's `VideoErrorCode`); read as any string.
        let code: String?
        let message: String?
    }

    let status: String?
    let video: Output?
    let model: String?
    /// 0...100; nil when absent or not a finite number (a hostile or broken answer).
    let progress: Double?
    let error: Failure?

    enum CodingKeys: String, CodingKey { case status, video, model, progress, error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        video = try container.decodeIfPresent(Output.self, forKey: .video)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        progress = ServerNumber.percent(try? container.decodeIfPresent(Double.self, forKey: .progress))
        error = try? container.decodeIfPresent(Failure.self, forKey: .error)
    }
}

/// The answer of `POST {base}/videos/generations`: `{"request_id": "..."}`.
struct XAICreated: Decodable {
    let requestID: String

    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}

/// An xAI error answer. Its shape is not documented; the official TS SDK (`src/errors.ts`)
/// reads both `{"error": {"message", "code", "type", "param"}}` and `{"code": ..., "error":
/// "<message>"}`, so both are read here.
struct XAIErrorBody: Decodable {
    let message: String?
    let code: String?

    private enum Keys: String, CodingKey { case error, code, message, type }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let text = try? container.decode(String.self, forKey: .error) {
            message = text
            code = try? container.decode(String.self, forKey: .code)
        } else {
            let detail = try container.nestedContainer(keyedBy: Keys.self, forKey: .error)
            message = try? detail.decode(String.self, forKey: .message)
            code = (try? detail.decode(String.self, forKey: .code)) ?? (try? detail.decode(String.self, forKey: .type))
        }
        guard message != nil || code != nil else {
            throw DecodingError.dataCorrupted(.init(codingPath: [Keys.error], debugDescription: "an error without a message or code"))
        }
    }
}
