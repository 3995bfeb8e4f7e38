import ArgumentParser
import Dispatch
import Foundation
import SoraImgSandbox

struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local server of the Videos protocol, to try the whole flow without a key.",
        discussion: """
            Prints exactly one line on standard output when ready, its base URL (http://127.0.0.1:PORT/v1), then serves until Ctrl-C or SIGTERM. Jobs go queued, in_progress and completed over --job-seconds and return a small MP4 made by the project; requests are validated as the service does (sizes, seconds as a string, image parts with a filename and an image type, the image exactly the requested size).

            Faults for testing clients (repeatable): rate-limit-create:N, error-status:N, error-content:N, drop-create:N, slow:MS, fail-job:CODE, expire. Reference images that show a human face are rejected as the service does (400, "Input images with faces of humans are currently rejected.") unless --accept-faces; reject-faces, which used to turn that on, is still accepted and changes nothing.

            A hostile network: reset-create:N (the connection is reset halfway through a create's body; nothing created), cut-content:N (content sends its full Content-Length and half the body, then closes), garbage-status:N and truncated-status:N (status answers 200 with a body that is not JSON, or JSON cut off halfway), truncated-create:N (the job is made, its JSON answer cut off halfway), html-error:N (502 with an HTML page, as a proxy sends), redirect:ORIGIN (every API request answers 307 to the same path at ORIGIN, such as http://localhost:8080), huge-response and endless-response (status and list answers declare 1 TiB, or no length, and stream until the client hangs up), no-answer:N (the request takes effect but is never answered; the connection stays open), running-limit:N (a create while N jobs are queued or in progress answers 429; nothing created). N counts requests and defaults to 1.

            \(SandboxFault.hostileServerHelp)

            Example:
              soraimg sandbox --job-seconds 3 &
              OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=any soraimg animate photo.jpg --prompt "waves"
            """
    )

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
        do {
            parsed = try faults.map { try SandboxFault(parsing: $0) }
        } catch {
            throw ValidationError("\(error)")
        }
        guard jobSeconds >= 0 else { throw ValidationError("--job-seconds must not be negative") }
        let server = try SandboxServer(SandboxConfiguration(host: host, port: port, key: key, jobSeconds: jobSeconds, faults: parsed, acceptsFaces: acceptFaces))
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
        let keyNote = key == nil ? "any non-empty key works, such as OPENAI_API_KEY=test" : "only the key given with --key works"
        FileHandle.standardError.write(Data("soraimg sandbox: serving the Videos API at \(server.baseURL) until Ctrl-C; \(keyNote):\n  OPENAI_BASE_URL=\(server.baseURL) OPENAI_API_KEY=\(key == nil ? "test" : "KEY") soraimg animate photo.jpg --prompt \"...\"\n".utf8))
        stop.wait()
        server.stop()
        _ = sources
    }
}
