import Dispatch
import Foundation

extension SandboxProcess {
    /// Runs soraimg with `arguments` in the sandbox's folder and presses Ctrl-C (SIGINT) once
    /// `ready` holds, as a person would while it works (or after `waitingAtMost` seconds, a hang
    /// guard). A soraimg that does not stop on its own is killed two minutes later, so a hang
    /// fails the test instead of stalling the suite.
    func interrupted(_ arguments: [String], waitingAtMost: Double = 120, when ready: () -> Bool) throws -> (status: Int32, stderr: String, pid: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let start = Date()
        while !ready() && process.isRunning && Date().timeIntervalSince(start) < waitingAtMost { usleep(50_000) }
        process.interrupt()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: killer)
        defer { killer.cancel() }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr, pid)
    }
}
