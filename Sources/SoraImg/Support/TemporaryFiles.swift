import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The temporary files being written right now, so a signal that ends the process (a second
/// Ctrl-C, SIGTERM, SIGHUP) can remove them: nothing half-written stays behind.
public final class TemporaryFiles: Sendable {
    public static let shared = TemporaryFiles()
    private let paths = Mutex<(next: Int, open: [Int: String])>((0, [:]))

    /// Notes a file being written; returns the ticket to `unregister` it with.
    public func register(_ path: String) -> Int {
        paths.withLock { state in
            state.next += 1
            state.open[state.next] = path
            return state.next
        }
    }

    public func unregister(_ ticket: Int) {
        _ = paths.withLock { $0.open.removeValue(forKey: ticket) }
    }

    /// Removes every file still being written (the process is about to end).
    public func removeAll() {
        let open = paths.withLock { state in
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for path in open { _ = FileName.withCString(path) { unlink($0) } }
    }
}
