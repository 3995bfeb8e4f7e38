import FuzzSupport
import Glibc
@_spi(Fuzzing) import SoraImgSandbox

/// What a client sends the sandbox: the bytes of a connection, and multipart bodies.
enum SandboxRequests {
    /// Input: a Content-Type value (`multipart/form-data; boundary=...`), a line feed, then
    /// the body. A body splits into parts or is refused with a 400; no part's body runs over a
    /// delimiter, and the parts never hold more bytes than the body.
    static func checkMultipart(_ input: [UInt8]) {
        let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.count
        let contentType = String(decoding: input[..<newline], as: UTF8.self)
        let body = Array(input[min(input.count, newline + 1)...])
        let boundary: String
        let parts: [MultipartPart]
        do {
            boundary = try Multipart.boundary(in: contentType)
            parts = try Multipart.parse(body, boundary: boundary)
        } catch {
            return  // a 400 naming what is wrong
        }
        expect((1...70).contains(boundary.utf8.count), "a boundary of \(boundary.utf8.count) bytes was accepted")
        let delimiter = Array("\r\n--\(boundary)".utf8)
        expect(parts.reduce(0) { $0 + $1.body.count } <= body.count, "the parts hold more bytes than the body")
        for part in parts {
            let crossesDelimiter = part.body.count >= delimiter.count
                && (0...(part.body.count - delimiter.count)).contains { part.body[$0...].starts(with: delimiter) }
            expect(!crossesDelimiter, "a part's body runs over the delimiter")
        }
    }

    /// Input: everything a client sends before it closes its side. The reader returns requests
    /// until one is malformed or the bytes run out, as the server reads a connection, and each
    /// request it returns has a path and a body within the limits.
    static func checkConnection(_ input: [UInt8]) {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else { fail("socketpair: \(errno)") }
        let client = ends[0]
        defer { close(client) }
        // Inputs stay under the socket buffer (scripts/fuzz caps their length), so this write
        // does not block on a reader that has not started.
        let written = input.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        expect(written == input.count, "wrote \(written) of \(input.count) bytes into a socket pair")
        shutdown(client, Int32(SHUT_WR))
        var reader = HTTPRequestReader(socket: Socket(descriptor: ends[1]))
        var requests = 0
        while case .success(let request)? = reader.next() {
            requests += 1
            // Each request takes at least "A / HTTP/1.0\r\n\r\n" of the input.
            expect(requests * 18 <= input.count, "\(requests) requests read from \(input.count) bytes")
            expect(request.path.hasPrefix("/"), "a request for '\(request.path)'")
            expect(request.body.count <= HTTPRequestReader.maximumBodyBytes, "a body of \(request.body.count) bytes")
        }
    }
}
