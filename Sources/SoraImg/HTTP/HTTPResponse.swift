/// A finished HTTP exchange.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header values by lower-cased name (the last one wins).
    public let headers: [String: String]
    /// The body, when it was collected in memory (empty when it went to a file).
    public let body: [UInt8]
    /// The URL that answered, after redirects.
    public let url: String

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The service's request id, kept for every error report.
    public var requestID: String? { header("x-request-id") }
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

    public init(_ kind: Kind, _ message: String, bodySent: Bool = false) {
        self.kind = kind
        self.message = message
        self.bodySent = bodySent
    }

    public var description: String { message }
}
