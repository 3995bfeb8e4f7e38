import Foundation

/// A Gemini API long-running operation, as `models/{model}:predictLongRunning` answers and
/// `GET {base}/{name}` reports it. Field names as google-genai 2.34.0's Developer-API
/// readers (`_GenerateVideosOperation_from_mldev`, `_GenerateVideosResponse_from_mldev`,
/// `_Video_from_mldev`) take them. Every field is optional: the job is running while `done`
/// is absent or false, and ends with either `error` or `response`.
struct GeminiOperation: Decodable, Sendable {
    var name: String?
    var done: Bool?
    var error: RPCStatus?
    var response: Response?

    /// A `google.rpc.Status`: a numeric code, a message and details.
    struct RPCStatus: Decodable, Sendable {
        var code: LenientInt?
        var message: String?
    }

    struct Response: Decodable, Sendable {
        var generateVideoResponse: VideoResponse?
    }

    struct VideoResponse: Decodable, Sendable {
        var generatedSamples: [Sample]?
        /// Videos the safety filters withheld; with no samples, the job made nothing usable.
        var raiMediaFilteredCount: LenientInt?
        var raiMediaFilteredReasons: [String]?
    }

    struct Sample: Decodable, Sendable {
        var video: Video?
    }

    /// Where the video is: a `uri` to fetch, or the bytes themselves (`encodedVideo`, base64,
    /// with `encoding` its MIME type).
    struct Video: Decodable, Sendable {
        var uri: String?
        var encodedVideo: String?
        var encoding: String?
    }
}

/// The error document the Gemini API answers a refused request with:
/// `{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...]}}`
/// (google-genai 2.34.0 `errors.py` reads `code`, `message` and `status`). `details` may hold
/// an `ErrorInfo` whose `reason` names the cause (`API_KEY_INVALID`).
struct GeminiErrorBody: Decodable, Sendable {
    var error: Detail

    struct Detail: Decodable, Sendable {
        var code: LenientInt?
        var message: String?
        var status: String?
        var details: [ErrorDetail]?

        /// The first `reason` among the details.
        var reason: String? { details?.lazy.compactMap(\.reason).first }
    }

    /// Only `reason` is read; a detail of another shape is skipped, not a failure of the body.
    struct ErrorDetail: Decodable, Sendable {
        var reason: String?

        enum CodingKeys: String, CodingKey { case reason }

        init(from decoder: any Decoder) throws {
            reason = try? decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
        }
    }
}

/// A number a server should send as a JSON integer, read whatever it sent: an integer, a
/// whole number written as a float or a string; anything else is nil rather than a failure
/// of the whole answer.
struct LenientInt: Decodable, Sendable {
    var value: Int?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let number = try? container.decode(Double.self), number.isFinite, number.rounded() == number, abs(number) < 1e15 {
            value = Int(number)
        } else if let text = try? container.decode(String.self) {
            value = Int(text)
        } else {
            value = nil
        }
    }
}
