import Glibc

/// A loopback address the sandbox may listen on.
///
/// Only loopback: the sandbox accepts any key and stores uploads in memory, so it must never
/// be reachable from another machine.
enum LoopbackAddress: Sendable, Equatable {
    /// An address in 127.0.0.0/8, in dotted form.
    case ipv4(String)
    /// `::1`.
    case ipv6

    init(_ host: String) throws(SandboxError) {
        let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if trimmed.lowercased() == "localhost" {
            self = .ipv4("127.0.0.1")
            return
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            // s_addr is in network order: the first octet is the lowest byte in memory.
            guard UInt32(bigEndian: v4.s_addr) >> 24 == 127 else { throw Self.refusal(host) }
            self = .ipv4(trimmed)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            var loopback = in6_addr()
            _ = inet_pton(AF_INET6, "::1", &loopback)
            guard withUnsafeBytes(of: v6, { a in withUnsafeBytes(of: loopback) { b in a.elementsEqual(b) } }) else {
                throw Self.refusal(host)
            }
            self = .ipv6
            return
        }
        throw Self.refusal(host)
    }

    /// The host as written in a URL.
    var urlHost: String {
        switch self {
        case .ipv4(let address): address
        case .ipv6: "[::1]"
        }
    }

    private static func refusal(_ host: String) -> SandboxError {
        SandboxError(
            .invalidConfiguration,
            "the sandbox listens on loopback only (127.0.0.1, ::1 or localhost), not '\(host)': it is a test server that accepts any key"
        )
    }
}
