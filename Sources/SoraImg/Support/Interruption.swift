import Synchronization

/// Ctrl-C, as a flag that long work checks: transfers stop, waits end, and what was created
/// is reported rather than lost. The CLI sets it from its SIGINT handler.
public enum Interruption {
    private static let requested = Atomic<Bool>(false)

    public static var isRequested: Bool { requested.load(ordering: .relaxed) }

    public static func request() { requested.store(true, ordering: .relaxed) }
}
