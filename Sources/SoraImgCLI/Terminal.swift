import ArgumentParser
import Dispatch
import Foundation
import SoraImg
import Synchronization

/// Standard error, the terminal question and Ctrl-C.
enum Terminal {
    static func printError(_ text: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((text + (newline ? "\n" : "")).utf8))
    }

    static func warn(_ text: String) { printError("soraimg: warning: \(text)") }

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
        let prefix = input.map { "\($0.printable(limit: 300)): " } ?? ""
        // A message that already starts with the input's name (a library message naming the
        // file) is not prefixed twice.
        var text = "soraimg: " + (error.message.hasPrefix(prefix) ? "" : prefix) + error.description
        if let id = error.videoID.map({ $0.printable(limit: 200) }), following,
            error.kind == .interrupted || error.kind == .deadline || error.kind == .unavailable || error.kind == .cannotWrite {
            if !text.contains("soraimg wait \(id)") { text += "\n  the job goes on at the service: soraimg wait \(id)" }
        } else if let id = error.videoID.map({ $0.printable(limit: 200) }), !text.contains(id) {
            text += "\n  job: \(id)"
        }
        printError(text)
    }
}
