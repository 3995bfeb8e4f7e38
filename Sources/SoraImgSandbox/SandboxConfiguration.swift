/// How a `SandboxServer` listens and behaves: `soraimg sandbox`'s options as one value.
public struct SandboxConfiguration: Sendable, Equatable {
    /// A loopback address to listen on: `127.0.0.1` (or any `127.x.y.z`), `::1` or `localhost`.
    public var host: String
    /// The TCP port; 0 lets the operating system pick a free one (see `SandboxServer.baseURL`).
    public var port: Int
    /// The only API key accepted; nil accepts any non-empty key.
    public var key: String?
    /// How long a job takes from creation to `completed`; 0 completes it at the first poll.
    public var jobSeconds: Double
    /// Failures to inject, in the order given.
    public var faults: [SandboxFault]
    /// Take reference images that show a human face. OpenAI's service refuses them ("Input images
    /// with faces of humans are currently rejected."), and so does the openai dialect by default;
    /// the other dialects take them (see `SandboxAPI.rejectsFacesByDefault`).
    public var acceptsFaces: Bool
    /// Which provider's protocol to speak.
    public var dialect: SandboxDialect

    public init(
        host: String = "127.0.0.1", port: Int = 0, key: String? = nil, jobSeconds: Double = 2,
        faults: [SandboxFault] = [], acceptsFaces: Bool = false, dialect: SandboxDialect = .openai
    ) {
        self.dialect = dialect
        self.host = host
        self.port = port
        self.key = key
        self.jobSeconds = jobSeconds
        self.faults = faults
        self.acceptsFaces = acceptsFaces
    }

    /// The longest job time accepted: a day, far beyond any test, and small enough that
    /// timestamps stay exact.
    static let maximumJobSeconds = 86_400.0

    /// Checks every field and returns the address to bind.
    func validated() throws(SandboxError) -> LoopbackAddress {
        guard (0...65_535).contains(port) else {
            throw SandboxError(.invalidConfiguration, "port must be from 0 to 65535 (0 lets the system pick), not \(port)")
        }
        guard jobSeconds.isFinite, (0...Self.maximumJobSeconds).contains(jobSeconds) else {
            throw SandboxError(.invalidConfiguration, "job seconds must be from 0 to \(Int(Self.maximumJobSeconds)), not \(jobSeconds)")
        }
        // An empty key would make "any key" and "this key" indistinguishable.
        if let key, key.isEmpty || key.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw SandboxError(.invalidConfiguration, "the sandbox key must be non-empty and have no spaces")
        }
        for fault in faults { try fault.check(for: dialect) }
        return try LoopbackAddress(host)
    }
}

/// The failures a configuration asks for, gathered: counts and delays of repeated faults add up;
/// of several `fail-job` codes the last one wins, as later options do on a command line.
struct FaultPlan: Sendable, Equatable {
    var rateLimitCreates = 0
    var errorStatuses = 0
    var errorContents = 0
    var dropCreates = 0
    var slowMilliseconds = 0
    var failJobCode: String?
    var expire = false
    var rejectFaces = false
    var resetCreates = 0
    var cutContents = 0
    var garbageStatuses = 0
    var truncatedStatuses = 0
    var truncatedCreates = 0
    var htmlErrors = 0
    var noAnswers = 0
    /// Of several `redirect` origins the last one wins.
    var redirectOrigin: String?
    var hugeResponses = false
    var endlessResponses = false
    /// Of several `running-limit`s the smallest wins: each is a limit the service enforces.
    var runningLimit: Int?
    /// Ids for the next jobs, used up in order.
    var chosenIDs: [String] = []
    /// Of several `progress`, `echo-model`, `echo-prompt` or `trickle-content` values the last wins.
    var progress: JSONValue?
    var echoModel: String?
    var echoPrompt: String?
    var trickleBytesPerSecond: Int?
    var foreignJob = false
    var unterminatedContents = 0
    var completedWithError = false
    var controlChars = false
    var raiFilter = false

    init(_ faults: [SandboxFault]) {
        for fault in faults {
            switch fault {
            case .rateLimitCreate(let count): rateLimitCreates += count
            case .errorStatus(let count): errorStatuses += count
            case .errorContent(let count): errorContents += count
            case .dropCreate(let count): dropCreates += count
            case .slow(let milliseconds): slowMilliseconds = min(slowMilliseconds + milliseconds, SandboxFault.maximumDelay)
            case .failJob(let code): failJobCode = code
            case .expire: expire = true
            case .rejectFaces: rejectFaces = true
            case .resetCreate(let count): resetCreates += count
            case .cutContent(let count): cutContents += count
            case .garbageStatus(let count): garbageStatuses += count
            case .truncatedStatus(let count): truncatedStatuses += count
            case .truncatedCreate(let count): truncatedCreates += count
            case .htmlError(let count): htmlErrors += count
            case .noAnswer(let count): noAnswers += count
            case .redirect(let origin): redirectOrigin = origin
            case .hugeResponse: hugeResponses = true
            case .endlessResponse: endlessResponses = true
            case .runningLimit(let limit): runningLimit = min(limit, runningLimit ?? limit)
            case .chosenID(let id): chosenIDs.append(id)
            case .progress(let json): progress = SandboxFault.progressValue(json)
            case .echoModel(let model): echoModel = model
            case .echoPrompt(let prompt): echoPrompt = prompt
            case .trickleContent(let rate): trickleBytesPerSecond = rate
            case .foreignJob: foreignJob = true
            case .unterminatedContent(let count): unterminatedContents += count
            case .completedWithError: completedWithError = true
            case .controlChars: controlChars = true
            case .raiFilter: raiFilter = true
            }
        }
    }
}
