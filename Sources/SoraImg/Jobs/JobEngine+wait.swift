import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension JobEngine {
    /// The job's current state (`GET` its status).
    /// A finished job whose result is a separate request (fal) gets that read too, so the
    /// answer says whether it made a video and where.
    public func status(of id: String) throws(VideosError) -> (job: JobSnapshot, pollAfter: Double?) {
        let known = self.known(id)
        let response = try fetch(try dialect.status(of: known), id: id)
        var job = try dialect.job(from: response, id: id)
        job.handles = known.handles
        if job.status == .completed, let request = try dialect.result(of: job) {
            guard case .answer(let answer) = try execute(request, kind: .idempotent, id: id) else {
                throw VideosError(.unavailable, "no answer", videoID: id)
            }
            job = try dialect.job(job, result: answer)
        }
        return (job, dialect.pollAfter(in: response))
    }

    /// The job as the journal knows it: its id, and the addresses its create answer gave.
    func known(_ id: String) -> JobSnapshot {
        var job = JobSnapshot(id: id, status: nil, providerStatus: "unknown")
        job.handles = journal.index().job(id)?.handles ?? [:]
        return job
    }

    /// Polls a job until it ends or the deadline comes (`PollSchedule`), recording each new
    /// status in the journal.
    /// - Returns: the finished job, whatever its status; one without a video is for the caller
    ///   to report.
    public func wait(for id: String, events: @escaping @Sendable (JobEvent) -> Void = { _ in }) throws(VideosError) -> JobSnapshot {
        var schedule = PollSchedule()
        var recorded = journal.index().job(id)?.status
        while true {
            if Interruption.isRequested { throw interrupted(id: id) }
            let job: JobSnapshot
            let pollAfter: Double?
            do {
                (job, pollAfter) = try status(of: id)
            } catch {
                // The service no longer knows this job (deleted elsewhere, or long expired):
                // a rerun must make a new one rather than wait for this one again.
                if error.kind == .notFound || error.kind == .expired { try? journal.append(JournalRecord(.gone, id: id)) }
                throw error
            }
            events(.status(job))
            if job.status != recorded, job.status != nil {
                var line = JournalRecord(.status, id: id)
                line.status = job.status
                line.providerStatus = job.providerStatus
                try? journal.append(line)
                recorded = job.status
            }
            switch schedule.next(after: job, pollAfter: pollAfter, now: Date(), deadline: deadline) {
            case .finished:
                return job
            case .poll(let delay):
                sleep(delay)
            case .deadline:
                var error = deadlineError(id: id)
                error.message = "the deadline passed while job \(job.displayID) is \(job.providerStatus)"
                throw error
            }
        }
    }

    /// Downloads a variant of a finished job to `path`: streamed into a temporary file beside
    /// it, checked to be whole and what it claims (the length the server declared; for a
    /// video, an MP4 whose boxes reach exactly the end of the file), then renamed into place
    /// and recorded with its size and SHA-256. Bytes the status answer carried are written
    /// and checked the same way, without a request.
    /// - Parameter job: the job as its latest status answer showed it, when at hand; a
    ///   provider whose status names the video's address gets its status read otherwise.
    public func download(
        _ id: String, variant: ContentVariant, to path: String, replacing: Bool, job: JobSnapshot? = nil,
        events: @escaping @Sendable (JobEvent) -> Void = { _ in }
    ) throws(VideosError) {
        if !replacing && FileManager.default.fileExists(atPath: path) {
            var error = VideosError(.cannotWrite, "\(path) already exists", videoID: id)
            error.cause = .outputExists(path: path)
            throw error
        }
        let file: TemporaryFile
        do {
            file = try TemporaryFile(beside: path)
        } catch {
            throw VideosError(.cannotWrite, error.message, videoID: id)
        }
        // Ctrl-C, SIGTERM or SIGHUP while the file is half written: the temporary file goes.
        let cleanup = TemporaryFiles.shared.register(file.path)
        defer { TemporaryFiles.shared.unregister(cleanup) }
        let descriptor = file.descriptor
        let content = try self.content(of: id, variant: variant, job: job ?? known(id))
        var attempt = 1
        var size = 0
        while true {
            let response: HTTPResponse?
            switch content {
            case .bytes(let bytes):
                try store(bytes, in: descriptor, id: id)
                response = nil
            case .request(let request):
                let result = try execute(
                    request, kind: .idempotent, id: id, events: events,
                    transfer: { request, keepGoing throws(HTTPTransportError) in
                        try http.download(request, to: descriptor) { value in
                            events(.downloading(variant, received: value.downloaded, total: value.downloadTotal))
                            return keepGoing(value)
                        }
                    })
                guard case .answer(let answer) = result else { throw VideosError(.unavailable, "no answer", videoID: id) }
                guard (200..<300).contains(answer.status) else {
                    let error = dialect.error(for: answer, collection: false, id: id)
                    if error.kind == .expired || error.kind == .notFound { try? journal.append(JournalRecord(.gone, id: id)) }
                    throw error
                }
                response = answer
            }
            size = Int(lseek(descriptor, 0, SEEK_END))
            do {
                try verify(variant, descriptor: descriptor, size: size, file: file, id: id, response: response)
                break
            } catch {
                // Content that ended early (no length declared, or less than declared) is
                // fetched again, like a transfer cut off; anything else is what it is, and so
                // are bytes the answer carried, which would only come back the same.
                guard response != nil, error.kind == .badContent, error.code == Self.incomplete,
                    let delay = retry.delay(after: attempt, .transport(.connectionLost), now: Date(), jitter: Double.random(in: 0...1))
                else { throw error }
                if Date().addingTimeInterval(delay) > deadline { throw error }
                events(.retrying(reason: "the \(variant.rawValue) arrived incomplete", after: delay, attempt: attempt, of: retry.maxAttempts))
                sleep(delay)
                if Interruption.isRequested { throw interrupted(id: id) }
                attempt += 1
            }
        }
        let digest = Digest.sha256(descriptor: descriptor)
        do {
            try file.commit(to: path, replacing: replacing)
        } catch {
            // The same command run twice at once: the other soraimg resumed this job and put
            // the same video here first. Identical bytes are this download done, not a clash.
            guard !replacing, Digest.sha256(path: path) == digest else {
                throw VideosError(.cannotWrite, error.message, videoID: id)
            }
        }
        var line = JournalRecord(.downloaded, id: id)
        line.variant = variant
        line.output = path
        line.bytes = size
        line.sha256 = digest
        try? journal.append(line)
        events(.downloaded(variant, path: path))
    }

    /// The code a `badContent` error carries when the content ended early.
    static let incomplete = "incomplete_content"

    /// Where `variant` of job `id` is: the dialect's answer for the job as known, or, when
    /// only a status answer says (a video's URI in a finished operation), after reading it.
    private func content(of id: String, variant: ContentVariant, job: JobSnapshot) throws(VideosError) -> JobContent {
        if let content = try dialect.content(of: job, variant: variant) {
            return content
        }
        let current = try status(of: id).job
        guard current.isFinished else {
            var error = VideosError(.deadline, "job \(current.displayID) is still \(current.providerStatus): there is nothing to download yet", videoID: id)
            error.cause = .stillRunning(id: id)
            throw error
        }
        guard current.hasVideo else { throw dialect.failure(of: current) }
        guard let content = try dialect.content(of: current, variant: variant) else {
            throw VideosError(.unavailable, "job \(current.displayID) finished, but the service named no \(variant.rawValue) to download", videoID: id)
        }
        return content
    }

    /// Writes bytes a status answer carried into the download's temporary file.
    private func store(_ bytes: [UInt8], in descriptor: Int32, id: String) throws(VideosError) {
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw VideosError(.cannotWrite, "cannot write the video: \(String(cString: strerror(errno)))", videoID: id)
        }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw VideosError(.cannotWrite, "cannot write the video: \(String(cString: strerror(errno)))", videoID: id)
            }
            written += count
        }
    }

    /// - Parameter response: the answer that brought the content; nil for bytes a status
    ///   answer carried.
    private func verify(
        _ variant: ContentVariant, descriptor: Int32, size: Int, file: TemporaryFile, id: String, response: HTTPResponse?
    ) throws(VideosError) {
        let shown = id.printable(limit: 200)
        let requestID = response?.requestID.map { redact($0).printable(limit: 100) }
        if let declared = response?.header("content-length").flatMap(Int.init), declared != size {
            var error = VideosError(
                .badContent, "the \(variant.rawValue) of \(shown) was cut short: \(size) of \(declared) bytes arrived", status: response?.status,
                requestID: requestID, code: Self.incomplete, videoID: id)
            error.cause = .downloadAgain(id: id)
            throw error
        }
        if variant == .video {
            do {
                try MP4Structure.check(descriptor: descriptor)
            } catch {
                var failure = VideosError(
                    .badContent, "the video of \(shown) is not a whole MP4: \(error.description)", status: response?.status, requestID: requestID,
                    code: error.kind == .truncated ? Self.incomplete : nil, videoID: id)
                failure.cause = .downloadAgain(id: id)
                throw failure
            }
        } else if !variant.matches(file.prefix(12)) {
            throw VideosError(
                .badContent, "the \(variant.rawValue) of \(shown) is not what it claims to be (wrong format)", status: response?.status,
                requestID: requestID, videoID: id)
        }
    }

    /// The jobs the service lists, newest first (empty for a provider without a list).
    public func list(limit: Int = 20) throws(VideosError) -> [JobSnapshot] {
        guard let request = dialect.list(limit: limit) else { return [] }
        return try dialect.jobs(from: fetch(request, id: nil, collection: true))
    }

    /// Asks the service to cancel a job; returns what it answered, in a few words.
    public func cancel(_ id: String) throws(VideosError) -> String {
        guard let request = try dialect.cancel(known(id)) else {
            throw VideosError(.usage, "\(dialect.provider) cannot cancel a job")
        }
        return dialect.cancelled(from: try fetch(request, id: id))
    }

    /// Deletes a job at the service and notes it in the journal.
    public func delete(_ id: String) throws(VideosError) {
        guard let request = dialect.delete(id) else {
            throw VideosError(.usage, "\(dialect.provider) cannot delete a job")
        }
        _ = try fetch(request, id: id)
        try? journal.append(JournalRecord(.deleted, id: id))
    }
}
