import Foundation
import Testing

/// A loopback HTTP server whose every answer a test decides: one request per connection, read
/// whole (head and declared body), recorded, then answered or dropped. For speaking a
/// provider's wire shapes to the real binary without that provider's sandbox.
final class ScriptedServer: @unchecked Sendable {
    struct Request: Sendable {
        let method: String
        /// Path and query, as sent.
        let target: String
        /// Header values by lower-cased name.
        let headers: [String: String]
        let body: [UInt8]
        /// The whole request as text, for looking for a key anywhere in it.
        let raw: String

        var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        }
    }

    enum Answer: Sendable {
        case respond(Int, headers: [String: String] = [:], body: [UInt8])
        /// Close the connection after reading the request, answering nothing.
        case drop

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Answer {
            .respond(status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Array(text.utf8))
        }
    }

    let port: Int
    /// `localhost` or `127.0.0.1`: two servers on different names are different origins.
    let host: String
    var origin: String { "http://\(host):\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private let handler: @Sendable (Request) -> Answer

    init(host: String = "127.0.0.1", _ handler: @escaping @Sendable (Request) -> Answer) throws {
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

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Stops listening; a later request finds nothing there.
    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

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
        var headEnd: Int?
        var length = 0
        while headEnd == nil || bytes.count < headEnd! + 4 + length {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { return }
            bytes += chunk[..<count]
            if headEnd == nil, let end = ByteSearchForTests.find([13, 10, 13, 10], in: bytes) {
                headEnd = end
                let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
                length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        let end = headEnd!
        let lines = String(decoding: bytes[..<end], as: UTF8.self).split(separator: "\r\n").map(String.init)
        let parts = lines.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(
            method: parts.first ?? "", target: parts.count > 1 ? parts[1] : "", headers: headers, body: Array(bytes[(end + 4)...]),
            raw: String(decoding: bytes, as: UTF8.self))
        lock.withLock { received.append(request) }
        guard case .respond(let status, let extra, let body) = handler(request) else { return }
        var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        let answer = Array((head + "\r\n").utf8) + body
        _ = answer.withUnsafeBytes { send(client, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
