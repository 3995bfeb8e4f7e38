import Foundation

/// One line of the journal: one thing that happened to one request or job. Every line carries
/// the request's fingerprint (when soraimg made the request) and the job's id once known, and
/// stands on its own: every key is written, `null` when unknown.
public struct JournalRecord: Sendable, Equatable {
    public enum Event: String, Sendable, Codable, CaseIterable {
        /// A create is about to be sent. Until a `created` or `createRefused` follows for the
        /// same fingerprint, a job may exist that soraimg does not know the id of.
        case createSent = "create-sent"
        /// The service made the job: `id` is its handle.
        case created
        /// The service answered with an error: nothing was made.
        case createRefused = "create-refused"
        /// The create was sent and its outcome could not be learned.
        case createUnanswered = "create-unanswered"
        /// A status the service reported.
        case status
        /// A file was downloaded, whole and checked (`variant`, `output`, `bytes`, `sha256`).
        case downloaded
        /// The service no longer knows the job, or its content expired: it cannot give a video.
        case gone
        case deleted
    }

    public var event: Event
    public var time: Date
    public var fingerprint: String?
    public var id: String?
    public var provider: String?
    public var baseURL: String?
    public var model: String?
    public var size: String?
    public var seconds: String?
    public var prompt: String?
    public var input: String?
    public var output: String?
    public var status: JobStatus?
    public var providerStatus: String?
    public var referenceSHA256: String?
    public var variant: ContentVariant?
    public var bytes: Int?
    public var sha256: String?
    /// The job's addresses beside its id, for a provider whose id alone does not reach it
    /// (`JobSnapshot.handles`); nil for the others.
    public var handles: [String: String]?
    /// The process that wrote the line, so a reader can tell a create in flight elsewhere.
    public var pid: Int32?

    public init(_ event: Event, request: JobRequest? = nil, id: String? = nil, time: Date = Date()) {
        self.event = event
        self.time = time
        self.id = id
        pid = getpid()
        if let request {
            fingerprint = request.fingerprint
            provider = request.provider
            baseURL = request.baseURL
            model = request.model
            size = request.size
            seconds = request.seconds
            prompt = request.prompt
            input = request.input
            referenceSHA256 = request.referenceSHA256
        }
    }
}

extension JournalRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case event, time, fingerprint, id, provider, model, size, seconds, prompt, input, output, status, variant, bytes, sha256, pid, handles
        case baseURL = "base_url"
        case providerStatus = "provider_status"
        case referenceSHA256 = "reference_sha256"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let time = try container.decode(String.self, forKey: .time)
        guard let date = Self.parseTime(time) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not an ISO 8601 time")
        }
        self.time = date
        id = try container.decodeIfPresent(String.self, forKey: .id)
        baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        size = try container.decodeIfPresent(String.self, forKey: .size)
        seconds = try container.decodeIfPresent(String.self, forKey: .seconds)
        prompt = try container.decodeIfPresent(String.self, forKey: .prompt)
        input = try container.decodeIfPresent(String.self, forKey: .input)
        output = try container.decodeIfPresent(String.self, forKey: .output)
        referenceSHA256 = try container.decodeIfPresent(String.self, forKey: .referenceSHA256)
        if let event = try container.decodeIfPresent(Event.self, forKey: .event) {
            self.event = event
            fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
            provider = try container.decodeIfPresent(String.self, forKey: .provider)
            status = try container.decodeIfPresent(JobStatus.self, forKey: .status)
            providerStatus = try container.decodeIfPresent(String.self, forKey: .providerStatus)
            variant = try container.decodeIfPresent(ContentVariant.self, forKey: .variant)
            bytes = try container.decodeIfPresent(Int.self, forKey: .bytes)
            sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
            pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
            handles = try container.decodeIfPresent([String: String].self, forKey: .handles)
        } else {
            // A line from soraimg's first journal format (a job and a status word, no event):
            // kept as a status so `list` still shows the job; it carries no fingerprint, so
            // no rerun resumes it by mistake.
            let word = try container.decode(String.self, forKey: .status)
            guard let id, !id.hasPrefix("unconfirmed-") else {
                throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "an old create marker")
            }
            event = .status
            provider = "openai"
            providerStatus = word
            status = word == "downloaded" ? .completed : JobStatus(rawValue: word)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(Self.formatTime(time), forKey: .time)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(id, forKey: .id)
        try container.encode(provider, forKey: .provider)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(model, forKey: .model)
        try container.encode(size, forKey: .size)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
        try container.encode(status, forKey: .status)
        try container.encode(providerStatus, forKey: .providerStatus)
        try container.encode(referenceSHA256, forKey: .referenceSHA256)
        try container.encode(variant, forKey: .variant)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(pid, forKey: .pid)
        // Written only where a provider has them, so other providers' lines stay as they were.
        try container.encodeIfPresent(handles, forKey: .handles)
    }

    /// Milliseconds matter: a create's send time is compared with the service's clock.
    static func formatTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
