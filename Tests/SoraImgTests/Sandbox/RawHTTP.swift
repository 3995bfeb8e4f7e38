import Foundation

/// A bare TCP client, for what URLSession cannot send or would hide: malformed requests,
/// chunked bodies, connections that die.
enum RawHTTP {
    /// A TCP connection to 127.0.0.1:`port` whose reads and writes give up after `timeout` seconds.
    static func connection(to port: Int, timeout: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// Sends `request` on a new connection and returns everything the server sends until it
    /// closes the connection (or 10 s pass).
    static func exchange(_ request: [UInt8], port: Int) throws -> [UInt8] {
        let descriptor = try connection(to: port, timeout: 10)
        defer { close(descriptor) }
        var offset = 0
        while offset < request.count {
            let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, request.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { break }  // the server may close early (413); read what it said
            offset += sent
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { break }
            received += chunk[..<count]
        }
        return received
    }

    static func exchange(_ request: String, port: Int) throws -> String {
        String(decoding: try exchange(Array(request.utf8), port: port), as: UTF8.self)
    }

    /// The status codes of every response in `text`, in order.
    static func statuses(_ text: String) -> [Int] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().compactMap { Int($0.prefix(3)) }
    }
}
