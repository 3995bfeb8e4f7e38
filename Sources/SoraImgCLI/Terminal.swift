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

    /// A person is watching: both streams are a terminal.
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    static let clearLine = "\r\u{1B}[2K"

    /// Kept alive for the process' life; written once, from the main thread, before any work.
    nonisolated(unsafe) private static var interruptSource: (any DispatchSourceSignal)?

    /// The first Ctrl-C asks long work to stop and report what it created; a second one quits.
    static func handleInterrupts() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if Interruption.isRequested { exit(130) }
            Interruption.request()
        }
        source.resume()
        interruptSource = source
    }

    /// Prints a job error with everything needed to act on it, the job's id above all.
    static func report(_ error: VideosError, input: String? = nil) {
        var text = "soraimg: " + (input.map { "\($0): " } ?? "") + error.description
        if let id = error.videoID, error.kind == .interrupted || error.kind == .deadline || error.kind == .unavailable || error.kind == .cannotWrite {
            if !text.contains("soraimg wait \(id)") { text += "\n  the job goes on at the service: soraimg wait \(id)" }
        } else if let id = error.videoID, !text.contains(id) {
            text += "\n  job: \(id)"
        }
        printError(text)
    }
}
