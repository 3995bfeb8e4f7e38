import Foundation

/// What to create: the fields of `POST /videos`.
public struct CreateVideo: Sendable {
    public var prompt: String
    public var model: String
    /// Sent as a string ("4"), as the API requires.
    public var seconds: String
    public var size: VideoSize
    public var reference: Reference?

    /// The reference image and how to send it.
    public struct Reference: Sendable {
        public var bytes: [UInt8]
        public var format: ImageFormat
        /// `multipart` streams a file part; `dataURL` sends JSON with a base64 data URL,
        /// for providers that want it.
        public var encoding: ReferenceEncoding

        public init(bytes: [UInt8], format: ImageFormat, encoding: ReferenceEncoding = .multipart) {
            self.bytes = bytes
            self.format = format
            self.encoding = encoding
        }
    }

    public init(prompt: String, model: String, seconds: String, size: VideoSize, reference: Reference? = nil) {
        self.prompt = prompt
        self.model = model
        self.seconds = seconds
        self.size = size
        self.reference = reference
    }

    /// The HTTP body: multipart with a streamed file part, or JSON.
    var body: HTTPRequest.Body {
        let fields = ["prompt": prompt, "model": model, "seconds": seconds, "size": size.description]
        guard let reference else { return .json(Self.json(fields)) }
        switch reference.encoding {
        case .multipart:
            var parts = ["prompt", "model", "seconds", "size"].map { MultipartPart.field($0, fields[$0]!) }
            parts.append(.file(
                "input_reference", filename: "reference.\(reference.format.fileExtension)",
                contentType: reference.format.mimeType, data: reference.bytes))
            return .multipart(parts)
        case .dataURL:
            let url = "data:\(reference.format.mimeType);base64,\(Data(reference.bytes).base64EncodedString())"
            return .json(Self.json(fields, reference: url))
        }
    }

    private static func json(_ fields: [String: String], reference: String? = nil) -> [UInt8] {
        var object: [String: Any] = fields
        if let reference { object["input_reference"] = ["image_url": reference] }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }
}

public enum ReferenceEncoding: String, Sendable, CaseIterable {
    case multipart
    case dataURL = "data-url"
}

/// The Videos API over libcurl: create, retrieve, list, delete, remix and download, with
/// retries where they are safe and reconciliation where an outcome is unknown.
/// Calls block the calling thread; `Interruption` stops them.
public struct VideosClient: Sendable {
    public let configuration: VideosConfiguration
    public var http = HTTPClient()
    public var retry = RetryPolicy()
    /// How the client waits between attempts and polls (replaced in tests).
    public var sleep: @Sendable (Double) -> Void = VideosClient.interruptibleSleep

    public init(configuration: VideosConfiguration) {
        self.configuration = configuration
    }

    // MARK: Requests

    func request(_ method: HTTPRequest.Method, _ path: String, body: HTTPRequest.Body = .none, timeout: Double? = 120) -> HTTPRequest {
        HTTPRequest(method: method, url: configuration.baseURL + path, headers: configuration.headers, body: body, timeout: timeout)
    }

    /// Removes the API key from text that came from elsewhere (a server could echo it).
    @_spi(Fuzzing) public func redact(_ text: String) -> String {
        configuration.apiKey.count >= 4 ? text.replacingOccurrences(of: configuration.apiKey, with: "[redacted]") : text
    }

    /// Sends a request that is safe to repeat, retrying by the policy.
    /// - Parameter cancellable: whether Ctrl-C stops it; not for the lookup that finds out
    ///   whether an interrupted create made a job.
    func send(_ request: HTTPRequest, collection: Bool = false, videoID: String? = nil, cancellable: Bool = true) throws(VideosError) -> HTTPResponse {
        var attempt = 1
        let progress = cancellable ? Self.continueUnlessInterrupted : nil
        while true {
            let delay: Double?
            switch Result(catching: { () throws(HTTPTransportError) in try http.send(request, progress: progress) }) {
            case .success(let response):
                if (200..<300).contains(response.status) { return response }
                let outcome = RetryPolicy.Outcome.status(
                    response.status, retryAfterMilliseconds: response.header("retry-after-ms"), retryAfter: response.header("retry-after"))
                delay = retry.delay(after: attempt, outcome, now: Date(), jitter: Double.random(in: 0...1))
                if delay == nil {
                    throw ErrorCatalogue.error(for: response, configuration: configuration, collection: collection, videoID: videoID, redact: redact)
                }
            case .failure(let error):
                delay = retry.delay(after: attempt, .transport(error.kind), now: Date(), jitter: Double.random(in: 0...1))
                if delay == nil { throw transportFailure(error, videoID: videoID) }
            }
            if cancellable {
                sleep(delay ?? 0)
                if Interruption.isRequested { throw VideosError(.interrupted, "interrupted", videoID: videoID) }
            } else {
                Thread.sleep(forTimeInterval: delay ?? 0)
            }
            attempt += 1
        }
    }

