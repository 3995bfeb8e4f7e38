import Foundation
import Synchronization
import Testing

/// Runs the built `soraimg` binary as a user would.
struct CommandResult {
    let status: Int32
    let stdout: Data
    let stderr: String
    /// The process id it ran as (journal records carry it).
    var pid: Int32 = 0
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// The `--json` document on standard output.
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: stdout) as? [String: Any] ?? [:]
    }
}

func soraimg(
    _ arguments: [String], in directory: String? = nil, stdin: Data? = nil, environment: [String: String]? = nil,
    timeLimit: Double = 300
) throws -> CommandResult {
    try runProcess(Paths.binary, arguments, in: directory, stdin: stdin, environment: environment, timeLimit: timeLimit)
}

/// Runs a process to its end, or kills it once `timeLimit` seconds have passed (recorded as a
/// test failure), so a hang fails one test instead of stalling the whole run.
func runProcess(
    _ executable: String, _ arguments: [String], in directory: String? = nil, stdin: Data? = nil, environment: [String: String]? = nil,
    timeLimit: Double = 300
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let errors = Pipe()
    let input = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input
    try process.run()
    let killed = ErrorCollector()
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem {
        killed.set(Data([1]))
        kill(pid, SIGKILL)
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: watchdog)
    // Read standard error on another thread while the process runs, so neither pipe can fill
    // up and block it.
    let errorData = ErrorCollector()
    let done = DispatchSemaphore(value: 0)
    let errorHandle = errors.fileHandleForReading
    DispatchQueue.global().async {
        errorData.set(errorHandle.readDataToEndOfFile())
        done.signal()
    }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    done.wait()
    if !killed.get().isEmpty {
        Issue.record("\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(timeLimit) s and was killed")
    }
    let status = killed.get().isEmpty ? process.terminationStatus : 137
    return CommandResult(status: status, stdout: outData, stderr: String(decoding: errorData.get(), as: UTF8.self), pid: pid)
}

private final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}

/// A finished process' exit status, wall time and peak resident memory.
struct Measured {
    let status: Int32
    let seconds: Double
    let peakKilobytes: Int

    /// Whether `peakKilobytes` is under `limit`, or nothing can be said: under AddressSanitizer
    /// (`./scripts/test --asan`) shadow memory and the quarantine multiply every process's
    /// memory, so bounds meant for the real binary do not apply there.
    func peak(under limit: Int) -> Bool { Self.underAddressSanitizer || peakKilobytes < limit }

    /// The test runner and the `soraimg` it starts come from one build, so the runner's own
    /// instrumentation tells.
    static let underAddressSanitizer = dlsym(dlopen(nil, RTLD_NOW), "__asan_init") != nil
}

/// Runs `soraimg` under a small Python parent that reports the child's peak memory.
///
/// Measuring from the test runner itself would be wrong: a child spawned from a process
/// shares its memory until `exec`, and Linux counts that towards the child's high-water mark,
/// so every child would look as large as the test runner.
func measuredSoraimg(_ arguments: [String]) throws -> Measured {
    let script = """
        import resource, subprocess, sys, time
        start = time.monotonic()
        status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        print(status, time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """
    let result = try runProcess("/usr/bin/env", ["python3", "-c", script, Paths.binary] + arguments)
    let fields = result.stdoutText.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    guard fields.count == 3, let status = Int32(fields[0]), let seconds = Double(fields[1]), let peak = Int(fields[2]) else {
        throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "measuring failed: \(result.stdoutText) \(result.stderr)"])
    }
    return Measured(status: status, seconds: seconds, peakKilobytes: peak)
}

/// Whether the file at `path` is an MP4: a box of type `ftyp` first, as every MP4 starts.
func isMP4(_ path: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: path), data.count > 8 else { return false }
    return data[4..<8].elementsEqual("ftyp".utf8)
}
