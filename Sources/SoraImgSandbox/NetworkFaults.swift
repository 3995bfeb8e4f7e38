import Foundation

/// The faults of a hostile network: a proxy's HTML page, a redirect to
/// another origin, a connection reset mid-upload, answers cut short, garbled, endless or never
/// sent. Each is applied at one of three points: before a request's body is read
/// (`abandonsBody`), before it is routed (`intercepted`), or to the answer (`disturbed`).
extension SandboxAPI {
    /// A declared body size no client should accept for an API answer: 1 TiB.
    static let hugeLength = 1 << 40

    /// What the `garbage-status` fault sends: not JSON, with a terminal escape, a NUL and bytes
    /// that are not UTF-8, so a client that prints it unfiltered shows.
    static let garbage: [UInt8] = Array("\u{1B}[2J\u{1B}[31m garbage".utf8) + [0x00, 0xFF, 0xFE] + Array(" not json at all".utf8)

    /// `reset-create`: a create loses its connection halfway through its body. It counts as a
    /// create received; no job is made.
    func abandonsBody(method: String, path: String) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        guard dialect.endpoint(method: method, components: components) == .create, store.takeFault(\.resetCreates) else { return false }
        store.countCreate()
        return true
    }

    /// `redirect` and `html-error`: what sits in front of the service answers before it does,
    /// without looking at the key.
    func intercepted(_ request: HTTPRequest, _ components: [String]) -> HTTPReply? {
        guard isAPI(components) else { return nil }
        if let origin = faults.redirectOrigin {
            let query = request.query.sorted { $0.key < $1.key }.map { "\(Self.formEncoded($0.key))=\(Self.formEncoded($0.value))" }
            let location = origin + request.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            let body = Array("Redirecting to \(location)\n".utf8)
            return .response(HTTPResponse(status: 307, headers: [("Location", location), ("Content-Type", "text/plain")], body: body))
        }
        if store.takeFault(\.htmlErrors) {
            let page = """
                <!DOCTYPE html>
                <html><head><title>502 Bad Gateway</title></head>
                <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>

                """
            return .response(HTTPResponse(status: 502, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(page.utf8)))
        }
        return nil
    }

    /// `no-answer`, `truncated-create`, `garbage-status`, `truncated-status`, `huge-response`,
    /// `endless-response`, `cut-content`, `unterminated-content` and `trickle-content`, applied to the answer a request got. Only
    /// successful answers are garbled (a failure is what the other faults are for); `no-answer`
    /// swallows any API answer, after the request had its effect.
    func disturbed(_ reply: HTTPReply, for request: HTTPRequest) -> HTTPReply {
        let components = request.path.split(separator: "/").map(String.init)
        guard let endpoint = dialect.endpoint(method: request.method, components: components), case .response(var response) = reply else {
            return reply
        }
        if store.takeFault(\.noAnswers) { return .silence }
        // OpenRouter answers a create with 202: any success is garbled alike.
        guard (200..<300).contains(response.status) else { return reply }
        response.headers.append(("x-request-id", Identifier.request()))
        switch endpoint {
        case .create where store.takeFault(\.truncatedCreates):
            response.body = Array(response.body.prefix(response.body.count / 2))
            return .response(response)
        case .status where store.takeFault(\.garbageStatuses):
            response.headers = response.headers.filter { $0.name.lowercased() != "content-type" } + [("Content-Type", "application/json")]
            response.body = Self.garbage
            return .response(response)
        case .status where store.takeFault(\.truncatedStatuses):
            response.body = Array(response.body.prefix(response.body.count / 2))
            return .response(response)
        case .status, .list:
            guard faults.hugeResponses || faults.endlessResponses else { return reply }
            response.body = Array(#"{"object": "video", "padding": ""#.utf8)
            return .endless(response, declaredLength: faults.hugeResponses ? Self.hugeLength : nil)
        case .content where store.takeFault(\.cutContents):
            return .cutShort(response, after: response.body.count / 2, declaresLength: true)
        case .content where store.takeFault(\.unterminatedContents):
            return .cutShort(response, after: response.body.count / 2, declaresLength: false)
        case .content where faults.trickleBytesPerSecond != nil:
            return .trickle(response, bytesPerSecond: faults.trickleBytesPerSecond ?? 1)
        default:
            return reply
        }
    }

    /// The 429 a create gets while `limit` jobs are queued or in progress. The service's exact
    /// wording for this limit is not documented; this follows its rate-limit answers.
    static func tooManyRunning(limit: Int) -> APIError {
        APIError(
            status: 429,
            message: "Too many video generation jobs are in progress (limit \(limit)). Wait for one to finish, then try again.",
            type: "requests", code: "rate_limit_exceeded")
    }

    private static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? text
    }
}
