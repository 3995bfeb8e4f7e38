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
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
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
}

/// Answers requests; the server owns sockets and framing, the handler everything else.
protocol HTTPHandler: Sendable {
    func reply(to request: HTTPRequest) -> HTTPReply
    /// The answer to a request that could not be read, sent just before the connection closes.
    func reply(toUnreadable error: HTTPParseError) -> HTTPResponse
}
