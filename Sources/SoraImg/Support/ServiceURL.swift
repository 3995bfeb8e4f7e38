/// Why a base URL was refused. The message quotes what was given with any credentials masked.
public struct ServiceURLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the URL.
    public enum Kind: Sendable, Equatable {
        /// Not `http://` or `https://` followed by a host.
        case notHTTP
        /// A control character, a space, a non-ASCII character, or a character a URL must
        /// percent-encode.
        case badCharacter
        /// A `#fragment`, which never reaches a server.
        case fragment
        /// A host that is not a name, an IPv4 address or a bracketed IPv6 address.
        case badHost
        /// A port that is not a number from 1 to 65535.
        case badPort
    }

    /// What was wrong with the URL.
    public let kind: Kind
    /// One sentence naming where the URL came from, what was expected and what was received.
    public let message: String

    /// An error of `kind` saying `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// The root of a service's API, checked once: `http` or `https` with a host, an optional port,
/// path and query string. Credentials written into it (`https://user:pw@host`) are dropped,
/// since nothing uses them and everything that shows the URL must not show them.
public struct ServiceURL: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`, lower-cased.
    public let scheme: String
    /// The host, lower-cased; an IPv6 address keeps its brackets.
    public let host: String
    /// The port when one was given other than the scheme's default.
    public let port: Int?
    /// The path without a trailing `/`, percent-encoded as given; empty for the root.
    public let path: String
    /// The query string without its `?`, as given; nil when there was none.
    public let query: String?
    /// Whether the text held a user name or password, which were dropped.
    public let hadCredentials: Bool

    /// Parses `text`, a base URL read from `source` (`--base-url`, `OPENAI_BASE_URL`), which
    /// every error names.
    public init(_ text: String, source: String) throws(ServiceURLError) {
        let shown = Self.masked(text)
        // A password holding an unencoded `/` or `?` ends the authority early and leaves part of
        // itself where a host, port or path is read: with an `@` anywhere, no piece is quoted.
        let quote = { (piece: Substring) in text.contains("@") ? "" : " '\(piece)'" }
        for (index, scalar) in text.unicodeScalars.enumerated() {
            let position = "at character \(index + 1)"
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                throw ServiceURLError(
                    .badCharacter, "\(source) holds the control character \(Self.codePoint(scalar)) \(position); a URL has none, so it must not be '\(shown)'")
            }
            if scalar == " " {
                throw ServiceURLError(.badCharacter, "\(source) holds a space \(position); a URL has none (write it as %20), so it must not be '\(shown)'")
            }
            if scalar.value > 0x7E {
                throw ServiceURLError(
                    .badCharacter,
                    "\(source) holds the non-ASCII character \(Self.codePoint(scalar)) \(position); percent-encode it, or write a host name in its xn-- form, not '\(shown)'")
            }
        }
        let notHTTP = ServiceURLError(.notHTTP, "\(source) must be an http or https URL with a host, not '\(shown)'")
        guard let separator = text.range(of: "://") else { throw notHTTP }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw notHTTP }
        let rest = text[separator.upperBound...]
        if rest.contains("#") {
            throw ServiceURLError(
                .fragment, "\(source) must not have a fragment ('#...'): a fragment never reaches the server, so '\(shown)' would not mean what it says")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        hadCredentials = authority.contains("@")
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let (host, portText) = try Self.splitHostAndPort(authority, source: source, shown: shown, quote: quote, notHTTP: notHTTP)
        self.scheme = scheme
        self.host = host.lowercased()
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), portText.count <= 5,
                let port = Int(portText), (1...65_535).contains(port)
            else {
                throw ServiceURLError(.badPort, "\(source) has the port\(quote(portText)), but a port is a number from 1 to 65535, in '\(shown)'")
            }
            self.port = port == (scheme == "https" ? 443 : 80) ? nil : port
        } else {
            port = nil
        }
        let pathAndQuery = rest[authorityEnd...]
        let mark = pathAndQuery.firstIndex(of: "?") ?? pathAndQuery.endIndex
        var path = pathAndQuery[..<mark]
        while path.hasSuffix("/") { path = path.dropLast() }
        let query = mark < pathAndQuery.endIndex ? pathAndQuery[pathAndQuery.index(after: mark)...] : ""
        for (part, allowed) in [(path, Self.pathCharacters), (query, Self.queryCharacters)] {
            if let problem = Self.unencoded(part, allowed: allowed) {
                let what = text.contains("@") && problem.hasPrefix("'") ? "a character" : problem
                throw ServiceURLError(.badCharacter, "\(source) holds \(what), which a URL must percent-encode, in '\(shown)'")
            }
        }
        self.path = String(path)
        self.query = query.isEmpty ? nil : String(query)
    }

    /// `scheme://host[:port]`: where requests go, and what decides whether a credential may
    /// follow a redirect.
    public var origin: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// The URL as it can be shown and journalled: never with credentials.
    public var display: String {
        origin + path + (query.map { "?" + $0 } ?? "")
    }

    /// The display form.
    public var description: String { display }

    /// The URL of `path` (already percent-encoded, such as `/videos/abc`) under this base, with
    /// the base's query string after it and `query` merged in: an item of `query` replaces a
    /// base item of the same name and the others follow, sorted by name.
    public func url(path: String, query extra: [String: String] = [:]) -> String {
        // The base query is kept as written, empty items included: it is the service's to read.
        var items = query.map { $0.split(separator: "&", omittingEmptySubsequences: false).map(String.init) } ?? []
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) {
            let item = Self.escaped(name) + "=" + Self.escaped(value)
            if let index = items.firstIndex(where: { $0.split(separator: "=", maxSplits: 1).first.map(String.init) == Self.escaped(name) }) {
                items[index] = item
            } else {
                items.append(item)
            }
        }
        let joined = path.isEmpty || path.hasPrefix("/") ? path : "/" + path
        return origin + self.path + joined + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    /// `text` with every byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) percent-encoded,
    /// and `.` or `..` alone escaped too: for one path segment, such as a job id that may hold
    /// `/`, or a query name or value.
    public static func escaped(_ text: String) -> String {
        // `.` and `..` are unreserved, but as a whole segment an HTTP client removes them
        // (RFC 3986 §5.2.4), so an id `..` would climb out of `/videos/`.
        if text == "." || text == ".." { return String(repeating: "%2E", count: text.count) }
        var result = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (byte < 16 ? "0" : "") + hex
            }
        }
        return result
    }

    /// Whether both address the same service; credentials that were dropped do not count.
    public static func == (lhs: ServiceURL, rhs: ServiceURL) -> Bool {
        lhs.scheme == rhs.scheme && lhs.host == rhs.host && lhs.port == rhs.port && lhs.path == rhs.path && lhs.query == rhs.query
    }
}

