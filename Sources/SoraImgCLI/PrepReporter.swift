import Foundation
import SoraImg
import Synchronization

/// Prints prep results: a result line per input on standard output as each ends (what was
/// written where), what it removed on standard error, a progress line at the bottom of
/// standard error while a batch runs on a terminal, and with `--json` one document on standard
/// output at the end (the result lines then go to standard error).
final class PrepReporter: Sendable {
    private let json: Bool
    private let quiet: Bool
    private let total: Int
    /// Only when a person is watching: both streams on a terminal, and more than one image.
    private let showsProgress: Bool
    private let finished = Mutex((count: 0, failed: 0))

    init(json: Bool, quiet: Bool = false, total: Int) {
        self.json = json
        self.quiet = quiet
        self.total = total
        showsProgress = !json && !quiet && total > 1 && StatusLine.shared.isInteractive
        if showsProgress { StatusLine.shared.show("[0/\(total)]", " preparing…") }
    }

    func report(_ outcome: PrepOutcome) {
        // The result line, for standard output unless that holds the image or the JSON.
        var result: String?
        // Notes for standard error, and what is shown even with --quiet.
        var notes: [String] = []
        var warnings: [String] = []
        switch outcome.result {
        case .success(let written):
            let destination = written.output ?? "standard output"
            let line = "\(outcome.input) → \(destination)  \(written.size) \(written.format.displayName), \(Self.kilobytes(written.byteCount))"
            if written.output == nil || json { notes.append(line) } else { result = FileName.display(line) }
            if written.removed.isEmpty {
                notes.append("  removed: nothing identifying was found")
            } else {
                notes += written.removed.map { "  removed \($0.kind.rawValue): \($0.detail)" }
            }
            if let factor = written.upscale {
                warnings.append(UpscaleWarning.line(factor, input: outcome.input.description, from: written.source.upright, to: written.size))
            }
            if let faces = written.faces, !faces.isEmpty {
                warnings.append("soraimg: warning: \(outcome.input): \(FaceWarning.text(faces))")
            }
        case .failure(let error):
            warnings.append("soraimg: \(outcome.input.description.printable(limit: 300)): \(error.message)")
        }
        let errorText = ((quiet ? [] : notes) + warnings).joined(separator: "\n")
        finished.withLock { state in
            state.count += 1
            if case .failure = outcome.result { state.failed += 1 }
            // Results scroll above; the progress line stays at the bottom.
            if let result {
                StatusLine.shared.clear()
                FileHandle.standardOutput.write(Data((result + "\n").utf8))
            }
            if !errorText.isEmpty { Self.printError(errorText) }
            guard showsProgress else { return }
            if state.count < total { StatusLine.shared.show("[\(state.count)/\(total)]", " preparing…") } else { StatusLine.shared.clear() }
        }
    }

    func finish(_ outcomes: [PrepOutcome]) {
        StatusLine.shared.clear()
        let failed = outcomes.filter { if case .failure = $0.result { true } else { false } }.count
        if outcomes.count > 1, !quiet || failed > 0 {
            Self.printError("\(outcomes.count - failed) prepared, \(failed) failed")
        }
        if json { printJSON(PrepDocument(outcomes)) }
    }

    /// Ctrl-C (or SIGTERM, SIGHUP) during a batch: the summary of what was done, the files
    /// being written removed, and the signal's exit code. What is written is whole.
    func interrupted(exitCode: Int32) -> Never {
        TemporaryFiles.shared.removeAll()
        // The lock is held until the process ends: a result reported meanwhile (a worker, or
        // the commit queue finishing a file) would otherwise draw its progress line again
        // below the summary, and leave it there.
        return finished.withLock { state -> Never in
            StatusLine.shared.clear()
            Self.printError("interrupted: \(state.count - state.failed) prepared, \(state.failed) failed, \(total - state.count) not prepared")
            exit(exitCode)
        }
    }

    /// Names that were not UTF-8 show their odd bytes as `\xNN` (`FileName.display`).
    static func printError(_ text: String, newline: Bool = true) {
        Terminal.printError(FileName.display(text), newline: newline)
    }

    static func kilobytes(_ count: Int) -> String {
        count < 10_240 ? "\(count) bytes" : "\((count + 512) / 1024) KB"
    }
}

/// The `--json` shape of `prep`, as the README documents it for scripts: keys stay stable.
struct PrepDocument: Encodable {
    struct Output: Encodable {
        let input: String
        let output: String?
        let width: Int
        let height: Int
        let format: String
        let bytes: Int
        let removed: [String]
        /// Human faces in the output; absent when detection was off or unavailable.
        let faces: [FaceBox]?
        /// How many times the photo was enlarged; absent when it was not.
        let upscale: Double?
    }

    struct Failure: Encodable {
        let input: String
        let exit_code: Int32
        let message: String
    }

    let outputs: [Output]
    let errors: [Failure]

    init(_ outcomes: [PrepOutcome]) {
        var outputs: [Output] = []
        var errors: [Failure] = []
        for outcome in outcomes {
            switch outcome.result {
            case .success(let written):
                outputs.append(Output(
                    input: FileName.display(outcome.input.description), output: written.output.map(FileName.display), width: written.size.width,
                    height: written.size.height, format: written.format.rawValue, bytes: written.byteCount,
                    removed: written.removed.kinds.map(\.rawValue), faces: written.faces, upscale: written.upscale))
            case .failure(let error):
                errors.append(Failure(
                    input: FileName.display(outcome.input.description), exit_code: error.exitStatus.rawValue,
                    message: FileName.display(error.message)))
            }
        }
        self.outputs = outputs
        self.errors = errors
    }
}
