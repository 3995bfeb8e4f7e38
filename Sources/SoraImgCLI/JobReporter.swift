import Foundation
import SoraImg
import Synchronization

/// Shows a job's progress: a bar that redraws on a terminal, plain lines on status changes
/// otherwise (logs, CI). Thread-safe, since batch items report from several threads.
final class JobReporter: Sendable {
    private let interactive: Bool
    private let quiet: Bool
    private let last = Mutex<[String: String]>([:])

    /// - Parameter quiet: `--json`: only errors on standard error.
    init(quiet: Bool = false) {
        interactive = Terminal.isInteractive && !quiet
        self.quiet = quiet
    }

    func handle(_ event: AnimateEvent, label: String) {
        // A warning, so even --json shows it (on standard error).
        if case .facesFound(let faces) = event {
            return line("soraimg: warning: \(label): \(FaceWarning.text(faces))")
        }
        guard !quiet else { return }
        switch event {
        case .facesFound:
            break
        case .prepared(let size, let format, let bytes, let removed):
            let stripped = removed.isEmpty ? "" : "; removed \(removed.map(\.rawValue).joined(separator: ", "))"
            line("\(label): reference \(size) \(format.displayName), \(PrepReporter.kilobytes(bytes))\(stripped)")
        case .uploading(let sent, let total) where interactive && total > 0:
            draw("\(label): uploading \(bar(Double(sent) / Double(total))) \(PrepReporter.kilobytes(sent))/\(PrepReporter.kilobytes(total))")
        case .uploading:
            break
        case .created(let video):
            line("\(label): created \(video.id) (\(video.status)); if interrupted, resume with: soraimg wait \(video.id)")
        case .status(let video):
            let percent = Int(video.progress ?? 0)
            let label = label == video.id ? "job" : label
            if interactive {
                draw("\(label): \(video.id) \(bar(Double(percent) / 100)) \(percent)% \(video.status)")
            } else {
                // A line when the status changes, or progress passes a quarter.
                let key = "\(video.status) \(percent / 25)"
                let changed = last.withLock { seen in
                    defer { seen[video.id] = key }
                    return seen[video.id] != key
                }
                if changed { line("\(label): \(video.id) \(video.status) \(percent)%") }
            }
        case .downloading(let variant, let received, let total) where interactive && total > 0:
            draw("\(label): downloading \(variant.rawValue) \(bar(Double(received) / Double(total)))")
        case .downloading:
            break
        case .downloaded(let variant, let path):
            line("\(label): \(variant.rawValue) → \(path)")
        case .resumed(let id, let status):
            let state = status == "downloaded" ? "made earlier; its file is not in place, so it is downloaded again" : "\(status) in the journal"
            line("\(label): resuming \(id) (\(state)); nothing new is paid for")
        case .alreadyMade(let id, let path):
            line("\(label): already made by \(id) → \(path); nothing sent (--force makes a new one)")
        }
    }

    private func bar(_ fraction: Double) -> String {
        let width = 24
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    private func draw(_ text: String) { Terminal.printError(Terminal.clearLine + text, newline: false) }

    private func line(_ text: String) { Terminal.printError((interactive ? Terminal.clearLine : "") + text) }
}
