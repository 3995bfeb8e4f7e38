import Synchronization

/// A local server of a video API (described in the README), for tests and for trying soraimg
/// without an API key: OpenAI's `/v1/videos` by default, or OpenRouter's or the Gemini API's
/// protocol (`SandboxConfiguration.dialect`).
///
/// ```swift
/// let server = try SandboxServer(SandboxConfiguration(jobSeconds: 1, faults: [.rateLimitCreate(1)]))
/// try server.start()
/// print(server.baseURL)  // http://127.0.0.1:PORT/v1
/// defer { server.stop() }
/// ```
public final class SandboxServer: Sendable {
    /// The configuration the server was made with.
    public let configuration: SandboxConfiguration
    private let address: LoopbackAddress
    private let http: HTTPServer
    private let boundPort = Mutex<Int?>(nil)
    /// The origin the API writes into absolute URLs (OpenRouter's `polling_url`, Gemini's video
    /// `uri`), known once the port is bound.
    private let publishedOrigin: PublishedOrigin

    /// Checks the configuration (loopback host, port range, job time); nothing is bound yet.
    public init(_ configuration: SandboxConfiguration) throws(SandboxError) {
        address = try configuration.validated()
        self.configuration = configuration
        publishedOrigin = PublishedOrigin()
        http = HTTPServer(handler: SandboxAPI(configuration: configuration, origin: publishedOrigin))
    }

    deinit { http.stop() }

    /// The API base URL of the dialect: `http://127.0.0.1:PORT/v1` (openai), `.../api/v1`
    /// (openrouter), `.../v1beta` (gemini). After `start()` it names the bound port (the one the
    /// system picked when the configured port is 0); before, the configured one.
    public var baseURL: String {
        origin + configuration.dialect.apiRoot
    }

    /// `http://127.0.0.1:PORT`, where the sandbox's own `/sandbox/...` reports are.
    public var origin: String {
        let port = boundPort.withLock { $0 } ?? configuration.port
        return "http://\(address.urlHost):\(port)"
    }

    /// Binds and listens, then serves on background threads. Returns once the socket listens,
    /// so a client may connect as soon as this returns.
    public func start() throws(SandboxError) {
        let port = try http.start(on: address, port: configuration.port)
        boundPort.withLock { $0 = port }
        publishedOrigin.set(origin)
    }

    /// Stops listening and closes every connection; waits briefly for requests in flight.
    /// Calling it again, or before `start()`, does nothing.
    public func stop() {
        http.stop()
    }
}

/// The server's `http://HOST:PORT`, set once `start()` has bound the port; requests arrive
/// only after that, so the API always reads it set.
final class PublishedOrigin: Sendable {
    private let value = Mutex("")

    func set(_ origin: String) { value.withLock { $0 = origin } }
    var origin: String { value.withLock { $0 } }
}
