import Synchronization

/// What a create received, for `GET /sandbox/uploads`: lets tests check what a client
/// actually sent (file name, MIME type, pixel size, metadata left in the image).
struct UploadRecord: Sendable {
    let videoID: String
    let prompt: String
    let model: String
    let seconds: String
    let size: String
    /// The reference image, when there was one.
    let reference: ReferenceImage?
    /// fal: whether the signed PUT that brought the image carried an Authorization header;
    /// nil for every other dialect.
    var uploadAuthorized: Bool? = nil

    var object: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("video_id", .string(videoID)),
            ("prompt", .string(prompt)),
            ("model", .string(model)),
            ("seconds", .string(seconds)),
            ("size", .string(size)),
            ("filename", .optional(reference?.filename)),
            ("content_type", .optional(reference?.contentType)),
            ("bytes", .int(reference?.byteCount ?? 0)),
            ("width", .optional(reference?.upright.width)),
            ("height", .optional(reference?.upright.height)),
            ("metadata", .array((reference?.metadata ?? []).map { .string($0) })),
        ]
        if let uploadAuthorized { members.append(("upload_authorization", .bool(uploadAuthorized))) }
        return .object(members)
    }
}

/// All of a server's mutable state behind one lock: jobs, uploads, counters and the fault
/// budgets that requests use up. Every method is one short critical section.
final class SandboxStore: Sendable {
    private struct State {
        var jobs: [String: VideoJob] = [:]
        /// Job ids in creation order, for listing.
        var order: [String] = []
        var uploads: [UploadRecord] = []
        var creates = 0
        /// Video downloads at a link outside the API root (xai, replicate), each with whether it carried a key.
        var downloads: [Bool] = []
        /// API requests, and the connections they came on (connection reuse by clients).
        var requests = 0
        var connections: Set<Int> = []
        /// Each API request's method, path and query, in arrival order (the report shows
        /// whether a base URL's query string reached every request).
        var seen: [JSONValue] = []
        var faults: FaultPlan
        /// Files uploaded to `POST /v1/files`, by id.
        var files: [String: StoredFile] = [:]
        /// Another client's job, listed beside ours (the `foreign-job` fault).
        var foreign: VideoJob?
        /// Replicate: each prediction's input as it echoes it, and the cancelled ones.
        var inputs: [String: JSONValue] = [:]
        var cancelled: Set<String> = []
    }

    private let state: Mutex<State>

    init(faults: FaultPlan) {
        state = Mutex(State(faults: faults))
    }

    /// Records a video download at a link outside the API root.
    func countDownload(withKey: Bool) {
        state.withLock { $0.downloads.append(withKey) }
    }

