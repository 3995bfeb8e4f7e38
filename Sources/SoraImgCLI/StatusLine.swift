import Dispatch
import Foundation
import Synchronization

/// The one line at the bottom of the terminal that redraws in place (a job's bar, a batch's
/// count), and every other line written to standard error, so the two never mix:
/// - the line is cut to the terminal's width, read again when the window changes (`SIGWINCH`),
///   because a line that wraps cannot be redrawn in place and leaves its first rows behind;
/// - it is cleared before any other line, redrawn below it, and cleared when the process
///   ends by any path;
/// - when either stream is not a terminal nothing is drawn: callers print plain lines, and no
///   carriage return or escape ever reaches a log.
final class StatusLine: Sendable {
    static let shared = StatusLine()

    /// Both streams are a terminal: a person is watching.
    let isInteractive: Bool
    private struct State {
        /// What the line shows now; nil when nothing is drawn.
        var text: String?
        var detail = ""
        var columns: Int
    }

    private let state: Mutex<State>

    private static let clear = "\r\u{1B}[2K"

    private init() {
        isInteractive = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
        state = Mutex(State(text: nil, columns: Self.terminalColumns()))
        guard isInteractive else { return }
        Self.watchWindowSize()
        // Ending the process by `exit` (every path but a crash) first takes the line away.
        atexit { StatusLine.shared.clearAtExit() }
    }

    /// Shows `label` and `detail` as the status line, replacing what it showed. When they do not
    /// fit, the label gives way first, from its start (a path's folders before its file name),
    /// so the progress stays in view. Does nothing off a terminal.
    func show(_ label: String, _ detail: String) {
        guard isInteractive else { return }
        state.withLock { state in
            state.text = label
            state.detail = detail
            Self.write(Self.clear + Self.fitted(label, detail, columns: state.columns))
        }
    }

    /// Writes a whole line to standard error above the status line, which stays below it.
    func printLine(_ text: String) {
        state.withLock { state in
            guard isInteractive, let status = state.text else { return Self.write(text + "\n") }
            Self.write(Self.clear + text + "\n" + Self.fitted(status, state.detail, columns: state.columns))
        }
    }

    /// Takes the status line away (before a result, an error, or the end).
    func clear() {
        state.withLock { state in
            if state.text != nil { Self.write(Self.clear) }
            state.text = nil
        }
    }

    /// The same from `exit`: another thread may hold the lock while the process ends, and
    /// waiting for it there would never return.
    private func clearAtExit() {
        _ = state.withLockIfAvailable { state in
            if state.text != nil { Self.write(Self.clear) }
            state.text = nil
        }
    }

    /// `text` cut to fit the terminal with room to spare: the last column is never written
    /// (some terminals wrap there), and two are left for the `^C` the terminal echoes when
    /// Ctrl-C is pressed, which would otherwise wrap onto a row the next clear cannot reach.
    static func fitted(_ label: String, _ detail: String, columns: Int) -> String {
        let room = max(8, columns - 3)
        guard label.count + detail.count > room else { return label + detail }
        let labelRoom = room - detail.count
        // Keep at least a few characters of the label; past that, the detail is cut at its end.
        guard labelRoom >= 6 else { return String((String(label.suffix(5)) + detail).prefix(room - 1)) + "…" }
        return "…" + label.suffix(labelRoom - 1) + detail
    }

    /// The terminal's width: the kernel's window size for standard error, else `COLUMNS`,
    /// else 80.
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// Kept alive for the process' life; set once, from the first use of `shared`.
    nonisolated(unsafe) private static var resizeSource: (any DispatchSourceSignal)?

    private static func watchWindowSize() {
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler {
            let columns = terminalColumns()
            shared.state.withLock { state in
                state.columns = columns
                if let text = state.text { write(clear + fitted(text, state.detail, columns: columns)) }
            }
        }
        source.resume()
        resizeSource = source
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
