/// A finished HTTP exchange.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header values by lower-cased name (the last one wins).
    public let headers: [String: String]
    /// The body, when it was collected in memory (empty when it went to a file).
    public let body: [UInt8]
    /// The URL that answered, after redirects.
    public let url: String
    /// A redirect led to another origin, so the answer came without the credentials sent.
    public internal(set) var crossedOrigin = false

    /// A response as the transfer collected it (the fuzzing harness makes its own).
    @_spi(Fuzzing) public init(status: Int, headers: [String: String], body: [UInt8], url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The service's request id, kept for every error report.
    public var requestID: String? { header("x-request-id") }
}

extension HTTPResponse {
    /// The lower-cased name and the trimmed value of a header line as libcurl hands it over
    /// (`Name: value\r\n`); nil for a line without a colon.
    @_spi(Fuzzing) public static func field(inHeaderLine line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        return (name, value)
    }
}

/// Why an exchange ended without a response.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The connection could not be made (DNS, refused, unreachable).
        case connect
        /// Connecting, or the whole exchange, took too long; or the transfer stalled.
        case timeout
        /// The connection broke while sending or receiving.
        case connectionLost
        /// TLS failed: the certificate could not be verified, or the handshake failed.
        case tls
        /// The response was larger than the limit for its kind.
        case tooLarge
        /// The caller stopped the transfer (Ctrl-C).
        case cancelled
        /// A redirect that soraimg does not follow (another scheme, a downgrade, a loop).
        case badRedirect
        /// Anything else libcurl reported, or a local file error.
        case other
    }

    public let kind: Kind
    public let message: String
    /// Every byte of the request body was handed to the connection: the server may have acted
    /// on the request even though no answer came back.
    public let bodySent: Bool
    /// The URL the failed exchange was with (after any redirects), when known.
    public var url: String?

    public init(_ kind: Kind, _ message: String, bodySent: Bool = false) {
        self.kind = kind
        self.message = message
        self.bodySent = bodySent
    }

    public var description: String { message }
}