    func transportFailure(_ error: HTTPTransportError, videoID: String?) -> VideosError {
        if error.kind == .cancelled { return VideosError(.interrupted, "interrupted", videoID: videoID) }
        // A refused redirect's message names both URLs already.
        let place = error.kind == .badRedirect ? "" : "\(error.url ?? configuration.baseURL): "
        var failure = VideosError(.unavailable, place + redact(error.message), videoID: videoID)
        failure.hint = switch error.kind {
        case .connect where configuration.isOpenAIDefault: "nothing answers at \(configuration.baseURL). \(ErrorCatalogue.shutdownNote)"
        case .connect: "nothing answers at \(configuration.baseURL); check --base-url (or OPENAI_BASE_URL) and the network"
        case .tls: "the TLS certificate could not be verified; soraimg never turns verification off"
        case .tooLarge: "the server sent far more than an API answer; is --base-url right?"
        case .timeout: "the service stopped answering and every retry timed out; try again later"
        case .badRedirect: "if the service really moved, set --base-url (or OPENAI_BASE_URL) to its new address"
        default: "the connection kept failing; try again"
        }
        return failure
    }

    /// Reads a successful answer's JSON. An answer that is not it (garbage, JSON cut short, a
    /// proxy's page) is an error naming the URL and status with a sanitised excerpt.
    @_spi(Fuzzing) public func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, videoID: String? = nil) throws(VideosError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) != nil
            let what = response.isHTML ? "an HTML page" : isJSON ? "JSON that is not the Videos API's" : "something that is not complete JSON"
            let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
            throw VideosError(
                .unavailable, "\(response.url) answered with \(what)\(excerpt)",
                status: response.status, requestID: response.requestID.map(redact),
                hint: isJSON || response.isHTML
                    ? "check --base-url: it should end in /v1 at a provider that serves /videos"
                    : "the answer was garbled or cut short on the way; try again",
                videoID: videoID)
        }
    }

    // MARK: Calls

    /// `GET /videos/{id}`, with the service's suggested poll interval in seconds.
    public func retrieve(_ id: String) throws(VideosError) -> (video: Video, pollAfter: Double?) {
        let response = try send(request(.get, "/videos/\(Self.escape(id))"), videoID: id)
        return (try decode(Video.self, from: response, videoID: id), Self.pollAfter(in: response))
    }

    /// The service's suggested poll interval in seconds, from `openai-poll-after-ms`.
    @_spi(Fuzzing) public static func pollAfter(in response: HTTPResponse) -> Double? {
        response.header("openai-poll-after-ms").flatMap(Double.init).map { $0 / 1000 }
    }

    /// `GET /videos`, newest first.
    /// - Parameter cancellable: false for the lookup after an unanswered create, which must
    ///   finish even after Ctrl-C so a job made is reported rather than lost.
    public func list(limit: Int = 20, after: String? = nil, cancellable: Bool = true) throws(VideosError) -> [Video] {
        var query = "?limit=\(limit)&order=desc"
        if let after { query += "&after=\(Self.escape(after))" }
        let request = request(.get, "/videos" + query, timeout: 30)
        return try decode(VideoList.self, from: send(request, collection: true, cancellable: cancellable)).data
    }

    /// `DELETE /videos/{id}`.
    public func delete(_ id: String) throws(VideosError) {
        _ = try send(request(.delete, "/videos/\(Self.escape(id))"), videoID: id)
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? text
    }

    /// Stops a transfer when Ctrl-C was pressed.
    static let continueUnlessInterrupted: @Sendable (TransferProgress) -> Bool = { _ in !Interruption.isRequested }

    /// Sleeps in short slices, returning early on Ctrl-C.
    public static let interruptibleSleep: @Sendable (Double) -> Void = { seconds in
        let end = Date().addingTimeInterval(seconds)
        while !Interruption.isRequested, Date() < end {
            Thread.sleep(forTimeInterval: min(0.05, max(0, end.timeIntervalSinceNow)))
        }
    }
}
