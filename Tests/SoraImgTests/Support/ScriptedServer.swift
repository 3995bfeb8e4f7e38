import Foundation

/// A loopback HTTP/1.1 server whose every answer a test scripts: one request per connection,
/// each recorded whole (method, target, headers, body), then answered, or dropped after its
/// body was read, as a connection that dies once the request went out.
final class ScriptedServer: @unchecked Sendable {
    struct Request: Sendable {
        let method: String
        /// The request target as sent: path and query.
        let target: String
        /// Header values by lower-cased name.
        let headers: [String: String]
        let body: [UInt8]
        /// The whole request as received, for looking for a key anywhere in it.
        let raw: String

        /// The body as a JSON object.
        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        }

        var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }
    }

    enum Reply: Sendable {
        case answer(status: Int, headers: [String: String], body: [UInt8])
        /// Close the connection without a byte of answer.
        case drop

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Reply {
            .answer(status: status, headers: headers.merging(["Content-Type": "application/json; charset=UTF-8"]) { own, _ in own }, body: Array(text.utf8))
        }
    }

    let port: Int
    /// The name requests use: `localhost` and `127.0.0.1` are different origins on one machine.
    let host: String
    var origin: String { "http://\(host):\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private let handler: @Sendable (Request) -> Reply

    /// - Parameter handler: the answer to each request, called one request at a time.
    init(host: String = "127.0.0.1", handler: @escaping @Sendable (Request) -> Reply) throws {
        self.host = host
        self.handler = handler
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
    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    deinit { close(listener) }

    /// Every request received so far.
    var requests: [Request] { lock.withLock { received } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            serve(client)
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var head: (end: Int, lines: [Substring], length: Int)?
        while true {
            if head == nil, let end = ByteSearchForTests.find([13, 10, 13, 10], in: bytes) {
                let text = String(decoding: bytes[..<end], as: UTF8.self)
                let lines = text.split(separator: "\r\n")
                let length = lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                head = (end, lines, length)
            }
            if let head, bytes.count >= head.end + 4 + head.length { break }
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { return }
            bytes += chunk[..<count]
        }
        guard let head, let requestLine = head.lines.first else { return }
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in head.lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(
            method: String(parts[0]), target: String(parts[1]), headers: headers,
            body: Array(bytes[(head.end + 4)..<(head.end + 4 + head.length)]), raw: String(decoding: bytes, as: UTF8.self))
        let reply = lock.withLock {
            received.append(request)
            return handler(request)
        }
        guard case .answer(let status, let extra, let body) = reply else { return }
        var text = "HTTP/1.1 \(status) \(status < 300 ? "OK" : "Error")\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in extra { text += "\(name): \(value)\r\n" }
        let answer = Array((text + "\r\n").utf8) + body
        _ = answer.withUnsafeBytes { send(client, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
