import Foundation

extension JobEngine {
    /// Continues a finished video, through the same path as a create: journalled before it is
    /// sent (filed under the provider, base URL, source id, prompt and seconds), retried, looked
    /// up after an unknown outcome where the provider lists jobs, left unconfirmed where it
    /// does not, and resumed rather than paid for again when the same extension is asked for
    /// twice.
    ///
    /// What cannot succeed stops before anything billed is sent: a provider that cannot extend,
    /// an extension longer than the provider allows, and (when the source's status states its
    /// length) one that would take the video past the provider's total or a source that has
    /// not finished well.
    public func extend(
        _ id: String, prompt: String, seconds: Int?, events: @escaping @Sendable (JobEvent) -> Void
    ) throws(VideosError) -> JobSnapshot {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw VideosError(.usage, "--prompt must not be empty") }
        let seconds = seconds ?? dialect.extensionLimits?.defaultSeconds
        // A job the journal knows from a remix or extension may have no model recorded.
        let sourceModel = journal.index().job(id)?.model.flatMap { $0.isEmpty ? nil : $0 }
        guard let send = dialect.extend(id, prompt: prompt, seconds: seconds, model: sourceModel) else {
            throw VideosError(.usage, "\(dialect.provider) cannot extend a video; nothing was sent")
        }
        if let seconds, seconds < 1 { throw VideosError(.usage, "--seconds must be at least 1; nothing was sent") }
        if let limits = dialect.extensionLimits, let seconds, seconds > limits.perExtension {
            throw VideosError(
                .usage, "\(dialect.provider) extends a video by at most \(limits.perExtension) seconds at a time, not \(seconds); nothing was sent",
                hint: "extend in steps of \(limits.perExtension) seconds or fewer")
        }
        try checkSource(id, adding: seconds)
        let request = JobRequest(
            action: .extend(of: id), provider: dialect.provider, baseURL: configuration.displayBaseURL, model: "", size: nil,
            seconds: seconds.map(String.init), prompt: prompt, input: nil, referenceSHA256: nil)
        return try obtain(request, send: send, events: events)
    }

    /// Makes a new video by editing a finished one with a prompt, journalled and never paid
    /// twice, as `extend` is.
    public func edit(_ id: String, prompt: String, events: @escaping @Sendable (JobEvent) -> Void) throws(VideosError) -> JobSnapshot {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw VideosError(.usage, "--prompt must not be empty") }
        guard let send = dialect.edit(id, prompt: prompt) else { throw VideosError(.usage, "\(dialect.provider) cannot edit a video; nothing was sent") }
        try checkSource(id, adding: nil)
        let request = JobRequest(
            action: .edit(of: id), provider: dialect.provider, baseURL: configuration.displayBaseURL, model: "", size: nil, seconds: nil,
            prompt: prompt, input: nil, referenceSHA256: nil)
        return try obtain(request, send: send, events: events)
    }

    private func obtain(_ request: JobRequest, send: HTTPRequest, events: @escaping @Sendable (JobEvent) -> Void) throws(VideosError) -> JobSnapshot {
        let (job, plan) = try obtainJob(for: request, send: { send }, filesInPlace: { false }, replacing: false, events: events)
        if case .resume(let existing) = plan { events(.resumed(id: existing, status: job.status)) }
        return job
    }

    /// Reads the source's status (a free request) and refuses what the service would refuse:
    /// a source that is not a finished video, or an extension past the provider's total.
    private func checkSource(_ id: String, adding seconds: Int?) throws(VideosError) {
        let source = try status(of: id).job
        switch source.status {
        case .completed?, nil:
            break
        case .queued?, .inProgress?:
            throw VideosError(
                .usage, "\(source.displayID) is still \(source.providerStatus); only a finished video can be extended or edited; nothing was sent",
                hint: "soraimg wait \(source.displayID) first")
        case .failed?, .cancelled?, .expired?:
            throw VideosError(.usage, "\(source.displayID) is \(source.providerStatus), so there is no video to extend or edit; nothing was sent")
        }
        guard let seconds, let limits = dialect.extensionLimits, let text = source.seconds,
            let have = Int(text.trimmingCharacters(in: .whitespaces)), (0...100_000).contains(have)
        else { return }
        if have + seconds > limits.total {
            throw VideosError(
                .usage,
                "\(source.displayID) is \(have) seconds long; \(seconds) more would make \(have + seconds), past the \(limits.total) seconds \(dialect.provider) allows in all; nothing was sent",
                hint: have < limits.total ? "at most --seconds \(limits.total - have)" : nil)
        }
    }
}
