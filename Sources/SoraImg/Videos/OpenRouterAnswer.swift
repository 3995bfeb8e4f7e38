import Foundation

/// A video job as OpenRouter's video API describes it (`VideoGenerationResponse` in the
/// OpenAPI spec of OpenRouterTeam/typescript-sdk): the answer to a create and to a poll.
@_spi(Fuzzing) public struct OpenRouterAnswer: Decodable, Sendable, Equatable {
    public let id: String
    /// Where to poll; the spec's example is relative (`/api/v1/videos/job-abc123`), the guide's
    /// absolute.
    public let pollingURL: String?
    /// The service's word: `pending`, `in_progress`, `completed`, `failed`, `cancelled`,
    /// `expired` per the spec; anything else is kept as it is.
    public let status: String
    /// Why the job failed. The spec types it as a plain string; an object with a `message`
    /// (the shape of other APIs) is read too rather than failing the whole answer.
    public let error: String?
    /// US dollars the job cost (`usage.cost`), once completed; nil unless a finite, sane amount.
    public let cost: Double?
    public let generationID: String?

    /// Longer ids are not an id but filler: refused as an unreadable answer.
    static let maximumIDLength = 1024
    /// More than any single video costs: a larger number is a broken field, not a price.
    static let maximumCost = 100_000.0

    enum CodingKeys: String, CodingKey {
        case id, status, error, usage
        case pollingURL = "polling_url"
        case generationID = "generation_id"
    }

    private enum UsageKeys: String, CodingKey { case cost }
    private enum ErrorKeys: String, CodingKey { case message, code }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard !id.isEmpty, id.utf8.count <= Self.maximumIDLength else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "not a job id")
        }
        status = try container.decode(String.self, forKey: .status)
        pollingURL = try? container.decodeIfPresent(String.self, forKey: .pollingURL)
        generationID = try? container.decodeIfPresent(String.self, forKey: .generationID)
        if let text = try? container.decodeIfPresent(String.self, forKey: .error) {
            error = text
        } else if let object = try? container.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error) {
            error = (try? object.decodeIfPresent(String.self, forKey: .message)) ?? nil
        } else {
            error = nil
        }
        let usage = try? container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
        let amount = (try? usage?.decodeIfPresent(Double.self, forKey: .cost)) ?? nil
        cost = amount.flatMap { $0.isFinite && $0 >= 0 && $0 <= Self.maximumCost ? $0 : nil }
    }
}

/// OpenRouter's error document: `{"error": {"code": 429, "message": "...", "metadata": {...}},
/// "user_id": null}` (its errors-and-debugging page). `code` is the HTTP status as a number;
/// a string is accepted as well.
@_spi(Fuzzing) public struct OpenRouterErrorBody: Decodable, Sendable {
    public struct Detail: Decodable, Sendable {
        public let code: String?
        public let message: String
        /// On a 403 for moderation: why the input was flagged.
        public let reasons: [String]
        public let providerName: String?

        enum CodingKeys: String, CodingKey { case code, message, metadata }
        enum MetadataKeys: String, CodingKey {
            case reasons
            case providerName = "provider_name"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try container.decode(String.self, forKey: .message)
            if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
                code = String(number)
            } else {
                code = (try? container.decodeIfPresent(String.self, forKey: .code)) ?? nil
            }
            let metadata = try? container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
            reasons = ((try? metadata?.decodeIfPresent([String].self, forKey: .reasons)) ?? nil) ?? []
            providerName = (try? metadata?.decodeIfPresent(String.self, forKey: .providerName)) ?? nil
        }
    }

    public let error: Detail

    static func decode(_ response: HTTPResponse) -> OpenRouterErrorBody? {
        try? JSONDecoder().decode(Self.self, from: Data(response.body))
    }
}
