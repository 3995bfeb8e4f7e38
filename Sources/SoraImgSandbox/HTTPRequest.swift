import Foundation

/// One parsed HTTP/1.x request, body complete.
@_spi(Fuzzing) public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, ... exactly as sent (methods are case-sensitive).
    let method: String
    /// The path, without the query, as sent (not percent-decoded: routing decodes each segment,
    /// so an id may hold an encoded `/`).
    @_spi(Fuzzing) public let path: String
    /// Query parameters, percent-decoded; the first value of a repeated name wins.
    let query: [String: String]
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    let minorVersion: Int
    let headers: HTTPHeaders
    @_spi(Fuzzing) public let body: [UInt8]
    /// Which connection it came on (numbered from 1 by the server), so the sandbox can report
    /// how many requests a client sent over each connection it opened.
    var connection = 0

    /// Whether the client lets the connection stay open after the response (RFC 9112 §9.3).
    var keepAlive: Bool {
        let tokens = headers["connection"]?.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }

    /// The media type of the body, lowercased, without parameters (`multipart/form-data`).
    var mediaType: String? {
        headers["content-type"].map { HTTPHeaders.mediaType(of: $0) }
    }

    /// Splits `path?query` into the path and decoded query parameters.
    static func splitTarget(_ target: Substring) -> (path: String, query: [String: String]) {
        guard let mark = target.firstIndex(of: "?") else { return (String(target), [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecoded(parts[0])
            if query[name] == nil { query[name] = parts.count > 1 ? percentDecoded(parts[1]) : "" }
        }
        return (String(target[..<mark]), query)
    }

    /// Decodes `%XX`, and `+` as a space unless `plusIsSpace` is false (form encoding does
    /// that, RFC 8187 values do not); a malformed escape is kept as written.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Header fields in the order received; names compare case-insensitively.
struct HTTPHeaders: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    /// Adds a field; the name is stored lowercased.
    mutating func add(_ name: String, _ value: String) {
        fields.append((name.lowercased(), value))
    }

    /// The first value of `name`.
    subscript(name: String) -> String? {
        let name = name.lowercased()
        return fields.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func values(_ name: String) -> [String] {
        let name = name.lowercased()
        return fields.filter { $0.name == name }.map(\.value)
    }

    /// `image/JPEG; charset=x` → `image/jpeg`.
    static func mediaType(of value: String) -> String {
        String(value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0])
            .trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The value of parameter `name` in a header such as `multipart/form-data; boundary="x"`,
    /// unquoted; nil when absent.
    static func parameter(_ name: String, in value: String) -> String? {
        for piece in HeaderParameters.split(value).dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            return HeaderParameters.unquoted(parts[1].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}

/// Splitting `a; b="c;d"; e=f` on the semicolons outside quotes, as Content-Type and
/// Content-Disposition are written (RFC 9110 §5.6.6).
enum HeaderParameters {
    static func split(_ value: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces
    }

    /// `"a \"b\""` → `a "b"`; a token is returned as is.
    static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if !escaped && character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            result.append(character)
        }
        return result
    }
}
