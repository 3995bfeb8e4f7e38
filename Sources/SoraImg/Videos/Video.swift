/// A video job as the service describes it (`object: "video"`).
public struct Video: Codable, Sendable, Equatable {
    public let id: String
    public let object: String?
    public let model: String?
    /// The service's word; `OpenAIDialect.snapshot` maps it to the common `JobStatus`, and a
    /// word outside that set counts as still running.
    public let status: String
    /// From 0 to 100 whatever the service sent; nil when it sent no finite number.
    public let progress: Double?
    public let createdAt: Int?
    public let completedAt: Int?
    public let expiresAt: Int?
    public let size: String?
    public let seconds: String?
    public let prompt: String?
    public let remixedFromVideoId: String?
    public let error: JobError?

    public struct JobError: Codable, Sendable, Equatable {
        public let code: String?
        public let message: String?
    }

    enum CodingKeys: String, CodingKey {
        case id, object, model, status, progress, size, seconds, prompt, error
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case expiresAt = "expires_at"
        case remixedFromVideoId = "remixed_from_video_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        object = try container.decodeIfPresent(String.self, forKey: .object)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        status = try container.decode(String.self, forKey: .status)
        // Numbers a server may get wrong (1e300, -5, 1.7e9 with a fraction, a string) become
        // nil or in range rather than failing the whole answer or a later conversion to Int.
        progress = ServerNumber.percent(try? container.decodeIfPresent(Double.self, forKey: .progress))
        createdAt = ServerNumber.timestamp(try? container.decodeIfPresent(Double.self, forKey: .createdAt))
        completedAt = ServerNumber.timestamp(try? container.decodeIfPresent(Double.self, forKey: .completedAt))
        expiresAt = ServerNumber.timestamp(try? container.decodeIfPresent(Double.self, forKey: .expiresAt))
        size = try container.decodeIfPresent(String.self, forKey: .size)
        // Some gateways send seconds as a number; accept both.
        if let text = try? container.decodeIfPresent(String.self, forKey: .seconds) {
            seconds = text
        } else {
            seconds = (try? container.decodeIfPresent(Int.self, forKey: .seconds)).flatMap { $0.map(String.init) }
        }
        prompt = try container.decodeIfPresent(String.self, forKey: .prompt)
        remixedFromVideoId = try container.decodeIfPresent(String.self, forKey: .remixedFromVideoId)
        error = try container.decodeIfPresent(JobError.self, forKey: .error)
    }

}

/// A page of `GET /videos`.
@_spi(Fuzzing) public struct VideoList: Decodable {
    @_spi(Fuzzing) public let data: [Video]
    let hasMore: Bool?

    enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
    }
}

/// The service's error body: `{"error": {"message", "type", "param", "code"}}`.
struct ErrorBody: Decodable {
    struct Detail: Decodable {
        let message: String?
        let type: String?
        let param: String?
        let code: String?
    }

    let error: Detail
}

/// What a video's content endpoint can return.
public enum ContentVariant: String, Sendable, CaseIterable, Codable {
    case video, thumbnail, spritesheet

    /// The file name suffix for this variant beside the video (`BASE.thumbnail.webp`).
    public var suffix: String {
        switch self {
        case .video: ".mp4"
        case .thumbnail: ".thumbnail.webp"
        case .spritesheet: ".spritesheet.jpg"
        }
    }

    /// Whether `bytes` start the way this variant's format does.
    func matches(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .video: bytes.count >= 8 && bytes[4..<8].elementsEqual("ftyp".utf8)
        case .thumbnail: bytes.count >= 12 && bytes[0..<4].elementsEqual("RIFF".utf8) && bytes[8..<12].elementsEqual("WEBP".utf8)
        case .spritesheet: bytes.starts(with: [0xFF, 0xD8, 0xFF])
        }
    }
}
