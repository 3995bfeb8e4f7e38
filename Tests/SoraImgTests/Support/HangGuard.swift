import Testing

extension Trait where Self == TimeLimitTrait {
    /// The limit for a test that starts processes or serves HTTP: a hang guard, never a speed
    /// check. It is generous because swift-testing starts the clock when the test is scheduled,
    /// not when its body gets a thread: on two cores, with the suite's blocking tests queued
    /// ahead, a test can wait most of a slow (AddressSanitizer, loaded CI) run before it starts.
    /// Each child process has its own, tighter limit (`runProcess(timeLimit:)`), which is the
    /// guard that usually fires first.
    static var hangGuard: Self { .timeLimit(.minutes(30)) }
}
