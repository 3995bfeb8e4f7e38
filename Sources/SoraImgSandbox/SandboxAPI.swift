import Foundation
import SoraImg

/// The Videos protocol over HTTP in one dialect: authentication, routing, faults that apply to
/// every request, and the headers every answer carries. The endpoints live in extensions, one
/// file per concern (`VideoEndpoints` for openai, `OpenRouterEndpoints`, `GeminiEndpoints`).
struct SandboxAPI: HTTPHandler {
    let store: SandboxStore
    let dialect: SandboxDialect
    /// `http://HOST:PORT`, for the absolute URLs some dialects answer with.
    let published: PublishedOrigin
    /// The only key accepted; nil accepts any non-empty key.
    let key: String?
    let jobSeconds: Double
    /// The faults as configured (the store holds the counts that requests use up).
    let faults: FaultPlan
    /// fal storage's files and signed uploads (fal only).
    let falStorage = FalStorage()

    init(configuration: SandboxConfiguration, origin: PublishedOrigin = PublishedOrigin()) {
        var faults = FaultPlan(configuration.faults)
        dialect = configuration.dialect
        published = origin
        // Like the service, unless told otherwise; a build without a detector cannot tell.
        let rejectsByDefault = Self.rejectsFacesByDefault(configuration.dialect)
        faults.rejectFaces = faults.rejectFaces || (rejectsByDefault && !configuration.acceptsFaces && FaceDetection.isAvailable)
        self.faults = faults
        store = SandboxStore(faults: faults)
        key = configuration.key
        jobSeconds = configuration.jobSeconds
    }

    func reply(to request: HTTPRequest) -> HTTPReply {
        var reply: HTTPReply
        do {
            reply = try route(request)
        } catch {
            reply = .response(disguised(error).response(in: dialect))
        }
        reply = disturbed(reply, for: request)
        delay()
        guard case .response(let response) = reply else { return reply }
        return .response(stamped(response))
    }

    func reply(toUnreadable error: HTTPParseError) -> HTTPResponse {
        let apiError: APIError
        switch error {
        case .malformed(let reason): apiError = .invalid("Malformed HTTP request: \(reason).", param: nil)
        case .headTooLarge(let limit): apiError = APIError(status: 431, message: "The request line and headers exceed \(limit) bytes.")
        case .bodyTooLarge(let limit): apiError = APIError(status: 413, message: "The request body exceeds \(limit) bytes.")
        case .unsupportedTransferEncoding(let coding):
            apiError = APIError(status: 501, message: "Transfer-Encoding '\(coding)' is not supported; send chunked or a Content-Length.")
        case .connectionLost, .abandoned: apiError = .invalid("The request ended early.", param: nil)
        }
        delay()
        return stamped(apiError.response(in: dialect))
    }

    /// Every answer gets an `x-request-id`, as the service's do; clients log it.
    private func stamped(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.append(("x-request-id", Identifier.request()))
        return response
    }

    /// The `slow` fault: every answer, even an error or a dropped create, comes late.
    private func delay() {
        guard faults.slowMilliseconds > 0 else { return }
        Thread.sleep(forTimeInterval: Double(faults.slowMilliseconds) / 1000)
    }

    /// Whether the dialect's service refuses reference images that show a human face. Only
    /// OpenAI documents that ("Input images with faces of humans are currently rejected.");
    /// nothing OpenRouter or Google publish says their video APIs refuse faces (Google documents
    /// `personGeneration` for people in the output, not a refusal of the input image), so those
    /// dialects take them unless the `reject-faces` fault is given.
    static func rejectsFacesByDefault(_ dialect: SandboxDialect) -> Bool {
        dialect == .openai
    }

    /// `http://HOST:PORT` + the dialect's API root: what the client was given as its base URL.
    var baseURL: String { published.origin + dialect.apiRoot }

    /// Whether a path lies under the dialect's API root (where requests are counted and where a
    /// proxy's faults apply).
    func isAPI(_ components: [String]) -> Bool {
        let root = dialect.rootComponents
        // At the origin root (fal), the sandbox's own reports are not the API's.
        if root.isEmpty && components.first == "sandbox" { return false }
        return components.count >= root.count && Array(components.prefix(root.count)) == root
    }

