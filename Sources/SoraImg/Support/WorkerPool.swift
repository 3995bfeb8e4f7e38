import Dispatch
import Synchronization

/// Runs `count` items on at most `workers` threads, each taking the next item in order as it
/// finishes one, and returns every result in item order. The batches of prep, bench and
/// animate share it.
public enum WorkerPool {
    /// - Parameters:
    ///   - shouldStart: checked before each item is taken (Ctrl-C stops taking new ones);
    ///     items not started are nil in the result.
    ///   - work: runs on a worker thread.
    public static func map<Result: Sendable>(
        count: Int, workers: Int, shouldStart: @Sendable () -> Bool = { true }, _ work: @Sendable (Int) -> Result
    ) -> [Result?] {
        let next = Mutex(0)
        let results = Mutex([Result?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            while shouldStart() {
                let index: Int = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < count else { return }
                let result = work(index)
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0 }
    }
}
