import Foundation

/// A Replicate prediction as `GET /v1/predictions/{id}` and the create answer it
/// (replicate-python-beta `types/prediction.py`; Replicate's prediction lifecycle page). Every
/// field but `id` and `status` may be absent: the list and other services' copies leave some out.
struct ReplicatePrediction: Decodable {
    let id: String
    let status: String
    let model: String?
    let version: String?
    let input: Input?
    /// One URL for most video models (kwaivgi/kling-v2.5-turbo-pro's output schema is a single
    /// URI string), a list of them for others: both are read, the first URL taken.
    let output: Output?
    /// Free text for a failed prediction.
    let error: String?
    /// RFC 3339 with fractional seconds, as the service writes them.
    let createdAt: String?
    let urls: URLs?

    enum CodingKeys: String, CodingKey {
        case id, status, model, version, input, output, error, urls
        case createdAt = "created_at"
    }

    struct URLs: Decodable {
        let get: String?
        let cancel: String?
    }

    /// The fields of `input` a look-up compares; anything else in it is ignored.
    struct Input: Decodable {
        let prompt: String?
        let duration: Duration?

        /// `duration` as the model takes it (an integer), or a string from another client.
        enum Duration: Decodable {
            case number(Double)
            case text(String)

            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }

            /// The seconds as soraimg writes them ("5"); nil for anything not a small whole number.
            var seconds: String? {
                switch self {
                case .number(let value): value.isFinite && value == value.rounded() && (0...3600).contains(value) ? String(Int(value)) : nil
                case .text(let text): Int(text).flatMap { (0...3600).contains($0) ? String($0) : nil }
                }
            }
        }
    }

    enum Output: Decodable {
        case url(String)
        case urls([String])
        case other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let url = try? container.decode(String.self) {
                self = .url(url)
            } else if let urls = try? container.decode([String].self) {
                self = .urls(urls)
            } else {
                self = .other
            }
        }

        var first: String? {
            switch self {
            case .url(let url): url
            case .urls(let urls): urls.first
            case .other: nil
            }
        }
    }

    /// The common status for Replicate's word: starting → queued, processing → in_progress,
    /// succeeded → completed, failed, canceled → cancelled, and aborted (its deadline passed
    /// before it started; not billed, per Replicate's deadlines changelog) → expired. Any other
    /// word is kept as the service's and treated as running.
    static func status(_ word: String) -> JobStatus? {
        switch word {
        case "starting": .queued
        case "processing": .inProgress
        case "succeeded": .completed
        case "failed": .failed
        case "canceled": .cancelled
        case "aborted": .expired
        default: nil
        }
    }

    /// `2026-12-06T12:00:00.123456Z`, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        // Replicate writes microseconds; the formatter reads at most milliseconds, so drop the rest.
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = text[text.index(after: dot)..<end]
            if digits.count > 3, let date = fractional.date(from: String(text[..<text.index(dot, offsetBy: 4)]) + text[end...]) { return date }
        }
        return ISO8601DateFormatter().date(from: text)
    }
}

/// `GET /v1/predictions`: `{"next", "previous", "results"}`, newest first (replicate 1.0.7
/// `Page`, cursor pagination through `next`).
struct ReplicatePredictionPage: Decodable {
    let results: [ReplicatePrediction]
}

/// `POST /v1/files`: the uploaded file, named by `urls.get` (replicate-python-beta
/// `types/file_create_response.py`).
struct ReplicateFile: Decodable {
    let id: String?
    let urls: URLs?

    struct URLs: Decodable {
        let get: String?
    }
}

/// Replicate's error document: `{"detail": "..."}` (its rate-limits page), sometimes with
/// `title` and `status` beside it (whether always is not documented).
struct ReplicateErrorBody: Decodable {
    let detail: String?
    let title: String?
}
