import Foundation

/// When to try a request again, and after how long. A pure function of the attempt number,
/// what happened, the clock and a jitter value, so it is tested with a table.
///
/// Worked numbers with the defaults: a 500 after the first attempt waits 0.5 s (less up to a
/// quarter for jitter), then 1, 2, 4 s; the fifth failure is final (the thirtieth 429). `retry-after-ms: 250` waits
/// 0.25 s; `Retry-After: 3` waits 3 s; a `Retry-After` HTTP date waits until that moment; any
/// server-given wait is capped at 60 s.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts = 5
    /// Attempts in all when the service keeps answering 429: it created nothing and asks for
    /// patience, which a batch of many photos needs more than five tries of (with the
    /// service's own wait or at most `maxBackoff` between them: minutes, not seconds).
    public var maxRateLimitedAttempts = 30
    public var baseDelay = 0.5
    public var maxBackoff = 8.0
    /// A server may ask for at most this long.
    public var maxServerDelay = 60.0

    public init() {}

    /// What ended an attempt.
    public enum Outcome: Sendable, Equatable {
        /// An HTTP answer, with its `retry-after-ms` and `Retry-After` headers.
        case status(Int, retryAfterMilliseconds: String? = nil, retryAfter: String? = nil)
        /// No answer.
        case transport(HTTPTransportError.Kind)
    }

    /// Statuses worth another try: timeout, conflict, rate limit, server errors.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 409 || status == 429 || (500...599).contains(status)
    }

    /// Seconds to wait before attempt `attempt + 1`, or nil to stop.
    /// - Parameters:
    ///   - attempt: the attempt that just failed, from 1.
    ///   - jitter: 0...1, drawn by the caller (0 in tests).
    public func delay(after attempt: Int, _ outcome: Outcome, now: Date, jitter: Double) -> Double? {
        let rateLimited = if case .status(429, _, _) = outcome { true } else { false }
        guard attempt < (rateLimited ? maxRateLimitedAttempts : maxAttempts) else { return nil }
        switch outcome {
        case .transport(let kind):
            guard [.connect, .timeout, .connectionLost].contains(kind) else { return nil }
        case .status(let status, let milliseconds, let retryAfter):
            guard Self.isRetryable(status: status) else { return nil }
            if let milliseconds, let value = Double(milliseconds.trimmingCharacters(in: .whitespaces)), value >= 0 {
                return min(value / 1000, maxServerDelay)
            }
            if let retryAfter, let seconds = Self.seconds(fromRetryAfter: retryAfter, now: now) {
                return min(seconds, maxServerDelay)
            }
        }
        let backoff = min(maxBackoff, baseDelay * pow(2, Double(attempt - 1)))
        return backoff * (1 - 0.25 * min(1, max(0, jitter)))
    }

    /// `Retry-After` is either whole seconds or an HTTP date.
    static func seconds(fromRetryAfter value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        guard let date = httpDate(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), as in `Retry-After` and `Date`.
    static func httpDate(_ value: String) -> Date? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed)
    }
}
