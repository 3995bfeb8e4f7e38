import Glibc

/// Owns one TCP socket descriptor and closes it in `deinit`, so no path can leak or double-close it.
///
/// `@unchecked Sendable`: the descriptor never changes, and the kernel makes `recv`, `send` and
/// `shutdown` on it safe from different threads (`stop()` shuts a socket down while its
/// connection thread is blocked reading). `close` happens only in `deinit`, when no thread can
/// be using the object any more.
@_spi(Fuzzing) public final class Socket: @unchecked Sendable {
    let descriptor: Int32

    /// Takes ownership of a connected descriptor (the fuzzing harness hands in one end of a socket pair).
    @_spi(Fuzzing) public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// A socket bound to `address` and listening; port 0 lets the system pick.
    static func listening(on address: LoopbackAddress, port: Int, backlog: Int32 = 128) throws(SandboxError) -> Socket {
        let family = address == .ipv6 ? AF_INET6 : AF_INET
        // CLOEXEC: processes the host program spawns must not inherit the listening socket.
        let descriptor = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket", errno) }
        let socket = Socket(descriptor: descriptor)
        var on: Int32 = 1
        // Lets a restarted sandbox bind the port of one that just stopped (TIME_WAIT).
        guard setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw failure("setsockopt(SO_REUSEADDR)", errno)
        }
        let bound: Int32
        switch address {
        case .ipv4(let text):
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(UInt16(port)).bigEndian
            _ = inet_pton(AF_INET, text, &socketAddress.sin_addr)
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6:
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = in_port_t(UInt16(port)).bigEndian
            socketAddress.sin6_addr = in6addr_loopback
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        guard bound == 0 else {
            let code = errno
            throw failure("bind to \(address.urlHost):\(port)", code)
        }
        guard listen(descriptor, backlog) == 0 else { throw failure("listen", errno) }
        return socket
    }

    /// The port the socket is bound to (the one the system picked for port 0).
    func localPort() throws(SandboxError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { throw Self.failure("getsockname", errno) }
        // sin_port and sin6_port sit at the same offset, right after the family.
        let port = withUnsafeBytes(of: storage) { $0.load(fromByteOffset: 2, as: UInt16.self) }
        return Int(UInt16(bigEndian: port))
    }

    enum Accepted {
        case client(Socket)
        /// A transient failure (a connection aborted before accept, out of descriptors): try again.
        case retry
        /// The listening socket was shut down.
        case closed
    }

    /// Waits for the next connection.
    func accept() -> Accepted {
        let client = Glibc.accept(descriptor, nil, nil)
        if client >= 0 {
            // Not inherited by processes the host spawns (accept4 is not visible to Swift).
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            return .client(Socket(descriptor: client))
        }
        switch errno {
        case EINTR, ECONNABORTED, EPROTO: return .retry
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            // Out of resources: back off briefly instead of spinning on the same error.
            usleep(20_000)
            return .retry
        default: return .closed
        }
    }

    /// Bounds how long a read or a write may block, so a silent client cannot hold a thread.
    func setTimeouts(seconds: Int) {
        var time = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, size)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, size)
    }

    /// Reads what is available, up to `count` bytes, appending to `buffer`; false at end of
    /// stream, on a timeout or on an error.
    func receive(into buffer: inout [UInt8], upTo count: Int) -> Bool {
        // Read into scratch memory, then copy what arrived: growing `buffer` by `count` zeros
        // first costs a per-byte loop in debug builds, which every test runs.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch in
            var received = 0
            repeat {
                received = recv(descriptor, scratch.baseAddress, count, 0)
            } while received < 0 && errno == EINTR
            guard received > 0 else { return false }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<received]))
            return true
        }
    }

    /// Writes all of `bytes`; false if the peer went away or the write timed out.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that hung up gives EPIPE here, not a SIGPIPE that would kill
            // the host process (the test runner or the CLI).
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Ends both directions: a blocked `accept` or `recv` on another thread returns at once.
    func shutdown() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Makes the coming close send a TCP reset instead of an orderly end of stream, as a
    /// crashed peer or a middlebox does (the `reset-create` fault).
    func resetOnClose() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    /// Ends our sending side only; the peer sees end of stream after what was sent.
    func shutdownWrite() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// The error for a failed call; `code` is `errno`, read by the caller right after the call,
    /// before anything else can change it.
    private static func failure(_ call: String, _ code: Int32) -> SandboxError {
        SandboxError(.socketFailure, "\(call) failed: \(String(cString: strerror(code)))")
    }
}
