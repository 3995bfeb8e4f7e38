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
