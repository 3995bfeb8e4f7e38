import Foundation

extension JobEngine {
    /// Makes a new video from a finished one with a new prompt, through the same path as a
    /// create: journalled before it is sent, retried, looked up after an unknown outcome, and
    /// resumed rather than paid for again when the same remix is asked for twice.
    public func remix(_ id: String, prompt: String, events: @escaping @Sendable (JobEvent) -> Void) throws(VideosError) -> JobSnapshot {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw VideosError(.usage, "--prompt must not be empty") }
        guard let send = dialect.remix(id, prompt: prompt) else { throw VideosError(.usage, "\(dialect.provider) cannot remix a video") }
        let request = JobRequest(
            action: .remix(of: id), provider: dialect.provider, baseURL: configuration.displayBaseURL, model: "", size: nil, seconds: nil,
            prompt: prompt, input: nil, referenceSHA256: nil)
        let (job, plan) = try obtainJob(for: request, send: { send }, filesInPlace: { false }, replacing: false, events: events)
        if case .resume(let existing) = plan { events(.resumed(id: existing, status: job.status)) }
        return job
    }
}

/// Runs a batch of animate items with at most `maxRunning` at once, each on a thread of its
/// own: waiting on a service is not CPU work, so the bound is the user's, not the cores'.
/// (Photo preparation inside each item is bounded to the cores separately.)
public enum JobBatch {
    /// - Parameters:
    ///   - shouldStart: checked before each item is taken (Ctrl-C stops taking new ones);
    ///     items not started are nil in the result.
    /// - Returns: each item's result, in item order.
    public static func run<Value: Sendable>(
        count: Int, maxRunning: Int, shouldStart: @escaping @Sendable () -> Bool = { true }, _ work: @escaping @Sendable (Int) -> Value
    ) -> [Value?] {
        let state = BatchState<Value>(count: count)
        let width = max(1, min(maxRunning, count))
        let group = DispatchGroup()
        for _ in 0..<width {
            group.enter()
            let thread = Thread {
                while shouldStart(), let index = state.take() {
                    state.store(work(index), at: index)
                }
                Vips.threadWillEnd()
                group.leave()
            }
            // Blocking transfers need little stack; many running jobs should not cost much.
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return state.results()
    }
}

private final class BatchState<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < values.count else { return nil }
        defer { next += 1 }
        return next
    }

    func store(_ value: Value, at index: Int) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func results() -> [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