    /// Counts an API request received, whatever becomes of it, and notes what it asked for.
    func countRequest(_ request: HTTPRequest) {
        let query = JSONValue.object(request.query.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        let seen = JSONValue.object([("method", .string(request.method)), ("path", .string(request.path)), ("query", query)])
        state.withLock {
            $0.requests += 1
            $0.connections.insert(request.connection)
            $0.seen.append(seen)
        }
    }

    func countCreate() {
        state.withLock { $0.creates += 1 }
    }

    /// Uses up one unit of a counted fault; true if one was left, so this request fails.
    func takeFault(_ budget: WritableKeyPath<FaultPlan, Int>) -> Bool {
        state.withLock {
            guard $0.faults[keyPath: budget] > 0 else { return false }
            $0.faults[keyPath: budget] -= 1
            return true
        }
    }

    /// Adds `job`, unless a `limit` is given and that many jobs are already queued or in
    /// progress (the `running-limit` fault): checked and added under one lock, so concurrent
    /// creates cannot both slip in. Returns whether it was added.
    @discardableResult
    func add(_ job: VideoJob, upload: UploadRecord? = nil, unlessRunning limit: Int? = nil, input: JSONValue? = nil) -> Bool {
        state.withLock {
            if let limit {
                let now = ContinuousClock.now
                let running = $0.jobs.values.filter { [.queued, .inProgress].contains($0.phase(at: now).phase) }.count
                guard running < limit else { return false }
            }
            // A chosen id may repeat an existing one: the new job replaces it, listed once.
            if $0.jobs[job.id] != nil { $0.order.removeAll { $0 == job.id } }
            $0.jobs[job.id] = job
            $0.order.append(job.id)
            if let upload { $0.uploads.append(upload) }
            if let input { $0.inputs[job.id] = input }
            return true
        }
    }

    func keep(_ file: StoredFile) {
        state.withLock { $0.files[file.id] = file }
    }

    func file(_ id: String) -> StoredFile? {
        state.withLock { $0.files[id] }
    }

    func job(_ id: String) -> VideoJob? {
        state.withLock { $0.jobs[id] ?? $0.foreign.flatMap { $0.id == id ? $0 : nil } }
    }

    /// The job whose file id (`fileIDOf` its id) is `fileID`: Gemini downloads name files, not jobs.
    func job(fileID: String, fileIDOf: (String) -> String) -> VideoJob? {
        state.withLock { $0.jobs.values.first { fileIDOf($0.id) == fileID } }
    }

    /// The id the next job must have (the `chosen-id` fault), used up; nil when none is left.
    func takeChosenID() -> String? {
        state.withLock { $0.faults.chosenIDs.isEmpty ? nil : $0.faults.chosenIDs.removeFirst() }
    }

    /// Replaces the other client's job that the list shows.
    func setForeign(_ job: VideoJob) {
        state.withLock { $0.foreign = job }
    }

    /// Removes a job; false if there was none with that id.
    func delete(_ id: String) -> Bool {
        state.withLock {
            if $0.foreign?.id == id && $0.jobs[id] == nil {
                $0.foreign = nil
                return true
            }
            guard $0.jobs.removeValue(forKey: id) != nil else { return false }
            $0.order.removeAll { $0 == id }
            return true
        }
    }

    /// One page of jobs: newest first unless `ascending`, starting after the job `after`.
    /// Nil when `after` names no job.
    func page(ascending: Bool, after: String?, limit: Int) -> (jobs: [VideoJob], hasMore: Bool)? {
        state.withLock { state in
            var ordered = state.order
            var jobs = state.jobs
            if let foreign = state.foreign, jobs[foreign.id] == nil {
                // In creation order, as the service lists: before every job made after it.
                let index = ordered.firstIndex { (jobs[$0]?.createdAt ?? 0) > foreign.createdAt } ?? ordered.endIndex
                ordered.insert(foreign.id, at: index)
                jobs[foreign.id] = foreign
            }
            let ids: [String] = ascending ? ordered : ordered.reversed()
            var start = ids.startIndex
            if let after {
                guard let index = ids.firstIndex(of: after) else { return nil }
                start = index + 1
            }
            let slice = ids[start...].prefix(limit)
            return (slice.compactMap { jobs[$0] }, ids.count - start > limit)
        }
    }

    /// Cancels a job still queued or running (a finished one stays as it is) and returns it;
    /// nil when there is no such job.
    func cancel(_ id: String) -> VideoJob? {
        state.withLock {
            guard let job = $0.jobs[id] else { return nil }
            if [.queued, .inProgress].contains(job.phase(at: .now).phase) { $0.cancelled.insert(id) }
            return job
        }
    }

    func isCancelled(_ id: String) -> Bool { state.withLock { $0.cancelled.contains(id) } }
    func input(of id: String) -> JSONValue? { state.withLock { $0.inputs[id] } }

    /// The `GET /sandbox/uploads` document.
    func uploadsReport() -> JSONValue {
        state.withLock {
            .object([
                ("uploads", .array($0.uploads.map(\.object))),
                ("creates", .int($0.creates)),
                ("jobs", .int($0.jobs.count)),
                ("requests", .int($0.requests)),
                ("connections", .int($0.connections.count)),
                ("api_requests", .array($0.seen)),
                ("downloads", .array($0.downloads.map { .object([("with_key", .bool($0))]) })),
                ("files", .int($0.files.count)),
            ])
        }
    }
}
