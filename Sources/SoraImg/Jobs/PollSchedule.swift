import Foundation

/// When to look at a running job again: at the service's suggested interval when it gives
/// one, else every 2 s growing by half each time up to 15 s; never past the deadline. Pure.
///
/// Worked numbers: with no suggestion the polls come at 2, 3, 4.5, 6.75, 10.1, 15, 15, ... s;
/// a service asking for 500 ms gets 0.5 s; one asking for an hour gets 60 s.
struct PollSchedule: Equatable {
    private(set) var interval = 2.0
    static let maximum = 15.0
    /// A service may slow polling down to this, and no further.
    static let serviceMaximum = 60.0

    enum Next: Equatable {
        /// The job ended: nothing more to wait for.
        case finished
        case poll(after: Double)
        /// The next look would come after the deadline.
        case deadline
    }

    mutating func next(after job: JobSnapshot, pollAfter: Double?, now: Date, deadline: Date) -> Next {
        if job.isFinished { return .finished }
        let suggested = pollAfter.flatMap { $0.isFinite ? $0 : nil }
        let wait = min(Self.serviceMaximum, max(0.1, suggested ?? interval))
        interval = min(Self.maximum, interval * 1.5)
        return now.addingTimeInterval(wait) > deadline ? .deadline : .poll(after: wait)
    }
}

/// What a request's record in the journal says to do now: the decision that makes running
/// the same command again resume instead of paying again. Pure.
enum ResumePlan: Equatable {
    /// Nothing usable was made for this request: make a job.
    case create
    /// A create was sent and never settled: look for its job before anything else.
    case lookUp(since: Date)
    /// A job exists and may still be running or downloading.
    case resume(id: String)
    /// The job's files are all in place: nothing to do.
    case alreadyDone(id: String, output: String)
    /// A create of this request is unsettled and the provider cannot be asked: a person must
    /// check before soraimg pays again.
    case unconfirmed(since: Date)

    /// - Parameters:
    ///   - filesInPlace: whether every file this request wants exists where it should.
    ///   - replacing: `--force`: the user wants new files; it never pays again by itself.
    ///   - canLookUp: the provider lists its jobs.
    ///   - resendUnconfirmed: the user checked and asks to send an unsettled create again.
    static func decide(
        job: JournalIndex.Job?, pending: JournalIndex.PendingCreate?, filesInPlace: Bool, replacing: Bool, canLookUp: Bool,
        resendUnconfirmed: Bool
    ) -> ResumePlan {
        if let pending, job.map({ $0.created < pending.sent }) ?? true {
            if canLookUp { return .lookUp(since: pending.sent) }
            return resendUnconfirmed ? .create : .unconfirmed(since: pending.sent)
        }
        guard let job, job.isUsable else { return .create }
        if filesInPlace, job.downloads[.video] != nil, !replacing, let output = job.output {
            return .alreadyDone(id: job.id, output: output)
        }
        return .resume(id: job.id)
    }
}
