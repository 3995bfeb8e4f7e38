import Foundation
import SoraImg
import Synchronization

/// Prints prep results: a line per input on standard error as each ends, a progress line at
/// the bottom while a batch runs on a terminal, and with `--json` one document on standard
/// output at the end.
final class PrepReporter: Sendable {
    private let json: Bool
    private let total: Int
    /// Only when a person is watching: both streams on a terminal, and more than one image.
    private let showsProgress: Bool
    private let finished = Mutex(0)

    init(json: Bool, total: Int) {
        self.json = json
        self.total = total
        showsProgress = !json && total > 1 && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
        if showsProgress { Self.printError("[0/\(total)] preparing…", newline: false) }
    }

    private static let clearLine = "\r\u{1B}[2K"

    func report(_ outcome: PrepOutcome) {
        let text: String
        switch outcome.result {
        case .success(let written):
            let destination = written.output ?? "standard output"
            var lines = ["\(outcome.input) → \(destination)  \(written.size) \(written.format.displayName), \(Self.kilobytes(written.byteCount))"]
            if written.removed.isEmpty {
                lines.append("  removed: nothing identifying was found")
            } else {
                lines += written.removed.map { "  removed \($0.kind.rawValue): \($0.detail)" }
            }
            if let factor = written.upscale {
                lines.append(UpscaleWarning.line(factor, input: outcome.input.description, from: written.source.upright, to: written.size))
            }
            if let faces = written.faces, !faces.isEmpty {
                lines.append("soraimg: warning: \(outcome.input): \(FaceWarning.text(faces))")
            }
            text = lines.joined(separator: "\n")
        case .failure(let error):
            text = "soraimg: \(outcome.input): \(error.message)"
        }
        finished.withLock { count in
            count += 1
            guard showsProgress else { return Self.printError(text) }
            // Results scroll above; the progress line stays at the bottom.
            Self.printError(Self.clearLine + text)
            if count < total { Self.printError("[\(count)/\(total)] preparing…", newline: false) }
        }
    }

    func finish(_ outcomes: [PrepOutcome]) {
        let failed = outcomes.filter { if case .failure = $0.result { true } else { false } }.count
        if outcomes.count > 1 {
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
                    input: outcome.input.description, output: written.output, width: written.size.width,
                    height: written.size.height, format: written.format.rawValue, bytes: written.byteCount,
                    removed: written.removed.kinds.map(\.rawValue), faces: written.faces, upscale: written.upscale))
            case .failure(let error):
                errors.append(Failure(input: outcome.input.description, exit_code: error.exitStatus.rawValue, message: error.message))
            }
        }
        self.outputs = outputs
        self.errors = errors
    }
}
