import Foundation
import Testing

@testable import SoraImg

/// `soraimg sandbox` started as a separate process, as a user would run it; stopped on release.
final class SandboxProcess {
    let process = Process()
    /// The ready line: the dialect's base URL (`.../v1`, `.../api/v1`, `.../v1beta`).
    let baseURL: String
    /// `openai`, `openrouter` or `gemini`.
    let provider: String
    /// The key the sandbox takes: `--key`'s, else one no one would type by chance, so a
    /// test can grep every output for it.
    let key: String
    /// Where this test's journal and outputs live.
    let folder = Paths.temporaryFolder("sandbox")

    /// The API root each provider's base URL ends with.
    static let apiRoots = ["openai": "/v1", "openrouter": "/api/v1", "gemini": "/v1beta", "xai": "/v1", "fal": "", "replicate": "/v1"]

    init(_ arguments: [String] = [], jobSeconds: Double = 0.3, provider: String = "openai") throws {
        self.provider = provider
        key = arguments.firstIndex(of: "--key").map { arguments[$0 + 1] } ?? "sk-sandbox-test-\(UUID().uuidString.prefix(12))"
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["sandbox", "--job-seconds", "\(jobSeconds)"] + (provider == "openai" ? [] : ["--provider", provider]) + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The ready line is the base URL, alone.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        baseURL = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard baseURL.hasPrefix("http://127.0.0.1:"), let root = Self.apiRoots[provider], baseURL.hasSuffix(root) else {
            process.terminate()
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "sandbox ready line: '\(baseURL)'"])
        }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// `http://127.0.0.1:PORT`, where the sandbox's own reports are.
    var origin: String { String(baseURL.dropLast(Self.apiRoots[provider]?.count ?? 0)) }

    /// The environment a user would set to point soraimg at this sandbox.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        switch provider {
        case "openrouter":
            environment["SORAIMG_PROVIDER"] = provider
            environment["SORAIMG_BASE_URL"] = baseURL
            environment["OPENROUTER_API_KEY"] = key
        case "gemini":
            environment["SORAIMG_PROVIDER"] = provider
            environment["SORAIMG_BASE_URL"] = baseURL
            environment["GEMINI_API_KEY"] = key
        case "xai":
            environment["SORAIMG_PROVIDER"] = provider
            environment["SORAIMG_BASE_URL"] = baseURL
            environment["XAI_API_KEY"] = key
        case "fal":
            // Storage follows the base URL's origin, the sandbox's.
            environment["SORAIMG_PROVIDER"] = provider
            environment["SORAIMG_BASE_URL"] = baseURL
            environment["FAL_KEY"] = key
            environment.removeValue(forKey: "SORAIMG_FAL_STORAGE_URL")
        case "replicate":
            environment["SORAIMG_PROVIDER"] = provider
            environment["SORAIMG_BASE_URL"] = baseURL
            environment["REPLICATE_API_TOKEN"] = key
        default:
            environment["OPENAI_BASE_URL"] = baseURL
            environment["OPENAI_API_KEY"] = key
        }
        environment["XDG_STATE_HOME"] = folder.file("state")
        environment.removeValue(forKey: "SORAIMG_AUTH")
        return environment
    }

    var journal: JobJournal { JobJournal(path: folder.file("state/soraimg/jobs.jsonl")) }

    /// Runs soraimg in the test's folder against this sandbox.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
        try soraimg(arguments, in: folder.path, environment: environment.merging(extra) { $1 })
    }

    /// What the sandbox received: its `/sandbox/uploads` report.
    func report() throws -> [String: Any] {
        let url = origin + "/sandbox/uploads"
        let response = try HTTPClient().send(HTTPRequest(method: .get, url: url, headers: [HTTPHeader("Authorization", "Bearer \(key)")]))
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    var jobCount: Int { (try? report()["jobs"] as? Int) ?? -1 }
    var createCount: Int { (try? report()["creates"] as? Int) ?? -1 }
}

extension JobJournal {
    /// Every job the journal knows, in the order they were first recorded.
    func jobs() -> [JournalIndex.Job] { index().jobs }

    func job(_ id: String) -> JournalIndex.Job? { index().job(id) }

    /// Creates sent and never settled.
    func unconfirmedCreates() -> [JournalIndex.PendingCreate] { index().pendingCreates }
}
