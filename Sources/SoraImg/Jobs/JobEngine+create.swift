import Foundation

extension JobEngine {
    /// Makes the job for `request`, or finds the one already made for it: never two jobs for
    /// one request. Holds the journal's create lock throughout, so a second soraimg running the
    /// same command waits and then resumes this one's job instead of making its own.
    ///
    /// - Returns: the job, and whether it was made now (false: resumed from the journal).
    func obtainJob(
        for request: JobRequest, send: () throws(VideosError) -> HTTPRequest, filesInPlace: @escaping () -> Bool, replacing: Bool,
        events: @escaping @Sendable (JobEvent) -> Void
    ) throws(VideosError) -> (job: JobSnapshot, plan: ResumePlan) {
        let fingerprint = request.fingerprint
        var waited = false
        return try journal.withCreateLock(cancelled: {
            if !waited { events(.waitingForAnotherCreate) }
            waited = true
            return Interruption.isRequested
        }) { () throws(VideosError) -> (JobSnapshot, ResumePlan) in
            let index = journal.index()
            let plan = ResumePlan.decide(
                job: index.latestJob(for: fingerprint), pending: index.pendingCreate(for: fingerprint), filesInPlace: filesInPlace(),
                replacing: replacing, canLookUp: dialect.list(limit: 1) != nil, resendUnconfirmed: resendUnconfirmed)
            switch plan {
            case .alreadyDone(let id, _), .resume(let id):
                let known = index.job(id)
                var job = JobSnapshot(id: id, status: known?.status, providerStatus: known?.providerStatus ?? known?.status?.rawValue ?? "unknown")
                job.model = known?.model
                return (job, plan)
            case .unconfirmed(let since):
                var error = VideosError(
                    .unconfirmed,
                    "a create of this same request was sent at \(JournalRecord.formatTime(since)) and its outcome is unknown; \(dialect.provider) has no job list to check it against")
                error.mayHaveCreated = true
                error.cause = .unconfirmedCreate(canList: false)
                throw error
            case .lookUp(let since):
                if let found = try lookUp(request, since: since, known: index.knownIDs, cancellable: true) {
                    try record(.created, request: request, job: found, output: nil)
                    return (found, .resume(id: found.id))
                }
                // The earlier create made nothing: settle it, then make the job now.
                try? journal.append(JournalRecord(.createRefused, request: request))
                return (try create(request, send: send, known: index.knownIDs, events: events), .create)
            case .create:
                return (try create(request, send: send, known: index.knownIDs, events: events), .create)
            }
        }
    }

    /// Sends the create, recorded in the journal before it goes and settled after.
    /// - Parameter send: makes the create request, uploading first where the provider takes
    ///   the image by URL; an upload that fails made nothing and is not journalled.
    private func create(
        _ request: JobRequest, send makeRequest: () throws(VideosError) -> HTTPRequest, known: Set<String>,
        events: @escaping @Sendable (JobEvent) -> Void
    ) throws(VideosError) -> JobSnapshot {
        let send = try makeRequest()
        let sent = Date()
        do {
            try journal.append(JournalRecord(.createSent, request: request, time: sent))
        } catch {
            // Without the record a lost answer could mean paying twice: do not send.
            throw VideosError(.cannotWrite, "\(error.description); nothing was sent")
        }
        let progress: @Sendable (TransferProgress) -> Bool = { value in
            events(.uploading(sent: value.uploaded, total: value.uploadTotal))
            return !Interruption.isRequested
        }
        let result: Result
        do {
            result = try execute(
                send, kind: .acting(canLookUp: dialect.list(limit: 1) != nil),
                lookUp: { () throws(VideosError) in try lookUp(request, since: sent, known: known, cancellable: false) }, events: events,
                transfer: { request, _ throws(HTTPTransportError) in try http.send(request, progress: progress) })
        } catch {
            if error.mayHaveCreated {
                try? journal.append(JournalRecord(.createUnanswered, request: request))
            } else if error.kind != .interrupted {
                try? journal.append(JournalRecord(.createRefused, request: request))
            }
            throw error
        }
        let job: JobSnapshot
        switch result {
        case .found(let found):
            job = found
        case .answer(let response) where (200..<300).contains(response.status):
            do {
                job = try dialect.created(from: response)
            } catch {
                // A 2xx that cannot be read most likely made a job: find it, never resend.
                if let found = try lookUp(request, since: sent, known: known, cancellable: false) {
                    job = found
                    break
                }
                try? journal.append(JournalRecord(.createUnanswered, request: request))
                var failure = error
                failure.mayHaveCreated = true
                let canList = dialect.list(limit: 1) != nil
                if canList {
                    failure.message += "; the create was accepted but its answer could not be read, and no matching job is in the service's list"
                } else {
                    // Nothing to look in: the same stop as for a create never answered (75), so
                    // a rerun waits for the user's word rather than paying again.
                    failure.kind = .unconfirmed
                    failure.message += "; the create was accepted but its answer could not be read, and \(dialect.provider) has no job list to check it against"
                }
                failure.hint = nil
                failure.cause = .unconfirmedCreate(canList: canList)
                throw failure
            }
        case .answer(let response):
            try? journal.append(JournalRecord(.createRefused, request: request))
            throw dialect.error(for: response, collection: true, id: nil)
        }
        try record(.created, request: request, job: job, output: nil)
        events(.created(job))
        return job
    }

