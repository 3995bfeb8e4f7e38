import ArgumentParser
import Dispatch
import Foundation
import SoraImgSandbox

struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local server of a video API (OpenAI, OpenRouter or Gemini), to try the whole flow without a key.",
        discussion: """
            Prints exactly one line on standard output when ready, its base URL (http://127.0.0.1:PORT/v1 for openai, /api/v1 for openrouter, /v1beta for gemini, /v1 for xai and replicate, the origin itself for fal), then serves until Ctrl-C or SIGTERM. Jobs go queued, in progress and completed over --job-seconds and return a small MP4 made by the project; requests are validated as the provider does (sizes, durations, the image's form and exactly the requested size). The sandbox's own report of what it received is at http://127.0.0.1:PORT/sandbox/uploads in every dialect.

            Faults for testing clients (--fault NAME[:VALUE], repeatable; N counts requests and defaults to 1; a fault marked "only" is refused in other dialects): \(SandboxFault.help(for: .service)). Reference images that show a human face are rejected in the openai dialect as OpenAI does (400, "Input images with faces of humans are currently rejected.") unless --accept-faces; the other dialects take them unless reject-faces is given.

            A hostile network: \(SandboxFault.help(for: .network)).

            A hostile server: \(SandboxFault.hostileServerHelp).

            Example:
              soraimg sandbox --job-seconds 3 &
              OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=any soraimg animate photo.jpg --prompt "waves"
              soraimg sandbox --provider openrouter &
              SORAIMG_PROVIDER=openrouter SORAIMG_BASE_URL=http://127.0.0.1:PORT/api/v1 OPENROUTER_API_KEY=any soraimg animate photo.jpg --prompt "waves"
            """
    )

    @Option(
        help: ArgumentHelp(
            "Which provider's API to speak: \(SandboxDialect.allCases.map(\.rawValue).joined(separator: ", ")) (default: $SORAIMG_PROVIDER, else openai).",
            valueName: "name"))
    var provider: String?
    @Option(help: "Loopback address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port; 0 lets the system pick one.") var port = 0
    @Option(help: ArgumentHelp("Accept only this key (default: any non-empty key). A test key, never a real one.", valueName: "key"))
    var key: String?
    @Option(help: "How long each job takes to complete; 0 completes at the first poll.") var jobSeconds = 2.0
    @Option(name: .customLong("fault"), help: ArgumentHelp("A fault to inject (repeatable).", valueName: "name[:N]"))
    var faults: [String] = []
    @Flag(help: "Take reference images that show a human face. The service rejects them, and so does the sandbox unless this is given (builds without face detection take them anyway).")
    var acceptFaces = false

    func run() throws {
        let parsed: [SandboxFault]
        let dialect: SandboxDialect
        do {
            let environment = ProcessInfo.processInfo.environment["SORAIMG_PROVIDER"].flatMap { $0.isEmpty ? nil : $0 }
            dialect = try SandboxDialect(parsing: provider ?? environment ?? SandboxDialect.openai.rawValue)
            parsed = try faults.map { try SandboxFault(parsing: $0) }
            for fault in parsed { try fault.check(for: dialect) }
        } catch {
            throw ValidationError("\(error)")
        }
        guard jobSeconds >= 0 else { throw ValidationError("--job-seconds must not be negative") }
        let server = try SandboxServer(
            SandboxConfiguration(host: host, port: port, key: key, jobSeconds: jobSeconds, faults: parsed, acceptsFaces: acceptFaces, dialect: dialect))
        try server.start()
        // Serve until SIGINT or SIGTERM, handled before the ready line: a reader may stop the
        // sandbox as soon as it sees it, and a signal between ignoring and handling is lost.
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        // The ready line: written in one go, so a reader sees it whole as soon as it is there.
        FileHandle.standardOutput.write(Data((server.baseURL + "\n").utf8))
        // A newcomer's next question is which key to use: any will do here (or --key's).
        let variable = dialect.keyVariable
        let keyNote = key == nil ? "any non-empty key works, such as \(variable)=test" : "only the key given with --key works"
        let value = key == nil ? "test" : "KEY"
        let command =
            dialect == .openai
            ? "OPENAI_BASE_URL=\(server.baseURL) OPENAI_API_KEY=\(value)"
            : "SORAIMG_PROVIDER=\(dialect) SORAIMG_BASE_URL=\(server.baseURL) \(variable)=\(value)"
        let api = dialect == .openai ? "the Videos API" : "the \(dialect) video API"
        FileHandle.standardError.write(
            Data("soraimg sandbox: serving \(api) at \(server.baseURL) until Ctrl-C; \(keyNote):\n  \(command) soraimg animate photo.jpg --prompt \"...\"\n".utf8))
        stop.wait()
        server.stop()
        _ = sources
    }
}
