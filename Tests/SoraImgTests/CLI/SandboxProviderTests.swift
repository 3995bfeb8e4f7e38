import Foundation
import Testing

/// `soraimg sandbox --provider`: the ready line is the dialect's base URL, the note on stderr
/// names the provider's key variable and a command to paste; wrong names are refused (64).
@Suite("soraimg sandbox --provider", .hangGuard)
struct SandboxProviderTests {
    @Test("an unknown provider, by option or by SORAIMG_PROVIDER, exits 64 naming the valid ones")
    func unknown() throws {
        let byOption = try soraimg(["sandbox", "--provider", "fal"], timeLimit: 60)
        #expect(byOption.status == 64 && byOption.stderr.contains("'fal'") && byOption.stderr.contains("openai, openrouter, gemini"), "\(byOption.stderr)")
        var environment = ProcessInfo.processInfo.environment
        environment["SORAIMG_PROVIDER"] = "nope"
        let byEnvironment = try soraimg(["sandbox"], environment: environment, timeLimit: 60)
        #expect(byEnvironment.status == 64 && byEnvironment.stderr.contains("'nope'"), "\(byEnvironment.stderr)")
    }

    @Test("a fault that means nothing in the dialect exits 64 naming the dialect")
    func faultForDialect() throws {
        let result = try soraimg(["sandbox", "--provider", "gemini", "--fault", "foreign-job"], timeLimit: 60)
        #expect(result.status == 64 && result.stderr.contains("gemini dialect"), "\(result.stderr)")
    }

    @Test(
        "the ready line is the base URL; the note names the key variable and a ready-to-paste command",
        arguments: [
            ("openrouter", "/api/v1", "SORAIMG_PROVIDER=openrouter SORAIMG_BASE_URL=", "OPENROUTER_API_KEY=test"),
            ("gemini", "/v1beta", "SORAIMG_PROVIDER=gemini SORAIMG_BASE_URL=", "GEMINI_API_KEY=test"),
            ("xai", "/v1", "SORAIMG_PROVIDER=xai SORAIMG_BASE_URL=", "XAI_API_KEY=test"),
            ("openai", "/v1", "OPENAI_BASE_URL=", "OPENAI_API_KEY=test"),
        ])
    func readyLine(provider: String, root: String, setting: String, key: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["sandbox"]
        var environment = ProcessInfo.processInfo.environment
        environment["SORAIMG_PROVIDER"] = provider
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let line = Self.readLines(1, from: output)
        #expect(line.hasPrefix("http://127.0.0.1:") && line.hasSuffix(root + "\n"), "\(line)")
        let baseURL = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = Self.readLines(2, from: errors)
        #expect(note.contains("\(setting)\(baseURL) \(key) soraimg animate photo.jpg --prompt"), "\(note)")
    }

    /// Reads until `count` newlines have arrived (or the pipe closes).
    private static func readLines(_ count: Int, from pipe: Pipe) -> String {
        var data = Data()
        while data.filter({ $0 == 0x0A }).count < count {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