    /// Records a job; when that fails, the error still carries the id so it is not lost.
    func record(_ event: JournalRecord.Event, request: JobRequest?, job: JobSnapshot, output: String?) throws(VideosError) {
        var line = JournalRecord(event, request: request, id: job.id)
        // A remix, extension or edit asks for no model or size, and an extension's seconds are
        // what it adds: the journal keeps the video as the service made it (the fingerprint
        // still files it under what was asked).
        if let request, request.action != .create {
            line.model = job.model ?? line.model
            line.size = job.size ?? line.size
            line.seconds = job.seconds ?? line.seconds
        }
        line.status = job.status
        line.providerStatus = job.providerStatus
        line.output = output
        line.handles = job.handles.isEmpty ? nil : job.handles
        do {
            try journal.append(line)
        } catch {
            var failure = VideosError(.cannotWrite, "\(error.description); the job \(job.displayID) exists but could not be recorded", videoID: job.id)
            failure.cause = .resumable(id: job.id)
            throw failure
        }
    }

    /// The job an unanswered create of `request` made, if the service lists one: made after
    /// the create was sent (by the service's clock, read from its `Date` header, so another
    /// client's older job is never taken), not already known, and the same prompt, size,
    /// duration and model family.
    func lookUp(_ request: JobRequest, since sent: Date, known: Set<String>, cancellable: Bool) throws(VideosError) -> JobSnapshot? {
        guard let listRequest = dialect.list(limit: 50) else { return nil }
        let response: HTTPResponse
        let recent: [JobSnapshot]
        do {
            response = try fetch(listRequest, id: nil, collection: true, cancellable: cancellable)
            recent = try dialect.jobs(from: response)
        } catch {
            var unknown = VideosError(
                .unavailable,
                "the create request was sent but not answered, and the job list could not be read to check whether it made a job: \(error.message)")
            unknown.mayHaveCreated = true
            unknown.cause = .unconfirmedCreate(canList: true)
            throw unknown
        }
        let earliest = Self.serviceTime(of: sent, answer: response)
        let candidates = recent.filter { job in
            !known.contains(job.id) && (job.createdAt.map { $0 >= earliest } ?? false) && Self.sameRequest(job, request)
        }
        // The oldest after the send is the one this create made (creates go one at a time).
        return candidates.min { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
    }

    /// The local instant `sent` on the service's clock, less a small allowance: the `Date`
    /// header tells the offset between the clocks to the second; without one, a minute's.
    static func serviceTime(of sent: Date, answer: HTTPResponse, now: Date = Date()) -> Date {
        guard let header = answer.header("date"), let serviceNow = RetryPolicy.httpDate(header) else {
            return sent.addingTimeInterval(-60)
        }
        // The header is whole seconds, and the answer took a moment to arrive.
        return sent.addingTimeInterval(serviceNow.timeIntervalSince(now) - 3)
    }

    /// Whether a listed job can be this request's: a service may answer with a dated
    /// snapshot of the model (`sora-2-2025-10-06`) and with the prompt's whitespace or case
    /// changed, so both are compared loosely; size and seconds exactly when given.
    /// `sora-2-2025-10-06` is a dated snapshot of `sora-2`; `sora-2-pro` is another model.
    static func isSnapshot(_ model: String, of family: String) -> Bool {
        guard model.hasPrefix(family + "-") else { return false }
        let suffix = model.dropFirst(family.count + 1)
        return suffix.contains(where: \.isNumber) && suffix.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") }
    }

    static func sameRequest(_ job: JobSnapshot, _ request: JobRequest) -> Bool {
        func normal(_ text: String) -> String {
            text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        if let prompt = job.prompt, normal(prompt) != normal(request.prompt) { return false }
        if let size = job.size, let wanted = request.size, size != wanted { return false }
        // An extension's job states the stitched total, not the seconds asked for.
        let isExtension = if case .extend = request.action { true } else { false }
        if !isExtension, let seconds = job.seconds, let wanted = request.seconds, seconds != wanted { return false }
        if let model = job.model, !request.model.isEmpty, model != request.model, !isSnapshot(model, of: request.model) { return false }
        if case .remix(let source) = request.action, job.remixedFrom != source { return false }
        return true
    }
}
