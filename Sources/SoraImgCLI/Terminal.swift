import ArgumentParser
import Dispatch
import Foundation
import SoraImg
import Synchronization

/// Standard error, the terminal question and Ctrl-C.
enum Terminal {
    /// A line on standard error, above the status line if one is drawn.
    static func printError(_ text: String, newline: Bool = true) {
        guard newline else { return FileHandle.standardError.write(Data(text.utf8)) }
        StatusLine.shared.printLine(text)
    }

    static func warn(_ text: String) { printError("soraimg: warning: \(text)") }

    /// Applies libvips' process-wide settings, first thing in a command that reads images.
    static func startImageProcessing() throws {
        do {
            try ImageProcessing.start(.standard)
        } catch {
            printError("soraimg: \(error.message)")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }

    /// Prints a usage mistake that has nothing to do with the command line's shape (an
    /// environment variable, say) and returns the exit code to throw: no usage line under it.
    static func usageFailure(_ text: String) -> ExitCode {
        printError("soraimg: \(text)")
        return ExitCode(ExitStatus.usage.rawValue)
    }

    /// A person is watching: both streams are a terminal.
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    static let clearLine = "\r\u{1B}[2K"

    /// Kept alive for the process' life; written once, from the main thread, before any work.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
    /// The signal that asked the work to stop, for the exit code (130 for SIGINT, 143 for
    /// SIGTERM and SIGHUP).
    private static let stopSignal = Mutex<Int32>(0)

    /// Ctrl-C, SIGTERM and SIGHUP ask long work to stop: transfers end, temporary files are
    /// removed, and each running job's id is printed with how to resume it. A second signal
    /// quits at once, still removing any file half written.
    static func handleInterrupts() {
        // A write past a file-size limit should fail with an error soraimg reports, not kill it.
        signal(SIGXFSZ, SIG_IGN)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let code: Int32 = number == SIGINT ? 130 : 143
                if Interruption.isRequested {
                    TemporaryFiles.shared.removeAll()
                    exit(code)
                }
                stopSignal.withLock { if $0 == 0 { $0 = code } }
                Interruption.request()
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// 130 after Ctrl-C, 143 after SIGTERM or SIGHUP, 0 when no signal came.
    static var signalExitCode: Int32 { stopSignal.withLock { $0 } }

    /// The exit code for a job error: an interruption says which signal it was.
    static func exitCode(for error: VideosError) -> Int32 {
        if error.kind == .interrupted, signalExitCode != 0 { return signalExitCode }
        return error.exitStatus.rawValue
    }

    /// Prints a job error with everything needed to act on it, the job's id above all.
    /// - Parameter following: the command was following a job it made or was told to wait
    ///   for, so a failure here leaves that job running at the service. `status`, `list` and
    ///   `delete` only ask, and an unreachable service says nothing about the job.
    static func report(_ error: VideosError, input: String? = nil, following: Bool = true) {
        var error = error
        // A job exists and something stopped soraimg following it: it can be resumed.
        if error.cause == nil, following, let id = error.videoID, [.interrupted, .deadline, .unavailable, .cannotWrite].contains(error.kind) {
            error.cause = .resumable(id: id)
        }
        if !following, case .resumable = error.cause { error.cause = nil }
        if let hint = hint(for: error.cause) { error.hint = error.hint.map { $0 + "; " + hint } ?? hint }
        let prefix = input.map { "\($0.printable(limit: 300)): " } ?? ""
        // A message that already starts with the input's name (a library message naming the
        // file) is not prefixed twice.
        var text = "soraimg: " + (error.message.hasPrefix(prefix) ? "" : prefix) + error.description
        if let id = error.videoID.map({ $0.printable(limit: 200) }), !text.contains(id) {
            text += "\n  job: \(id)"
        }
        printError(text)
    }

    /// The words for what the user can do, flags and commands included: the library states the
    /// cause, the command line names the way out.
    static func hint(for cause: VideosError.Cause?) -> String? {
        switch cause {
        case nil: nil
        case .outputExists: "use --force to replace it"
        case .resumable(let id): "the job goes on at the service: soraimg wait \(id.printable(limit: 200))"
        case .unconfirmedCreate(canList: true): "run `soraimg list` before trying again, so a job is not paid for twice"
        case .unconfirmedCreate(canList: false):
            "check the provider's dashboard for the job before trying again; add --resend-unconfirmed to send it anyway once you are sure it made none"
        case .downloadAgain(let id): "try again: soraimg download \(id.printable(limit: 200))"
        case .stillRunning(let id): "soraimg wait \(id.printable(limit: 200)) waits for it and downloads"
        }
    }
}