extension ServiceURL {
    /// Characters a path may hold as they are (RFC 3986 `pchar` and `/`); `%` must start an escape.
    static let pathCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%".utf8)
    /// A query may hold `?` as well.
    static let queryCharacters = pathCharacters.union(["?".utf8.first!])

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// The first character that must be encoded, described; nil when there is none.
    private static func unencoded(_ part: Substring, allowed: Set<UInt8>) -> String? {
        let bytes = Array(part.utf8)
        for (index, byte) in bytes.enumerated() {
            guard allowed.contains(byte) else { return "'\(Character(Unicode.Scalar(byte)))'" }
            if byte == UInt8(ascii: "%") {
                let escape = bytes[(index + 1)...].prefix(2)
                guard escape.count == 2, escape.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else {
                    return "a '%' that does not start an escape such as %20"
                }
            }
        }
        return nil
    }

    /// Splits `host[:port]` or `[v6]:port`; the host is checked, the port returned as written.
    private static func splitHostAndPort(
        _ authority: Substring, source: String, shown: String, quote: (Substring) -> String, notHTTP: ServiceURLError
    ) throws(ServiceURLError) -> (host: Substring, port: Substring?) {
        let host: Substring
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ServiceURLError(.badHost, "\(source) opens an IPv6 address with '[' but never closes it, in '\(shown)'")
            }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ServiceURLError(.badHost, "\(source) has text after its IPv6 address, in '\(shown)'") }
                port = after.dropFirst()
            }
            let address = host.dropFirst().dropLast()
            guard address.contains(":"), address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw ServiceURLError(.badHost, "\(source) has\(quote(host)), which is not an IPv6 address, in '\(shown)'")
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty else { throw notHTTP }
            let isNameCharacter = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "." || c == "_") }
            guard host.allSatisfy(isNameCharacter), !host.hasPrefix("."), !host.contains("..") else {
                throw ServiceURLError(.badHost, "\(source) has the host\(quote(host)), which is not a host name or address, in '\(shown)'")
            }
        }
        return (host, port)
    }

    /// The text for an error message: whatever precedes the last `@` is masked, since it may
    /// be a password, except a leading `scheme://`; and control characters cannot reach a
    /// terminal. Masking too much only hides part of a URL that was refused anyway.
    static func masked(_ text: String) -> String {
        var shown = text
        if let at = shown.lastIndex(of: "@") {
            var start = shown.startIndex
            // Only a real scheme is kept: a `://` further on may follow a password
            // (`h//user:pw@x://...`), which must be masked with the rest.
            if let separator = shown.range(of: "://"), separator.upperBound <= at,
                shown[..<separator.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) })
            {
                start = separator.upperBound
            }
            shown.replaceSubrange(start..<at, with: "***")
        }
        return shown.printable(limit: 200)
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

/// Why a value from the environment cannot be sent as a header. The message never quotes the
/// value, which may be a secret.
public struct HeaderValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One sentence naming the variable, the header and the character refused.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Checks values that become request headers (`OPENAI_ORG_ID` as `OpenAI-Organization`).
public enum HeaderValue {
    /// Refuses a value holding CR, LF or any other control character: a line break would end
    /// the header and let the variable write headers of its own into every request.
    public static func check(_ value: String, name: String, source: String) throws(HeaderValueError) {
        for (index, scalar) in value.unicodeScalars.enumerated() where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            let what =
                switch scalar {
                case "\r": "a carriage return (CR)"
                case "\n": "a line feed (LF)"
                default: "the control character U+" + String(repeating: "0", count: scalar.value < 0x10 ? 3 : 2) + String(scalar.value, radix: 16, uppercase: true)
                }
            throw HeaderValueError(
                "\(source) holds \(what) at character \(index + 1); it is sent as the \(name) header, which cannot carry control characters, so set it to the value alone")
        }
    }
}
