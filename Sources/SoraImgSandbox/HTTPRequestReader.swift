import Foundation

/// Why a request could not be read. Every case but `connectionLost` still gets an answer.
@_spi(Fuzzing) public enum HTTPParseError: Error, Equatable {
    /// Not HTTP/1.x as RFC 9112 writes it (400).
    case malformed(String)
    /// The request line and headers exceed the limit (431).
    case headTooLarge(limit: Int)
    /// The body exceeds the limit (413).
    case bodyTooLarge(limit: Int)
    /// A transfer coding other than `chunked` (501).
    case unsupportedTransferEncoding(String)
    /// The peer closed or went silent mid-request: there is no one to answer.
    case connectionLost
    /// `abandonsBody` asked to stop part-way through the body: the server resets the connection.
    case abandoned
}

/// Reads requests off one connection. Bytes past the end of one request (a pipelined next
/// request) stay in the buffer for the following call.
@_spi(Fuzzing) public struct HTTPRequestReader {
    /// The request line and headers together.
    static let maximumHeadBytes = 64 * 1024
    /// Large enough for a 1080p PNG reference with room to spare, small enough for memory.
    @_spi(Fuzzing) public static let maximumBodyBytes = 64 * 1024 * 1024
    private static let readSize = 64 * 1024

    private let socket: Socket
    /// Asked with the method and path once a head is read; true: read half the body, then
    /// give up on the request (`HTTPParseError.abandoned`).
    var abandonsBody: (String, String) -> Bool = { _, _ in false }
    private var buffer: [UInt8] = []
    private var position = 0

    @_spi(Fuzzing) public init(socket: Socket) {
        self.socket = socket
    }

    /// The next request; nil when the client closed (or idled out) between requests.
    @_spi(Fuzzing) public mutating func next() -> Result<HTTPRequest, HTTPParseError>? {
        compact()
        // RFC 9112 §2.2: ignore empty lines before a request line.
        while true {
            while buffer.count - position < 2 {
                if position == buffer.count {
                    guard fill() else { return nil }
                } else if !fill() {
                    return .failure(.malformed("the request ends before its request line"))
                }
            }
            guard buffer[position] == 13 && buffer[position + 1] == 10 else { break }
            position += 2
        }
        do {
            return .success(try readRequest())
        } catch {
            return .failure(error)
        }
    }

    private mutating func readRequest() throws(HTTPParseError) -> HTTPRequest {
        let head = try readHead()
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { throw .malformed("empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(Self.isTokenCharacter), !parts[1].isEmpty else {
            throw .malformed("the request line is not 'METHOD TARGET HTTP/1.1'")
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            throw .malformed("only HTTP/1.0 and HTTP/1.1 are served, not '\(parts[2].prefix(20))'")
        }
        var headers = HTTPHeaders()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), line.startIndex != colon,
                line[..<colon].allSatisfy(Self.isTokenCharacter)
            else { throw .malformed("a header line is not 'Name: value'") }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var target = parts[1]
        // Absolute form (`http://host/path`), which proxies send.
        if target.hasPrefix("http://") || target.hasPrefix("https://"), let scheme = target.range(of: "://") {
            let rest = target[scheme.upperBound...]
            target = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        guard target.hasPrefix("/") else { throw .malformed("the request target must start with '/'") }
        let (path, query) = HTTPRequest.splitTarget(target)
        let minorVersion = parts[2] == "HTTP/1.1" ? 1 : 0
        if abandonsBody(String(parts[0]), path) {
            // Half the declared body (or whatever arrives first), so the client is mid-upload.
            let declared = headers["content-length"].flatMap { Int($0) } ?? 2
            try need(max(1, min(declared / 2, Self.maximumBodyBytes)))
            throw .abandoned
        }
        let body = try readBody(headers: headers, minorVersion: minorVersion)
        return HTTPRequest(method: String(parts[0]), path: path, query: query, minorVersion: minorVersion, headers: headers, body: body)
    }

    /// The request line and headers, as text, without the blank line that ends them.
    private mutating func readHead() throws(HTTPParseError) -> String {
        var searched = position
        while true {
            if let end = find([13, 10, 13, 10], from: max(position, searched - 3)) {
                guard end - position <= Self.maximumHeadBytes else { throw .headTooLarge(limit: Self.maximumHeadBytes) }
                let head = String(decoding: buffer[position..<end], as: UTF8.self)
                position = end + 4
                return head
            }
            searched = buffer.count
            guard buffer.count - position <= Self.maximumHeadBytes else { throw .headTooLarge(limit: Self.maximumHeadBytes) }
            guard fill() else { throw .malformed("the request ends before the blank line after its headers") }
        }
    }

    private mutating func readBody(headers: HTTPHeaders, minorVersion: Int) throws(HTTPParseError) -> [UInt8] {
        let transferEncoding = headers.values("transfer-encoding")
        let lengths = Set(headers.values("content-length"))
        if !transferEncoding.isEmpty {
            // Both at once is how requests are smuggled past proxies: refuse (RFC 9112 §6.1).
            guard lengths.isEmpty else { throw .malformed("a request cannot have both Transfer-Encoding and Content-Length") }
            let codings = transferEncoding.joined(separator: ",").lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard codings == ["chunked"] else { throw .unsupportedTransferEncoding(codings.joined(separator: ", ")) }
            continueIfExpected(headers, minorVersion: minorVersion)
            return try readChunkedBody()
        }
        guard let text = lengths.first else { return [] }
        guard lengths.count == 1, !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw .malformed("Content-Length must be one whole number")
        }
        // Int(_:) fails on overflow; a number that long is over the limit anyway.
        guard let length = Int(text), length <= Self.maximumBodyBytes else { throw .bodyTooLarge(limit: Self.maximumBodyBytes) }
        guard length > 0 else { return [] }
        continueIfExpected(headers, minorVersion: minorVersion)
        try need(length)
        defer { position += length }
        return Array(buffer[position..<(position + length)])
    }

