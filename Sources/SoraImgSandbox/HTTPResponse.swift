/// One response to send: status, headers and the whole body (nothing here is large enough to
/// need streaming; the biggest is the embedded MP4).
struct HTTPResponse: Sendable {
    var status: Int
    /// Fields other than Content-Length and Connection, which `serialized` writes.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response, as every answer but content is.
    static func json(_ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(value.serialized().utf8))
    }

    /// The bytes on the wire: status line, headers, blank line, body.
    func serialized(keepAlive: Bool) -> [UInt8] {
        serializedHead(contentLength: body.count, keepAlive: keepAlive) + body
    }

    /// The status line and headers with the blank line after them. A nil `contentLength` leaves
    /// the header out: the body then ends where the connection does (RFC 9112 §6.3).
    func serializedHead(contentLength: Int?, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let contentLength { head += "Content-Length: \(contentLength)\r\n" }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8)
    }

    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 307: "Temporary Redirect"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}

/// What a handler wants done with a request.
enum HTTPReply: Sendable {
    case response(HTTPResponse)
    /// Close the connection without answering (the `drop-create` fault).
    case dropConnection
    /// Send the head, with the whole body's Content-Length when `declaresLength`, but only the
    /// first `count` bytes of the body, then close (the `cut-content` and `unterminated-content`
    /// faults).
    case cutShort(HTTPResponse, after: Int, declaresLength: Bool)
    /// Send the head with the body's Content-Length, then the body at `bytesPerSecond` (the
    /// `trickle-content` fault).
    case trickle(HTTPResponse, bytesPerSecond: Int)
    /// Send the head, then filler until the client hangs up (`huge-response` declares
    /// `declaredLength`; `endless-response` declares none).
    case endless(HTTPResponse, declaredLength: Int?)
    /// Never answer, and keep the connection open until the client gives up (`no-answer`).
    case silence
}

/// Answers requests; the server owns sockets and framing, the handler everything else.
protocol HTTPHandler: Sendable {
    func reply(to request: HTTPRequest) -> HTTPReply
    /// The answer to a request that could not be read, sent just before the connection closes.
    func reply(toUnreadable error: HTTPParseError) -> HTTPResponse
    /// Asked once a request's head is read: true makes the server read half the body, then
    /// reset the connection (the `reset-create` fault).
    func abandonsBody(method: String, path: String) -> Bool
}
