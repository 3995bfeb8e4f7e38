import Foundation
import Testing

/// The line that redraws at the bottom of a terminal, through the built binary on a 60-column
/// pseudo-terminal: it never wraps (a wrapped line cannot be redrawn in place and leaves rows
/// behind), and nothing of it stays once the command ends, Ctrl-C included.
@Suite("the terminal display (binary)")
struct StatusLineTests {
    private static let columns = 60

    /// Rows that only a status line draws: a bar, a batch count, a transfer.
    private func stale(_ screen: [String]) -> [String] {
        screen.filter { row in
            row.contains("[#") || row.contains("[.") || row.contains("#]") || row.contains(".]") || row.contains("preparing…")
                || row.contains("% in_progress") || row.contains("% queued")
        }
    }

    private func expectTidy(_ terminal: PseudoTerminal, sourceLocation: SourceLocation = #_sourceLocation) {
        let wide = terminal.overwrittenDraws.filter { $0.count > Self.columns }
        #expect(wide.isEmpty, "status lines wider than the terminal: \(wide)", sourceLocation: sourceLocation)
        let screen = terminal.screen(columns: Self.columns)
        #expect(stale(screen).isEmpty, "left on the screen: \(stale(screen))\n\(screen.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    @Test("animate's bar fits a 60-column terminal and is gone at the end")
    func animate() throws {
        let sandbox = try SandboxProcess(jobSeconds: 3)
        // A long path, so every line that names the photo is wider than the terminal.
        let photo = sandbox.folder.copy(Paths.fixture("demo/holiday.jpg"), as: "a-rather-long-name-for-a-holiday-photo.jpg")
        let terminal = try PseudoTerminal(
            columns: Self.columns, [Paths.binary, "animate", photo, "--prompt", "waves roll in", "-o", sandbox.folder.file("out.mp4")],
            environment: sandbox.environment, in: sandbox.folder.path)
        #expect(terminal.status == 0, "\(terminal.output)")
        #expect(terminal.overwrittenDraws.contains { $0.contains("in_progress") }, "no bar was drawn: \(terminal.output)")
        expectTidy(terminal)
        #expect(terminal.screen(columns: Self.columns).last == "", "the last row holds: \(terminal.screen(columns: Self.columns).last ?? "")")
    }

    @Test("the window shrinks while animate waits: the bar is redrawn to the new width")
    func resized() throws {
        let sandbox = try SandboxProcess(jobSeconds: 6)
        let photo = sandbox.folder.copy(Paths.fixture("demo/holiday.jpg"), as: "a-rather-long-name-for-a-holiday-photo.jpg")
        let terminal = try PseudoTerminal(
            columns: 100, [Paths.binary, "animate", photo, "--prompt", "waves roll in", "-o", sandbox.folder.file("out.mp4")],
            environment: sandbox.environment, in: sandbox.folder.path, resize: (after: 3, columns: 40))
        #expect(terminal.status == 0, "\(terminal.output)")
        let after = terminal.overwrittenDrawsAfterResize
        #expect(after.contains { $0.contains("%") }, "no bar drawn after the resize: \(terminal.output)")
        #expect(after.allSatisfy { $0.count <= 40 }, "\(after.filter { $0.count > 40 })")
        // Before it, the wider window was used: the label was not cut as short.
        #expect(terminal.overwrittenDraws.contains { $0.count > 40 && $0.count <= 100 })
    }

    @Test("Ctrl-C while animate waits: the bar is cleared before the message, nothing stale")
    func interruptedAnimate() throws {
        let sandbox = try SandboxProcess(jobSeconds: 30)
        let photo = sandbox.folder.copy(Paths.fixture("demo/holiday.jpg"), as: "a-rather-long-name-for-a-holiday-photo.jpg")
        let terminal = try PseudoTerminal(
            columns: Self.columns, [Paths.binary, "animate", photo, "--prompt", "waves roll in", "-o", sandbox.folder.file("out.mp4")],
            environment: sandbox.environment, in: sandbox.folder.path, interruptAfter: 4)
        #expect(terminal.status == 130, "\(terminal.output)")
        let screen = terminal.screen(columns: Self.columns)
        #expect(screen.contains { $0.contains("soraimg wait") }, "\(screen)")
        // The message starts a row of its own, never after a bar and the echoed ^C.
        #expect(!screen.contains { $0.contains("^Csoraimg") || $0.contains("%^C") }, "\(screen)")
        expectTidy(terminal)
    }

    @Test("Ctrl-C in a prep batch prints its summary and leaves no progress line")
    func interruptedPrep() throws {
        let folder = Paths.temporaryFolder()
        let inputs = (0..<60).map { folder.copy(Paths.fixture("demo/holiday.jpg"), as: "photo-\($0).jpg") }
        let terminal = try PseudoTerminal(
            columns: Self.columns, [Paths.binary, "prep"] + inputs + ["-o", folder.file("out/"), "--jobs", "1", "--size", "max", "--model", "sora-2-pro"],
            in: folder.path, interruptAfter: 1.5)
        #expect(terminal.status == 130, "\(terminal.output)")
        let screen = terminal.screen(columns: Self.columns)
        #expect(screen.contains { $0.hasPrefix("interrupted:") && $0.contains("not prepared") }, "\(screen)")
        expectTidy(terminal)
        // Nothing half-written is left in the output folder.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.file("out"))) ?? []
        #expect(left.filter { $0.hasSuffix(".tmp") }.isEmpty, "\(left)")
    }

    @Test("off a terminal: plain lines, no carriage return or escape")
    func plain() throws {
        let sandbox = try SandboxProcess(jobSeconds: 1)
        let photo = sandbox.folder.copy(Paths.fixture("demo/holiday.jpg"))
        let result = try sandbox.run(["animate", photo, "--prompt", "waves roll in"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("\u{1B}"), "\(result.stderr)")
        let prep = try soraimg(["prep", photo, Paths.fixture("pattern-portrait.png"), "-o", sandbox.folder.file("out/")])
        #expect(prep.status == 0 && !prep.stderr.contains("\r") && !prep.stderr.contains("\u{1B}"), "\(prep.stderr)")
    }
}
