import Foundation

/// How a bounded raw exchange ended.
enum RawEnding: Equatable {
    /// The server closed the connection in order (end of stream).
    case closed
    /// The server reset the connection (ECONNRESET or EPIPE).
    case reset
    /// Nothing more arrived within the timeout, and the connection is still open.
    case timedOut
    /// `readLimit` bytes arrived; the server may still be sending.
    case limitReached
}

extension RawHTTP {
    /// Sends `request` on a new connection and reads until the server closes or resets it,
    /// `readLimit` bytes arrived, or nothing arrived for `timeout` seconds: for servers that
    /// never stop sending, never answer, or break the connection.
    static func bounded(_ request: [UInt8], port: Int, readLimit: Int = 1 << 20, timeout: Int = 10) throws -> (received: [UInt8], ending: RawEnding) {
        let descriptor = try connection(to: port, timeout: timeout)
        defer { close(descriptor) }
        var offset = 0
        while offset < request.count {
            let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, request.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && (errno == ECONNRESET || errno == EPIPE) { return ([], .reset) }
            guard sent > 0 else { break }
            offset += sent
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while received.count < readLimit {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                received += chunk[..<count]
                continue
            }
            if count == 0 { return (received, .closed) }
            if errno == EINTR { continue }
            return (received, errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .reset)
        }
        return (received, .limitReached)
    }

    /// The head of the first response in `bytes` (up to the blank line), as text.
    static func head(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(8192), as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n").first ?? text
    }

    /// The body after the first response's head.
    static func body(_ bytes: [UInt8]) -> [UInt8] {
        guard let end = ByteSearchForTests.find([13, 10, 13, 10], in: bytes) else { return [] }
        return Array(bytes[(end + 4)...])
    }

    /// A request as bytes, with a key and `Connection: close`.
    static func request(_ method: String, _ path: String, body: [UInt8] = [], contentType: String = "application/json") -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nConnection: close\r\n"
        if !body.isEmpty { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }
}

enum ByteSearchForTests {
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