    private mutating func readChunkedBody() throws(HTTPParseError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine()
            let sizeText = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
            guard !sizeText.isEmpty, sizeText.count <= 15, sizeText.allSatisfy(\.isHexDigit), let size = Int(sizeText, radix: 16) else {
                throw .malformed("a chunk size is not a hexadecimal number")
            }
            if size == 0 { break }
            guard body.count + size <= Self.maximumBodyBytes else { throw .bodyTooLarge(limit: Self.maximumBodyBytes) }
            try need(size + 2)
            guard buffer[position + size] == 13, buffer[position + size + 1] == 10 else {
                throw .malformed("a chunk does not end with CRLF")
            }
            body.append(contentsOf: buffer[position..<(position + size)])
            position += size + 2
        }
        // Trailer fields, which nothing here needs, up to the blank line.
        var trailerBytes = 0
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            trailerBytes += line.utf8.count
            guard trailerBytes <= Self.maximumHeadBytes else { throw .headTooLarge(limit: Self.maximumHeadBytes) }
        }
        return body
    }

    /// One CRLF-terminated line of a chunked body, without the CRLF.
    private mutating func readLine() throws(HTTPParseError) -> String {
        while true {
            if let end = find([13, 10], from: position) {
                defer { position = end + 2 }
                return String(decoding: buffer[position..<end], as: UTF8.self)
            }
            guard buffer.count - position <= 4096 else { throw .malformed("a chunk line is too long") }
            guard fill() else { throw .connectionLost }
        }
    }

    /// Answers `Expect: 100-continue`, which curl sends before large bodies and then waits for.
    private func continueIfExpected(_ headers: HTTPHeaders, minorVersion: Int) {
        guard minorVersion >= 1, headers["expect"]?.lowercased() == "100-continue" else { return }
        _ = socket.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    /// Reads until `count` unread bytes are buffered.
    private mutating func need(_ count: Int) throws(HTTPParseError) {
        while buffer.count - position < count {
            guard fill() else { throw .connectionLost }
        }
    }

    private mutating func fill() -> Bool {
        socket.receive(into: &buffer, upTo: Self.readSize)
    }

    /// Drops consumed bytes so a long keep-alive connection does not grow its buffer forever.
    private mutating func compact() {
        guard position > 0 else { return }
        buffer.removeFirst(position)
        position = 0
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        ByteSearch.find(needle, in: buffer, from: start)
    }

    /// RFC 9110 §5.6.2 token characters, which methods and header names are made of.
    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "!#$%&'*+-.^_`|~".contains(character))
    }
}
