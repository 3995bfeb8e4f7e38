import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One event in the journal: a job created, finished, downloaded or deleted.
public struct JournalEntry: Codable, Sendable, Equatable {
    public var id: String
    /// ISO 8601, UTC.
    public var time: String
    public var baseURL: String
    public var model: String?
    public var size: String?
    public var seconds: String?
    public var prompt: String?
    /// The reference image, when there was one.
    public var input: String?
    /// Where the video is meant to go (or went).
    public var output: String?
    public var status: String
    /// SHA-256 (hex) of the reference image as uploaded, so a rerun of the same command can
    /// find this job again instead of paying for another (`AnimateRunner`).
    public var reference: String?

    enum CodingKeys: String, CodingKey {
        case id, time, model, size, seconds, prompt, input, output, status
        case baseURL = "base_url"
        case reference = "reference_sha256"
    }

    /// Every key is written, `null` when unknown, so each line stands on its own.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(time, forKey: .time)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(model, forKey: .model)
        try container.encode(size, forKey: .size)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
        try container.encode(status, forKey: .status)
        try container.encode(reference, forKey: .reference)
    }

    public init(
        id: String, baseURL: String, model: String?, size: String?, seconds: String?, prompt: String?, input: String?,
        output: String?, status: String, reference: String? = nil, time: Date = Date()
    ) {
        self.id = id
        self.baseURL = baseURL
        self.model = model
        self.size = size
        self.seconds = seconds
        self.prompt = prompt
        self.input = input
        self.output = output
        self.status = status
        self.reference = reference
        self.time = ISO8601DateFormatter().string(from: time)
    }
}

/// The local record of every job soraimg created (`$XDG_STATE_HOME/soraimg/jobs.jsonl`): one
/// JSON object per line, appended and synced before soraimg waits on a job, so a paid job is
/// never lost to a crash, Ctrl-C or a closed terminal. It never holds the API key.
public struct Journal: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/soraimg/jobs.jsonl`, or `~/.local/state/soraimg/jobs.jsonl`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> Journal {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return Journal(path: state + "/soraimg/jobs.jsonl")
    }

    /// Appends one event and syncs it to disk.
    public func append(_ entry: JournalEntry) throws(VideosError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw VideosError(.cannotWrite, "cannot create the journal folder \(folder): \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { throw VideosError(.cannotWrite, "cannot encode a journal entry") }
        line.append(0x0A)
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw VideosError(.cannotWrite, "cannot open the journal \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // After a torn write (a crash mid-line), start on a fresh line, or this event would be
        // glued to the broken one and lost with it.
        var last: UInt8 = 0x0A
        let size = lseek(fd, 0, SEEK_END)
        if size > 0, pread(fd, &last, 1, size - 1) == 1, last != 0x0A { line.insert(0x0A, at: 0) }
        // One write of a whole line with O_APPEND: concurrent soraimg processes never interleave.
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw VideosError(.cannotWrite, "cannot write the journal \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Every event, oldest first; lines that do not parse (a torn write, a hand edit) are skipped.
    public func entries() -> [JournalEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(JournalEntry.self, from: Data($0)) }
    }

    /// The latest state of each job, merged over its events (later fields win when present),
    /// in the order the jobs were first recorded.
    public func jobs() -> [JournalEntry] {
        Self.merged(entries().filter { !$0.id.hasPrefix(Self.unconfirmedPrefix) })
    }

    /// Marks the ids of creates recorded before they are sent (`AnimateRunner`): such an entry
    /// is resolved as `confirmed` or `not-created`, or stays `unconfirmed` when soraimg never
    /// learned whether the service made a job. These are not jobs, so `jobs()` leaves them out.
    public static let unconfirmedPrefix = "unconfirmed-"

    /// Creates that were sent and never confirmed either way, oldest first.
    public func unconfirmedCreates() -> [JournalEntry] {
        Self.merged(entries().filter { $0.id.hasPrefix(Self.unconfirmedPrefix) }).filter { $0.status == "unconfirmed" }
    }

    private static func merged(_ entries: [JournalEntry]) -> [JournalEntry] {
        var order: [String] = []
        var merged: [String: JournalEntry] = [:]
        for entry in entries {
            guard var current = merged[entry.id] else {
                order.append(entry.id)
                merged[entry.id] = entry
                continue
            }
            current.time = entry.time
            current.status = entry.status
            current.output = entry.output ?? current.output
            current.model = entry.model ?? current.model
            current.size = entry.size ?? current.size
            current.seconds = entry.seconds ?? current.seconds
            current.prompt = entry.prompt ?? current.prompt
            current.input = entry.input ?? current.input
            current.reference = entry.reference ?? current.reference
            merged[entry.id] = current
        }
        return order.compactMap { merged[$0] }
    }

    public func job(_ id: String) -> JournalEntry? { jobs().first { $0.id == id } }
}
