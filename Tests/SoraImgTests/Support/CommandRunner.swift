import Foundation

/// Runs the built `soraimg` binary as a user would.
struct CommandResult {
    let status: Int32
    let stdout: Data
    let stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// The `--json` document on standard output.
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: stdout) as? [String: Any] ?? [:]
    }
}

func soraimg(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil) throws -> CommandResult {
    try runProcess(Paths.binary, arguments, in: directory, stdin: stdin)
}

func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil, stdin: Data? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let errors = Pipe()
    let input = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input
    try process.run()
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
    done.wait()
    return CommandResult(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errorData.get(), as: UTF8.self))
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
}

/// Runs `soraimg` and measures that one process (wait4's rusage, not the test runner's).
func measuredSoraimg(_ arguments: [String]) throws -> Measured {
    var pid: pid_t = 0
    let argv = ([Paths.binary] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let start = Date()
    guard posix_spawn(&pid, Paths.binary, &actions, nil, argv, environ) == 0 else {
        throw CocoaError(.executableLoad)
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Measured(status: exitStatus, seconds: Date().timeIntervalSince(start), peakKilobytes: usage.ru_maxrss)
}
