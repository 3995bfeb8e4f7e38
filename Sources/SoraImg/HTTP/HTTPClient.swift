import Foundation

/// Performs requests over libcurl, one at a time on the calling thread, and follows redirects
/// itself so that credentials only ever go to the host they were meant for.
public struct HTTPClient: Sendable {
    /// JSON answers larger than this are refused (a misbehaving or hostile server).
    public var responseLimit = 16 << 20
    /// Downloads larger than this are refused.
    public var downloadLimit = 4 << 30
    public var maxRedirects = 5
    /// How long opening a connection (DNS, TCP, TLS) may take.
    public var connectTimeout = 15.0
    /// How long a transfer may go without moving a byte (a server that never answers, or
    /// stops halfway) before it is given up.
    public var stallTimeout = 60.0

    public init() {}

    /// The limits one transfer runs under.
    private func limits(_ sink: ResponseSink) -> TransferLimits {
        TransferLimits(sink: sink, connectTimeout: connectTimeout, stallTimeout: stallTimeout)
    }

    /// Sends `request` and collects the answer in memory.
    /// - Parameter progress: called as bytes move; return false to stop (Ctrl-C).
    public func send(_ request: HTTPRequest, progress: (@Sendable (TransferProgress) -> Bool)? = nil) throws(HTTPTransportError) -> HTTPResponse {
        try following(request) { current throws(HTTPTransportError) in
            try CurlTransfer(current, limits: limits(.memory(limit: responseLimit)), progress: progress).perform()
        }
    }

    /// Sends `request` and writes a successful answer's body to `descriptor`; error answers
    /// (status 300 and up) are collected in memory instead, for their error body.
    public func download(
        _ request: HTTPRequest, to descriptor: Int32, progress: (@Sendable (TransferProgress) -> Bool)? = nil
    ) throws(HTTPTransportError) -> HTTPResponse {
        try following(request) { current throws(HTTPTransportError) in
            // Without knowing the status in advance, write to the file and read an error body
            // back from it if the status says so.
            guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
                throw HTTPTransportError(.other, "cannot write the download: \(String(cString: strerror(errno)))")
            }
            let result = try CurlTransfer(current, limits: limits(.file(descriptor: descriptor, limit: downloadLimit)), progress: progress).perform()
            guard result.status >= 300 else { return result }
            return (result.status, result.headers, Self.readBack(descriptor, limit: responseLimit))
        }
    }

    private static func readBack(_ descriptor: Int32, limit: Int) -> [UInt8] {
        let size = Int(lseek(descriptor, 0, SEEK_END))
        guard size > 0, lseek(descriptor, 0, SEEK_SET) == 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: min(size, limit))
        let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return Array(bytes.prefix(max(0, got)))
    }

    private func following(
        _ request: HTTPRequest, _ perform: (HTTPRequest) throws(HTTPTransportError) -> (status: Int, headers: [String: String], body: [UInt8])
    ) throws(HTTPTransportError) -> HTTPResponse {
        var current = request
        var crossedOrigin = false
        for _ in 0...maxRedirects {
            let (status, headers, body): (Int, [String: String], [UInt8])
            do {
                (status, headers, body) = try perform(current)
            } catch {
                var named = error
                named.url = current.url
                throw named
            }
            guard [301, 302, 303, 307, 308].contains(status), let location = headers["location"] else {
                var response = HTTPResponse(status: status, headers: headers, body: body, url: current.url)
                response.crossedOrigin = crossedOrigin
                return response
            }
            let next = try RedirectPolicy.next(after: current, status: status, location: location)
            if next.crossesOrigin { crossedOrigin = true }
            current = next.request
        }
        throw HTTPTransportError(.badRedirect, "more than \(maxRedirects) redirects from \(request.url)")
    }
}

/// What a redirect may carry: the same request to the same origin; without credentials to
/// another host; never from https down to http, and never to anything but http or https.
enum RedirectPolicy {
    /// The request to send next, and whether it goes to another origin than `request` did.
    static func next(
        after request: HTTPRequest, status: Int, location: String
    ) throws(HTTPTransportError) -> (request: HTTPRequest, crossesOrigin: Bool) {
        guard let base = URL(string: request.url), let target = URL(string: location, relativeTo: base)?.absoluteURL,
            let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme)
        else {
            throw HTTPTransportError(.badRedirect, "\(request.url) redirected to '\(location)', which is not an http or https URL")
        }
        if base.scheme?.lowercased() == "https" && scheme == "http" {
            throw HTTPTransportError(.badRedirect, "\(request.url) redirected from https down to http; not followed")
        }
        var next = request
        next.url = target.absoluteString
        // 303, and 301/302 for a POST as browsers do, become a GET without a body.
        if status == 303 || ((status == 301 || status == 302) && request.method == .post) {
            next.method = .get
            next.body = .none
        }
        let crossesOrigin = !sameOrigin(base, target)
        if crossesOrigin {
            // A GET may fetch from another origin (a CDN holding the content), but without the
            // key or any header marked as a credential. A POST or DELETE is an action, and its
            // body (a user's image) is for the service the user named, so it does not go on.
            guard next.method == .get else {
                throw HTTPTransportError(
                    .badRedirect,
                    "\(request.url) redirected the \(request.method.rawValue) to \(next.url), another origin; soraimg sends requests that act on jobs only to the base URL it was given")
            }
            next.headers.removeAll { $0.isCredential }
        }
        return (next, crossesOrigin)
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func port(_ url: URL) -> Int { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && port(a) == port(b)
    }
}
