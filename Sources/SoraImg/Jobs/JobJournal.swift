import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The local record of every request and job (`$XDG_STATE_HOME/soraimg/jobs.jsonl`), one JSON
/// object per line, append-only. A create is recorded before it is sent and its job's id as
/// soon as it is known, each line synced to disk before soraimg waits, so a paid job is never
/// lost to a crash, Ctrl-C or a closed terminal. It never holds an API key.
///
/// Several soraimg processes may share it: each line is written whole under an advisory lock,
/// and creates take a second lock (`withCreateLock`) so that two runs of the same command make
/// one job. A line cut short (a full disk, a crash) is skipped on reading and reported.
public final class JobJournal: Sendable {
    public let path: String
    private let state = Mutex(State())

    private struct State {
        var index = JournalIndex()
        /// Bytes of the file already read into `index`.
        var offset: off_t = 0
        /// An unfinished last line left for the next read (another process may be mid-write).
        var partial: [UInt8] = []
    }

    public init(path: String) {
        self.path = path
    }

    /// `$XDG_STATE_HOME/soraimg/jobs.jsonl`, or `~/.local/state/soraimg/jobs.jsonl`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> JobJournal {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return JobJournal(path: state + "/soraimg/jobs.jsonl")
    }

    /// The journal as read so far, with any lines other processes appended since.
    public func index() -> JournalIndex {
        state.withLock { state in
            readNewLines(into: &state)
            return state.index
        }
    }

    /// Appends one record as one whole line, synced to disk, and adds it to the index.
    public func append(_ record: JournalRecord) throws(JournalError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(record) else { throw JournalError(path: path, "cannot encode a journal line") }
        line.append(0x0A)
        try createFolder()
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(path: path, "cannot open", errno: errno) }
        defer { close(fd) }
        // Another soraimg may be appending: whole lines, one writer at a time.
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw JournalError(path: path, "cannot lock", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        let size = lseek(fd, 0, SEEK_END)
        // After a torn write, start on a fresh line, or this record would be glued to the
        // broken one and lost with it.
        var last: UInt8 = 0x0A
        if size > 0, pread(fd, &last, 1, size - 1) == 1, last != 0x0A { line.insert(0x0A, at: 0) }
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let writeError = errno
        guard written == line.count else {
            // Take a partial line back, so the journal does not end in a torn record.
            if size >= 0 { _ = ftruncate(fd, size) }
            throw written < 0
                ? JournalError(path: path, "cannot write", errno: writeError)
                : JournalError(path: path, "cannot write (only \(written) of \(line.count) bytes went in; is the disk full?)")
        }
        guard fsync(fd) == 0 else { throw JournalError(path: path, "cannot sync", errno: errno) }
        state.withLock { state in
            readNewLines(into: &state)
        }
    }

    /// Runs `body` holding the journal's create lock, which every soraimg process takes around
    /// deciding whether to create a job and recording the create's outcome. A second run of the
    /// same command waits here, then finds the first one's job in the journal.
    /// - Parameter cancelled: checked while waiting; when it turns true the wait ends with an
    ///   error.
    public func withCreateLock<Value>(
        cancelled: () -> Bool = { false }, _ body: () throws(VideosError) -> Value
    ) throws(VideosError) -> Value {
        do {
            try createFolder()
        } catch {
            throw VideosError(.cannotWrite, error.description)
        }
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw VideosError(.cannotWrite, JournalError(path: lockPath, "cannot open", errno: errno).description) }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw VideosError(.cannotWrite, JournalError(path: lockPath, "cannot lock", errno: errno).description)
            }
            if cancelled() { throw VideosError(.interrupted, "interrupted while another soraimg was creating a job") }
            usleep(20_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func createFolder() throws(JournalError) {
        let folder = FileName.parent(of: path)
        guard !folder.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JournalError(path: folder, "cannot create the journal's folder")
        }
    }

    /// Reads what was appended since the last read. Only whole lines are taken; a last line
    /// without its newline waits for the next read, unless more lines follow it (a torn
    /// write that a later append started a fresh line after).
    private func readNewLines(into state: inout State) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var chunk = state.partial
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, state.offset) }
            guard got > 0 else { break }
            state.offset += off_t(got)
            chunk.append(contentsOf: buffer.prefix(got))
        }
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: 0x0A) {
            state.index.add(line: chunk[start..<newline])
            start = newline + 1
        }
        state.partial = Array(chunk[start...])
        state.index.tornTail = !state.partial.isEmpty
    }
}

/// The journal could not be read or written; says which file and why.
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    init(path: String, _ what: String, errno code: Int32? = nil) {
        self.path = path
        message = code.map { "\(what) \(path): \(String(cString: strerror($0)))" } ?? "\(what) \(path)"
    }

    public var description: String { message }
}