    private func route(_ request: HTTPRequest) throws(APIError) -> HTTPReply {
        // Split before decoding, so an id holding an encoded `/` stays one component.
        let components = request.path.split(separator: "/").map { HTTPRequest.percentDecoded($0, plusIsSpace: false) }
        // Counted before anything can refuse it: tests assert how many creates a client sent.
        if dialect.endpoint(method: request.method, components: components) == .create { store.countCreate() }
        if isAPI(components) { store.countRequest(request) }
        if let intercepted = intercepted(request, components) { return intercepted }
        // The sandbox's own reports, at the origin root whatever the dialect, behind any key in
        // any of the headers the dialects use.
        if components.first == "sandbox" {
            try authenticateReport(request)
            guard components == ["sandbox", "uploads"] else {
                throw APIError(status: 404, message: "Invalid URL (\(request.method) \(request.path))")
            }
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(.json(200, store.uploadsReport()))
        }
        switch dialect {
        case .openai: return try routeOpenAI(request, components)
        case .openrouter: return try routeOpenRouter(request, components)
        case .gemini: return try routeGemini(request, components)
        case .xai: return try routeXAI(request, components)
        case .fal: return try routeFal(request, components)
        case .replicate: return try routeReplicate(request, components)
        }
    }

    private func routeOpenAI(_ request: HTTPRequest, _ components: [String]) throws(APIError) -> HTTPReply {
        try authenticate(request)
        switch (components.first, components.dropFirst().first, components.count) {
        case ("v1", "videos", 2):
            switch request.method {
            case "GET": return .response(try list(request))
            case "POST": return try create(request)
            default: throw methodNotAllowed(request, allowed: "GET, POST")
            }
        case ("v1", "files", 2):
            guard request.method == "POST" else { throw methodNotAllowed(request, allowed: "POST") }
            return .response(try upload(request))
        case ("v1", "videos", 3) where ["extensions", "edits"].contains(components[2]) && request.method == "POST":
            return components[2] == "extensions" ? try extend(request) : try edit(request)
        case ("v1", "videos", 3):
            switch request.method {
            case "GET": return .response(try retrieve(components[2]))
            case "DELETE": return .response(try delete(components[2]))
            default: throw methodNotAllowed(request, allowed: "GET, DELETE")
            }
        case ("v1", "videos", 4) where components[3] == "content":
            guard request.method == "GET" else { throw methodNotAllowed(request, allowed: "GET") }
            return .response(try content(components[2], variant: request.query["variant"]))
        case ("v1", "videos", 4) where components[3] == "remix":
            guard request.method == "POST" else { throw methodNotAllowed(request, allowed: "POST") }
            return .response(try remix(components[2], request))
        default:
            throw APIError(status: 404, message: "Invalid URL (\(request.method) \(request.path))")
        }
    }

    /// A report request carries a key in `Authorization: Bearer`, `api-key` or
    /// `x-goog-api-key`, whichever dialect the sandbox speaks, so one test helper reads every
    /// dialect's reports.
    private func authenticateReport(_ request: HTTPRequest) throws(APIError) {
        if dialect == .openai { return try authenticate(request) }
        let presented = Self.bearer(request) ?? Self.falKey(request) ?? request.headers["api-key"] ?? request.headers["x-goog-api-key"]
        guard let presented, !presented.isEmpty, key == nil || presented == key else {
            throw APIError(status: 401, message: "The sandbox's reports need the key the sandbox takes, in any header its dialects use.")
        }
    }

    /// The token of `Authorization: Bearer TOKEN`; nil when absent or empty.
    static func bearer(_ request: HTTPRequest) -> String? {
        guard let authorization = request.headers["authorization"] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// `Authorization: Bearer KEY` or, as Azure-style gateways use, `api-key: KEY`.
    private func authenticate(_ request: HTTPRequest) throws(APIError) {
        var presented: String?
        if let authorization = request.headers["authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                presented = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        if presented?.isEmpty ?? true { presented = request.headers["api-key"] }
        guard let presented, !presented.isEmpty else {
            throw APIError(
                status: 401,
                message: "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY) or in an api-key header.",
                code: "invalid_api_key")
        }
        // The message never repeats the key: error bodies end up in logs.
        if let key, presented != key {
            throw APIError(
                status: 401, message: "Incorrect API key provided. This sandbox accepts only the key it was started with (--key).",
                code: "invalid_api_key")
        }
    }

    func methodNotAllowed(_ request: HTTPRequest, allowed: String) -> APIError {
        APIError(
            status: 405, message: "Method \(request.method) is not allowed on \(request.path); use \(allowed).",
            headers: [("Allow", allowed)])
    }
}
