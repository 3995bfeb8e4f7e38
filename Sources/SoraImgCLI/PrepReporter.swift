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
    private let finished = Mutex(0)

    init(json: Bool, quiet: Bool = false, total: Int) {
        self.json = json
        self.quiet = quiet
        self.total = total
        showsProgress = !json && !quiet && total > 1 && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
        if showsProgress { Self.printError("[0/\(total)] preparing…", newline: false) }
    }

    private static let clearLine = "\r\u{1B}[2K"

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
            if written.output == nil || json { notes.append(line) } else { result = line }
            if written.removed.isEmpty {
                notes.append("  removed: nothing identifying was found")
            } else {
                notes += written.removed.map { "  removed \($0.kind.rawValue): \($0.detail)" }
            }
            if let faces = written.faces, !faces.isEmpty {
                warnings.append("soraimg: warning: \(outcome.input): \(FaceWarning.text(faces))")
            }
        case .failure(let error):
            warnings.append("soraimg: \(outcome.input.description.printable(limit: 300)): \(error.message)")
        }
        let errorText = ((quiet ? [] : notes) + warnings).joined(separator: "\n")
        finished.withLock { count in
            count += 1
            // Results scroll above; the progress line stays at the bottom.
            if showsProgress { Self.printError(Self.clearLine, newline: false) }
            if let result { FileHandle.standardOutput.write(Data((result + "\n").utf8)) }
            if !errorText.isEmpty { Self.printError(errorText) }
            if showsProgress, count < total { Self.printError("[\(count)/\(total)] preparing…", newline: false) }
        }
    }

    func finish(_ outcomes: [PrepOutcome]) {
        let failed = outcomes.filter { if case .failure = $0.result { true } else { false } }.count
        if outcomes.count > 1, !quiet || failed > 0 {
            Self.printError("\(outcomes.count - failed) prepared, \(failed) failed")
        }
        if json { printJSON(PrepDocument(outcomes)) }
    }

    static func printError(_ text: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((text + (newline ? "\n" : "")).utf8))
    }

    static func kilobytes(_ count: Int) -> String {
        count < 10_240 ? "\(count) bytes" : "\((count + 512) / 1024) KB"
    }
}

/// The `--json` shape of DESIGN.md §2.
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
                    input: outcome.input.description, output: written.output, width: written.size.width,
                    height: written.size.height, format: written.format.rawValue, bytes: written.byteCount,
                    removed: written.removed.kinds.map(\.rawValue), faces: written.faces))
            case .failure(let error):
                errors.append(Failure(input: outcome.input.description, exit_code: error.exitStatus.rawValue, message: error.message))
            }
        }
        self.outputs = outputs
        self.errors = errors
    }
}
