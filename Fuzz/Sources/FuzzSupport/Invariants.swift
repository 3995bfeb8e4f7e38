/// Stops the run with the reason. libFuzzer saves the input that got here as a crash
/// artifact, and the message says which invariant it broke.
public func fail(_ reason: String) -> Never {
    fatalError(reason)
}

/// Fails with `reason` unless `condition` holds.
public func expect(_ condition: Bool, _ reason: @autoclosure () -> String) {
    if !condition { fail(reason()) }
}
