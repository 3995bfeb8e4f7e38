import Foundation
import SoraImg
import Synchronization

/// Shows a job's progress: a bar in the terminal's status line, plain lines on status changes
/// otherwise (logs, CI). Result lines (a file written, a job already made) go to standard
/// output, everything else to standard error. Thread-safe, since batch items report from
/// several threads. Every text a server sent is made printable before it is shown.
final class JobReporter: Sendable {
    private let interactive: Bool
    private let quiet: Bool
    private let json: Bool
    private let last = Mutex<[String: String]>([:])
    private let resumedJobs = Mutex(0)

    /// - Parameters:
    ///   - json: standard output holds the JSON document: no result lines there, and only
    ///     warnings and errors on standard error.
    ///   - quiet: `--quiet`: only warnings and errors on standard error; result lines stay.
    init(json: Bool = false, quiet: Bool = false) {
        interactive = StatusLine.shared.isInteractive && !quiet && !json
        self.quiet = quiet || json
        self.json = json
    }

    /// Jobs found in the journal (resumed, or already done) rather than paid for.
    var resumed: Int { resumedJobs.withLock { $0 } }

    func handle(_ event: JobEvent, label: String) {
        let label = label.printable(limit: 200)
        // Warnings show under --json and --quiet too (on standard error).
        if case .facesFound(let faces) = event {
            return line("soraimg: warning: \(label): \(FaceWarning.text(faces))")
        }
        if case .prepared(let size, _, _, _, let upscale?) = event {
            line(UpscaleWarning.line(upscale, input: label, from: nil, to: size))
        }
        switch event {
        case .resumed, .alreadyMade: resumedJobs.withLock { $0 += 1 }
        default: break
        }
        // Result lines: what was written where.
        switch event {
        case .downloaded(let variant, let path):
            return result("\(label): \(variant.rawValue) → \(path.printable(limit: 300))")
        case .alreadyMade(let id, let path):
            return result("\(label): already made by \(id.printable(limit: 200)) → \(path.printable(limit: 300)); nothing sent (--force downloads it again)")
        case .alreadyDownloaded(let variant, let path):
            return result("\(label): \(variant.rawValue) already downloaded → \(path.printable(limit: 300)); nothing fetched (--force fetches it again)")
        default:
            break
        }
        guard !quiet else { return }
        switch event {
        case .facesFound:
            break
        case .prepared(let size, let format, let bytes, let removed, _):
            let stripped = removed.isEmpty ? "" : "; removed \(removed.map(\.rawValue).joined(separator: ", "))"
            line("\(label): reference \(size) \(format.displayName), \(PrepReporter.kilobytes(bytes))\(stripped)")
        case .uploading(let sent, let total) where interactive && total > 0:
            draw(label, ": uploading \(bar(Double(sent) / Double(total))) \(PrepReporter.kilobytes(sent))/\(PrepReporter.kilobytes(total))")
        case .uploading:
            break
        case .waitingForAnotherCreate:
            line("\(label): another soraimg is creating a job; waiting for it, so the same request is not paid for twice")
        case .created(let job):
            line("\(label): created \(job.displayID) (\(job.providerStatus)); if interrupted, resume with: soraimg wait \(job.displayID)")
        case .retrying(let reason, let delay, let attempt, let limit):
            line("\(label): \(reason); retrying in \(Self.seconds(delay)) (\(attempt)/\(limit))")
        case .status(let job):
            let percent = Int(job.progress ?? 0)
            // A provider that reports no progress (Gemini's operations) gets no percentage,
            // rather than a 0% that never moves.
            let shown = job.progress == nil ? "" : " \(percent)%"
            let label = label == job.displayID ? "job" : label
            if interactive {
                // What matters most first: a narrow terminal cuts from the end.
                draw(label, ":\(shown) \(job.providerStatus) \(bar(Double(percent) / 100)) \(job.displayID)")
            } else {
                // A line when the status changes, or progress passes a quarter.
                let key = "\(job.providerStatus) \(percent / 25)"
                let changed = last.withLock { seen in
                    defer { seen[job.id] = key }
                    return seen[job.id] != key
                }
                if changed { line("\(label): \(job.displayID) \(job.providerStatus)\(shown)") }
            }
        case .downloading(let variant, let received, let total) where interactive && total > 0:
            draw(label, ": downloading \(variant.rawValue) \(bar(Double(received) / Double(total)))")
        case .downloading:
            break
        case .downloaded, .alreadyMade, .alreadyDownloaded:
            break
        case .resumed(let id, let status):
            let state = status.map { "\($0.rawValue) in the journal" } ?? "in the journal"
            line("\(label): resuming \(id.printable(limit: 200)) (\(state)); nothing new is paid for")
        }
    }

    /// Clears a bar left on the screen (before the result line, on every exit path).
    func finish() {
        StatusLine.shared.clear()
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f s", value) : "\(Int(value.rounded())) s"
    }

    private func bar(_ fraction: Double) -> String {
        let width = 24
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    private func draw(_ label: String, _ detail: String) {
        StatusLine.shared.show(label, detail)
    }

    /// A result line on standard output (none with --json), after clearing any bar.
    private func result(_ text: String) {
        guard !json else { return }
        StatusLine.shared.clear()
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A line that stays; the bar it interrupts is taken away, and comes back with the next
    /// progress report.
    private func line(_ text: String) {
        StatusLine.shared.clear()
        Terminal.printError(text)
    }
}
