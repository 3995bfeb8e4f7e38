import Foundation
import Testing

/// The README's examples marked `<!-- runnable -->` (those that need no real key or host) run
/// as written, top to bottom, against a sandbox: the URL and key come from the environment,
/// as the README tells a newcomer to set them.
@Suite("README examples (binary)")
struct ReadmeExamplesTests {
    static let marker = "<!-- runnable -->"

    /// The shell blocks right after each marker, in order.
    static func runnableBlocks(in text: String) -> [String] {
        var blocks: [String] = []
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard lines[index].trimmingCharacters(in: .whitespaces) == marker, index + 1 < lines.count,
                lines[index + 1].hasPrefix("```sh")
            else { continue }
            var block: [String] = []
            index += 2
            while index < lines.count, !lines[index].hasPrefix("```") {
                block.append(lines[index])
                index += 1
            }
            blocks.append(block.joined(separator: "\n"))
        }
        return blocks
    }

    @Test("the first five minutes run as written against the sandbox")
    func firstFiveMinutes() throws {
        let readme = try String(contentsOfFile: Paths.root + "/README.md", encoding: .utf8)
        let blocks = Self.runnableBlocks(in: readme)
        #expect(blocks.count >= 4, "runnable blocks found: \(blocks.count)")
        let sandbox = try SandboxProcess(jobSeconds: 0.5)
        // The README runs from the repository's folder; the test runs in a folder of its own
        // holding the same relative path, so nothing is written into the repository.
        try FileManager.default.createDirectory(atPath: sandbox.folder.file("Fixtures/demo"), withIntermediateDirectories: true)
        sandbox.folder.copy(Paths.fixture("demo/holiday.jpg"), as: "Fixtures/demo/holiday.jpg")
        var environment = sandbox.environment
        environment["PATH"] = (Paths.binary as NSString).deletingLastPathComponent + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let script = "set -euo pipefail\n" + blocks.joined(separator: "\n")
        let result = try runProcess("/bin/bash", ["-c", script], in: sandbox.folder.path, environment: environment, timeLimit: 300)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        for made in ["holiday.preview.png", "prepared/holiday.1280x720.jpg", "holiday.mp4"] {
            #expect(FileManager.default.fileExists(atPath: sandbox.folder.file(made)), "\(made) missing")
        }
        #expect(isMP4(sandbox.folder.file("holiday.mp4")))
        // The second animate resumed from the journal: one job in all.
        #expect(sandbox.jobCount == 1)
        // The result line of what was already made goes to standard output, with the others.
        #expect(result.stdoutText.contains("already made by"), "\(result.stdoutText)")
    }

    @Test("markers are found only before shell blocks")
    func extraction() {
        let text = "intro\n\(Self.marker)\n```sh\nsoraimg one\nsoraimg two\n```\n```sh\nnot marked\n```\n\(Self.marker)\ntext\n"
        #expect(Self.runnableBlocks(in: text) == ["soraimg one\nsoraimg two"])
    }
}
