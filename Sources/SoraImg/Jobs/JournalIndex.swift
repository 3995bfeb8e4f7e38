import Foundation

/// The journal read into what the engine asks of it: each job's latest state, and for each
/// request the job it made or the create still unsettled. Built once per run and extended as
/// lines are appended, so a batch never re-reads the file per job.
public struct JournalIndex: Sendable {
    /// One job as the journal knows it, its events merged (later facts win).
    public struct Job: Sendable, Equatable {
        public var id: String
        public var fingerprint: String?
        public var provider: String?
        public var baseURL: String?
        public var model: String?
        public var size: String?
        public var seconds: String?
        public var prompt: String?
        public var input: String?
        public var output: String?
        public var status: JobStatus?
        public var providerStatus: String?
        /// The latest file each variant was downloaded whole to.
        public var downloads: [ContentVariant: String] = [:]
        /// Every file each variant was downloaded whole to: a `download ID -o other.mp4` does
        /// not make the first copy a stranger's file.
        public var downloadedTo: [ContentVariant: Set<String>] = [:]

        /// Whether `path` holds this job's `variant`, as far as the journal knows.
        public func downloaded(_ variant: ContentVariant, to path: String) -> Bool {
            downloadedTo[variant]?.contains(path) ?? false
        }
        /// The service no longer knows it or its content expired.
        public var gone = false
        public var deleted = false
        public var created: Date
        public var updated: Date

        /// It may still give its video: not failed, cancelled, expired, deleted or gone.
        public var isUsable: Bool {
            !gone && !deleted && ![JobStatus.failed, .cancelled, .expired].contains(status ?? .queued)
        }
    }

    /// A create sent and never settled: the service may hold a job whose id soraimg does not
    /// know.
    public struct PendingCreate: Sendable, Equatable {
        public var fingerprint: String
        public var sent: Date
        /// Whether its sender gave up without learning the outcome (rather than crashing).
        public var unanswered: Bool
        public var pid: Int32?
        public var prompt: String?
    }

    public private(set) var jobs: [Job] = []
    private var position: [String: Int] = [:]
    private var latestByFingerprint: [String: Int] = [:]
    private var pending: [String: PendingCreate] = [:]
    /// Line numbers (from 1) that could not be read: a torn write or a hand edit. Reported,
    /// never fatal.
    public private(set) var unreadableLines: [Int] = []
    public private(set) var lineCount = 0
    /// The file ends in a line without its newline (cut short by a crash or a full disk).
    public internal(set) var tornTail = false

    public init() {}

    /// What a user should know about lines that could not be read, or nil when every line
    /// could: they are skipped, and any job they named is looked up again rather than paid for.
    public var damage: String? {
        var parts: [String] = []
        if !unreadableLines.isEmpty {
            let shown = unreadableLines.prefix(5).map(String.init).joined(separator: ", ") + (unreadableLines.count > 5 ? ", ..." : "")
            parts.append("\(unreadableLines.count) line\(unreadableLines.count == 1 ? "" : "s") could not be read (\(shown))")
        }
        if tornTail { parts.append("its last line is unfinished") }
        guard !parts.isEmpty else { return nil }
        return parts.joined(separator: " and ") + ": a write cut short by a crash or a full disk, or a hand edit; those lines are skipped"
    }

    public func job(_ id: String) -> Job? { position[id].map { jobs[$0] } }

    /// The newest job made for this request.
    public func latestJob(for fingerprint: String) -> Job? { latestByFingerprint[fingerprint].map { jobs[$0] } }

    /// The unsettled create for this request, if its newest create is one.
    public func pendingCreate(for fingerprint: String) -> PendingCreate? { pending[fingerprint] }

    /// Every unsettled create, oldest first.
    public var pendingCreates: [PendingCreate] { pending.values.sorted { $0.sent < $1.sent } }

    /// Ids known to the journal: never taken for another request's job.
    public var knownIDs: Set<String> { Set(position.keys) }

    /// Adds one line's text (without its newline).
    mutating func add(line: some Collection<UInt8>) {
        lineCount += 1
        guard !line.isEmpty else { return }
        guard let record = try? JSONDecoder().decode(JournalRecord.self, from: Data(line)) else {
            unreadableLines.append(lineCount)
            return
        }
        add(record)
    }

    mutating func add(_ record: JournalRecord) {
        switch record.event {
        case .createSent:
            if let fingerprint = record.fingerprint {
                pending[fingerprint] = PendingCreate(fingerprint: fingerprint, sent: record.time, unanswered: false, pid: record.pid, prompt: record.prompt)
            }
            return
        case .createRefused:
            if let fingerprint = record.fingerprint { pending[fingerprint] = nil }
            return
        case .createUnanswered:
            if let fingerprint = record.fingerprint { pending[fingerprint]?.unanswered = true }
            return
        case .created, .status, .downloaded, .gone, .deleted:
            break
        }
        guard let id = record.id else { return }
        let index: Int
        if let known = position[id] {
            index = known
        } else {
            index = jobs.count
            position[id] = index
            jobs.append(Job(id: id, created: record.time, updated: record.time))
        }
        var job = jobs[index]
        job.updated = record.time
        job.fingerprint = job.fingerprint ?? record.fingerprint
        job.provider = record.provider ?? job.provider
        job.baseURL = record.baseURL ?? job.baseURL
        job.model = job.model ?? record.model
        job.size = job.size ?? record.size
        job.seconds = job.seconds ?? record.seconds
        job.prompt = job.prompt ?? record.prompt
        job.input = job.input ?? record.input
        // A variant's file sits beside the video; the job's output stays the video's path.
        if record.event != .downloaded || record.variant == .video { job.output = record.output ?? job.output }
        job.status = record.status ?? job.status
        job.providerStatus = record.providerStatus ?? job.providerStatus
        switch record.event {
        case .created:
            if let fingerprint = record.fingerprint {
                pending[fingerprint] = nil
                latestByFingerprint[fingerprint] = index
            }
        case .downloaded:
            if let variant = record.variant, let output = record.output {
                job.downloads[variant] = output
                job.downloadedTo[variant, default: []].insert(output)
            }
        case .gone:
            job.gone = true
        case .deleted:
            job.deleted = true
        case .createSent, .createRefused, .createUnanswered, .status:
            break
        }
        jobs[index] = job
    }
}
