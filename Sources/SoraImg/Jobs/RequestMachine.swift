import Foundation

/// What one request's attempts lead to: try again, look the job up, give up, or done. A pure
/// state machine (no I/O, the clock and jitter passed in), so every path is a row in a table
/// test. The engine runs every request through one: creates, status polls, downloads,
/// remixes, deletes.
///
/// The rule that keeps a job from being paid twice: a request that acts (a create or a remix)
/// whose outcome is unknown — the body went out and no readable answer came back — is never
/// simply sent again. It is looked up in the provider's job list first, and sent again only
/// when the list shows no such job; a provider without a list gets it back as unconfirmed.
struct RequestMachine {
    enum Kind: Equatable {
        /// Repeating it changes nothing (status, content, list, delete).
        case idempotent
        /// It makes a billed job (create, remix, extend).
        case acting(canLookUp: Bool)
    }

    /// What ended one attempt.
    enum Outcome: Equatable {
        /// An answer with this status. `provesNothingMade`: the body is the service's own
        /// error document, which it writes only when it made nothing (a proxy's page is not).
        case answered(status: Int, retryAfterMilliseconds: String? = nil, retryAfter: String? = nil, provesNothingMade: Bool = true)
        /// A 2xx answer that could not be read (garbled, cut short).
        case unreadable
        /// No answer. `bodySent`: the whole request went out first.
        case transport(HTTPTransportError.Kind, bodySent: Bool)
    }

    /// What the job list said about an unknown outcome.
    enum LookUp: Equatable {
        case found
        case notFound
        /// The list could not be read: a job may exist.
        case unreadable
    }

    enum Next: Equatable {
        /// The answer is the result (a success, or an error answer to report).
        case done
        case retry(after: Double)
        /// Look the job up in the provider's list before anything else.
        case lookUp
        /// Give up with the last failure as the error.
        case fail
        /// The request may have made a job that cannot be found: never resent automatically.
        case unconfirmed
        case interrupted
    }

    let kind: Kind
    let policy: RetryPolicy
    private(set) var attempt = 1
    /// The outcome being looked up, kept for the retry that may follow.
    private var awaiting: Outcome?

    init(_ kind: Kind, policy: RetryPolicy = RetryPolicy()) {
        self.kind = kind
        self.policy = policy
    }

    mutating func next(after outcome: Outcome, now: Date, jitter: Double) -> Next {
        switch outcome {
        case .answered(let status, _, _, _) where (200..<300).contains(status):
            return .done
        case .answered(let status, _, _, let provesNothingMade):
            if case .acting = kind, status >= 500, !provesNothingMade { return lookUp(outcome) }
            return retry(outcome, now: now, jitter: jitter) ?? .done
        case .unreadable:
            // A 2xx that acted was most likely made: find it, never send it again.
            if case .acting = kind { return lookUp(outcome) }
            return .fail
        case .transport(.cancelled, let bodySent):
            if case .acting = kind, bodySent { return lookUp(outcome) }
            return .interrupted
        case .transport(_, let bodySent):
            if case .acting = kind, bodySent { return lookUp(outcome) }
            return retry(outcome, now: now, jitter: jitter) ?? .fail
        }
    }

    /// After a look-up: a found job is the result; none found means nothing was made, so the
    /// request may go again (by the policy, and never after an unreadable 2xx or Ctrl-C).
    mutating func next(after lookUp: LookUp, interrupted: Bool, now: Date, jitter: Double) -> Next {
        let outcome = awaiting
        awaiting = nil
        switch lookUp {
        case .found: return .done
        case .unreadable: return .unconfirmed
        case .notFound:
            if interrupted { return .interrupted }
            guard let outcome else { return .fail }
            switch outcome {
            case .unreadable: return .fail
            case .transport(.cancelled, _): return .interrupted
            default: return retry(outcome, now: now, jitter: jitter) ?? .fail
            }
        }
    }

    private mutating func lookUp(_ outcome: Outcome) -> Next {
        guard case .acting(let canLookUp) = kind, canLookUp else { return .unconfirmed }
        awaiting = outcome
        return .lookUp
    }

    private mutating func retry(_ outcome: Outcome, now: Date, jitter: Double) -> Next? {
        let policyOutcome: RetryPolicy.Outcome = switch outcome {
        case .answered(let status, let milliseconds, let retryAfter, _): .status(status, retryAfterMilliseconds: milliseconds, retryAfter: retryAfter)
        case .transport(let kind, _): .transport(kind)
        case .unreadable: .transport(.other)
        }
        guard let delay = policy.delay(after: attempt, policyOutcome, now: now, jitter: jitter) else { return nil }
        attempt += 1
        return .retry(after: delay)
    }
}
