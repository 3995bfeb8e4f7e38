import Foundation

/// Runs a program on a pseudo-terminal of a given width, as a person at a terminal would, and
/// reads back what its screen shows. Both of its streams are the terminal.
struct PseudoTerminal {
    /// Everything written to the terminal, escapes included.
    let output: String
    let status: Int32

    /// Python's `pty` runs the program: the width is set on the terminal before it starts, and
    /// Ctrl-C is *typed* (a 0x03 byte), so the terminal echoes `^C` and signals the process
    /// group exactly as a keyboard does.
    private static let driver = """
        import fcntl, os, pty, select, signal, struct, sys, termios, time
        RESIZED = b"<<window resized>>"
        columns, interrupt_after, limit = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
        resize_after, resize_columns = float(sys.argv[4]), int(sys.argv[5])
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            # As a shell starts it: the test runner may ignore or block Ctrl-C, and children
            # inherit both.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            os.execv(sys.argv[6], sys.argv[6:])
        start, typed, resized, out = time.monotonic(), False, False, bytearray()
        # Ctrl-C is timed from the program's first output, not its start: on a loaded machine
        # starting can take longer than the wait, and a person types it while the work shows.
        first_output = None
        while time.monotonic() - start < limit:
            if interrupt_after > 0 and not typed and first_output is not None and time.monotonic() - first_output > interrupt_after:
                os.write(fd, b"\\x03")
                typed = True
            if resize_after > 0 and not resized and time.monotonic() - start > resize_after:
                # The window shrinks: the kernel signals SIGWINCH to the program.
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, resize_columns, 0, 0))
                out += RESIZED
                resized = True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                if first_output is None:
                    first_output = time.monotonic()
                out += chunk
        else:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        sys.stdout.buffer.write(out)
        sys.stderr.write(str(os.waitstatus_to_exitcode(status)))
        """

    /// Runs `arguments` (the program first) on a terminal `columns` wide, typing Ctrl-C
    /// `interruptAfter` seconds after its first output when given; killed after `limit` seconds.
    /// With `resize`, the window becomes `columns` wide `after` seconds; `output` marks the
    /// moment with `resizedMarker`.
    init(
        columns: Int, _ arguments: [String], environment: [String: String]? = nil, in directory: String? = nil, interruptAfter: Double = 0,
        resize: (after: Double, columns: Int)? = nil, limit: Double = 60
    ) throws {
        let resizing = ["\(resize?.after ?? 0)", "\(resize?.columns ?? columns)"]
        let result = try runProcess(
            "/usr/bin/env", ["python3", "-c", Self.driver, "\(columns)", "\(interruptAfter)", "\(limit)"] + resizing + arguments, in: directory,
            environment: environment, timeLimit: limit + 10)
        output = result.stdoutText
        status = Int32(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Where the window was resized in `output`.
    static let resizedMarker = "<<window resized>>"

    /// What was drawn and then drawn over (after `\r` or an erase-line) before the line
    /// ended: the redrawn status lines.
    var overwrittenDraws: [String] { Self.overwrittenDraws(in: output) }

    /// The same for the part of the output after the window was resized.
    var overwrittenDrawsAfterResize: [String] {
        guard let range = output.range(of: Self.resizedMarker) else { return [] }
        return Self.overwrittenDraws(in: String(output[range.upperBound...]))
    }

    private static func overwrittenDraws(in output: String) -> [String] {
        var draws: [String] = []
        for line in Self.strippingOtherEscapes(output).components(separatedBy: "\n") {
            let pieces = line.replacingOccurrences(of: "\u{1B}[2K", with: "\r").components(separatedBy: "\r")
            draws += pieces.dropLast().filter { !$0.isEmpty }
        }
        return draws
    }

    /// The rows of the screen at the end, as a terminal `columns` wide with automatic wrapping
    /// shows them (scrolled-off rows kept).
    func screen(columns: Int) -> [String] {
        var rows: [[Character]] = [[]]
        var column = 0
        var text = Self.strippingOtherEscapes(output)[...]
        while let character = text.first {
            if text.hasPrefix("\u{1B}[2K") {
                rows[rows.count - 1] = []
                text = text.dropFirst(4)
                continue
            }
            text = text.dropFirst()
            switch character {
            case "\r": column = 0
            case "\n", "\r\n":
                rows.append([])
                column = 0
            default:
                if column == columns {
                    rows.append([])
                    column = 0
                }
                var row = rows[rows.count - 1]
                while row.count < column { row.append(" ") }
                if column < row.count { row[column] = character } else { row.append(character) }
                rows[rows.count - 1] = row
                column += 1
            }
        }
        return rows.map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// The output without escape sequences other than erase-line (colours, cursor moves), and
    /// with plain line ends.
    private static func strippingOtherEscapes(_ text: String) -> String {
        // The terminal turns each "\n" into "\r\n"; that carriage return redraws nothing.
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\u{1B}\\[(?!2K)[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
    }
}
