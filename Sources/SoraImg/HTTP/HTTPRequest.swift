/// One HTTP request, as a value: built by the API client, performed by `HTTPClient`.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
        /// fal's signed uploads and its cancel.
        case put = "PUT"
    }

    public enum Body: Sendable {
        case none
        /// A JSON document, sent with `Content-Type: application/json`.
        case json([UInt8])
        /// multipart/form-data; file parts are streamed from memory and can be resent.
        case multipart([MultipartPart])
        /// Bytes as they are, with the Content-Type the request's headers give (an upload of a
        /// file to a signed URL).
        case bytes([UInt8])
    }

    public var method: Method
    public var url: String
    /// Sent as given. Credentials among them are dropped on a redirect to another host.
    public var headers: [HTTPHeader]
    public var body: Body
    /// The whole exchange must end within this many seconds; nil for downloads, which are
    /// bounded by the low-speed limit instead.
    public var timeout: Double?

    public init(method: Method, url: String, headers: [HTTPHeader] = [], body: Body = .none, timeout: Double? = 120) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A header name and value.
public struct HTTPHeader: Sendable, Equatable {
    public let name: String
    public let value: String
    /// Carries a secret: never logged, and never sent to another host on a redirect.
    public let isCredential: Bool

    public init(_ name: String, _ value: String, isCredential: Bool = false) {
        self.name = name
        self.value = value
        self.isCredential = isCredential
    }
}

/// One part of a multipart/form-data body: a field, or a file when it has a filename.
public struct MultipartPart: Sendable {
    public let name: String
    public let filename: String?
    public let contentType: String?
    public let data: [UInt8]

    public static func field(_ name: String, _ value: String) -> MultipartPart {
        MultipartPart(name: name, filename: nil, contentType: nil, data: Array(value.utf8))
    }

    public static func file(_ name: String, filename: String, contentType: String, data: [UInt8]) -> MultipartPart {
        MultipartPart(name: name, filename: filename, contentType: contentType, data: data)
    }
}
