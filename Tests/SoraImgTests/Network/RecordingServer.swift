import Foundation

/// The "other origin" of the redirect tests: a loopback listener that records every request it
/// gets (request line, headers and body, as raw text) and answers like a host that holds
/// content but knows no key: the content path gets `body`, anything else a 401.
final class RecordingServer: @unchecked Sendable {
    let port: Int
    /// The origin as the sandbox should redirect to it: `localhost` rather than the sandbox's
    /// `127.0.0.1`, so the two are different origins on the same machine.
    var origin: String { "http://localhost:\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private let content: [UInt8]

    /// - Parameter content: what `GET .../content` answers with.
    init(content: [UInt8]) throws {
        self.content = content
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops listening; the accept thread (which keeps this object alive) then ends.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { close(listener) }

    /// Every request received so far, raw.
    var requests: [String] { lock.withLock { received } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            serve(client)
            close(client)
        }
    }

    /// One request per connection: read the head (and a declared body), record, answer, close.
    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func complete() -> Bool {
            guard let end = ByteSearchForTests.find([13, 10, 13, 10], in: bytes) else { return false }
            let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            return bytes.count >= end + 4 + length
        }
        while !complete() {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        let request = String(decoding: bytes, as: UTF8.self)
        lock.withLock { received.append(request) }
        let isContent = request.hasPrefix("GET ") && request.split(separator: " ").dropFirst().first?.contains("/content") == true
        let (status, type, body): (String, String, [UInt8]) =
            isContent
            ? ("200 OK", "video/mp4", content)
            : ("401 Unauthorized", "application/json",
                Array(#"{"error": {"message": "You didn't provide an API key.", "type": "invalid_request_error", "param": null, "code": null}}"#.utf8))
        let answer = Array("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
        _ = answer.withUnsafeBytes { send(client, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
