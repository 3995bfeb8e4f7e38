import ArgumentParser
import Foundation
import SoraImg

/// Where the provider's API is and how to authenticate, shared by every job command. The key
/// itself is never an option: `ps` would show it to every user of the machine.
struct APIOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The provider's API root (default: $SORAIMG_BASE_URL, for openai also $OPENAI_BASE_URL, else the provider's own, \(VideosConfiguration.openAIBaseURL) for openai).",
        valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Read the API key from this file (default: the provider's variable, such as $OPENAI_API_KEY).", valueName: "path"))
    var apiKeyFile: String?

    @Option(help: ArgumentHelp("How the key is sent: bearer (Authorization: Bearer), api-key (Azure-style) or x-goog-api-key. Default: $SORAIMG_AUTH, else the provider's.", valueName: "style"))
    var auth: VideosConfiguration.AuthStyle?

    /// The base URL and what named it: `--base-url`, `SORAIMG_BASE_URL`, (openai only)
    /// `OPENAI_BASE_URL`, else the provider's own.
    private func baseURL(for provider: Provider, environment: [String: String]) -> (url: String, source: String) {
        Self.baseURL(given: baseURL, for: provider, environment: environment)
    }

    static func baseURL(given baseURL: String?, for provider: Provider, environment: [String: String]) -> (url: String, source: String) {
        if let baseURL { return (baseURL, "--base-url") }
        var variables = ["SORAIMG_BASE_URL"]
        if provider == .openai { variables.append("OPENAI_BASE_URL") }
        for name in variables {
            if let value = environment[name], !value.isEmpty { return (value, name) }
        }
        return (provider.defaultBaseURL, "the default base URL")
    }

    /// The cached OpenRouter model list for this command's base URL, whatever its age.
    func cachedOpenRouterModels() -> OpenRouterCatalogue? {
        Self.cachedOpenRouterModels(baseURL: baseURL)
    }

    /// The same for a command without `--base-url` (prep, inspect): `SORAIMG_BASE_URL`'s.
    static func cachedOpenRouterModels(baseURL given: String? = nil) -> OpenRouterCatalogue? {
        OpenRouterCatalogue.cached(forBaseURL: baseURL(given: given, for: .openrouter, environment: ProcessInfo.processInfo.environment).url)
    }

    /// - Parameter requireKey: false for what works without one (OpenRouter's model list):
    ///   the key is sent when there is one, and an empty one means none.
    func configuration(provider: Provider, requireKey: Bool = true) throws -> VideosConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let (url, source) = baseURL(for: provider, environment: environment)
        let key: String
        do {
            if !requireKey, apiKeyFile == nil, provider.keyVariables.allSatisfy({ (environment[$0] ?? "").isEmpty }) {
                key = ""
            } else if let apiKeyFile {
                key = try VideosConfiguration.readKeyFile(apiKeyFile) { Terminal.warn($0) }
            } else if let (name, value) = provider.keyVariables.lazy.compactMap({ name in
                environment[name].map { (name, $0.trimmingCharacters(in: .whitespacesAndNewlines)) }.flatMap { $0.1.isEmpty ? nil : $0 }
            }).first {
                try VideosConfiguration.checkKey(value, from: name)
                key = value
            } else {
                let variables = provider.keyVariables.joined(separator: " or ")
                throw VideosError(
                    .usage, "no API key for \(provider): set \(variables) or give --api-key-file PATH",
                    hint: VideosConfiguration.missingKeyHint(provider: provider, baseURL: url, source: source))
            }
        } catch let error as VideosError {
            Terminal.report(error, input: nil)
            throw ExitCode(error.exitStatus.rawValue)
        }
        let fromEnvironment = environment["SORAIMG_AUTH"].flatMap { $0.isEmpty ? nil : $0 }
        if let fromEnvironment, VideosConfiguration.AuthStyle(rawValue: fromEnvironment) == nil {
            let styles = VideosConfiguration.AuthStyle.allCases.map(\.rawValue).joined(separator: ", ")
            throw Terminal.usageFailure("SORAIMG_AUTH must be one of \(styles), not '\(fromEnvironment.printable(limit: 80))'; fix or unset it")
        }
        let style = auth ?? fromEnvironment.flatMap(VideosConfiguration.AuthStyle.init(rawValue:))
        // OpenAI's organization and project headers mean nothing to another provider.
        let organization = provider == .openai ? environment["OPENAI_ORG_ID"].flatMap { $0.isEmpty ? nil : $0 } : nil
        let project = provider == .openai ? environment["OPENAI_PROJECT_ID"].flatMap { $0.isEmpty ? nil : $0 } : nil
        do {
            if let organization { try VideosConfiguration.checkHeaderValue(organization, name: "OpenAI-Organization", from: "OPENAI_ORG_ID") }
            if let project { try VideosConfiguration.checkHeaderValue(project, name: "OpenAI-Project", from: "OPENAI_PROJECT_ID") }
            return try VideosConfiguration(
                provider: provider, baseURL: url, apiKey: key, auth: style, organization: organization, project: project, source: source)
        } catch {
            Terminal.report(error, input: nil)
            throw ExitCode(error.exitStatus.rawValue)
        }
    }

    /// The job engine for `provider`, stopping at `deadline` seconds from now.
    func engine(provider: Provider, deadline: Double? = nil, requireKey: Bool = true) throws -> JobEngine {
        let dialect: any VideoDialect
        do {
            dialect = try provider.dialect(configuration: try configuration(provider: provider, requireKey: requireKey))
        } catch let error as VideosError {
            Terminal.report(error, input: nil)
            throw ExitCode(error.exitStatus.rawValue)
        }
        var client = JobEngine(dialect: dialect, journal: .standard())
        if let damage = client.journal.index().damage {
            Terminal.warn("the journal \(client.journal.path.printable(limit: 300)): \(damage)")
        }
        if let deadline { client.deadline = Date().addingTimeInterval(deadline) }
        // SORAIMG_HTTP_TIMEOUT shortens (or lengthens) both the connect and the stall timeout:
        // tests use it against a sandbox that never answers; the defaults are 15 s and 60 s.
        if let text = ProcessInfo.processInfo.environment["SORAIMG_HTTP_TIMEOUT"], !text.isEmpty {
            guard let timeout = DurationArgument(argument: text), timeout.seconds > 0 else {
                throw Terminal.usageFailure("SORAIMG_HTTP_TIMEOUT must be a duration such as 20s, 500ms or 2m, not '\(text.printable(limit: 80))'; fix or unset it")
            }
            client.http.connectTimeout = timeout.seconds
            client.http.stallTimeout = timeout.seconds
        }
        return client
    }
}

extension VideosConfiguration.AuthStyle: ExpressibleByArgument {}

extension ContentVariant: ExpressibleByArgument {}

extension ReferenceEncoding: ExpressibleByArgument {}

extension VideosError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A duration given as `90s`, `30m`, `1h`, `500ms` or plain seconds (`Units.seconds`).
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
    let seconds: Double
    let description: String

    init?(argument: String) {
        guard let seconds = Units.seconds(argument) else { return nil }
        self.seconds = seconds
        description = argument
    }

    /// For `@Option(transform:)`: the refusal names the option and the forms it takes.
    static func parse(_ text: String, option: String) throws -> DurationArgument {
        guard let value = DurationArgument(argument: text) else {
            throw ValidationError("\(option) takes a duration such as 90s, 30m, 2h or plain seconds, not '\(text)'")
        }
        return value
    }
}

/// Byte sizes and pixel counts with their units, refused with the forms they take.
enum UnitArgument {
    static func bytes(_ text: String, option: String) throws -> Int {
        guard let value = Units.bytes(text) else {
            throw ValidationError("\(option) takes a byte size such as 268435456, 300MB or 256MiB (KB, MB, GB are 1000s; KiB, MiB, GiB 1024s), not '\(text)'")
        }
        return value
    }

    static func pixels(_ text: String, option: String) throws -> Int {
        guard let value = Units.pixels(text) else {
            throw ValidationError("\(option) takes a pixel count such as 100000000 or 100M (M: a million), not '\(text)'")
        }
        return value
    }

    static func seconds(_ text: String, option: String) throws -> Double {
        try DurationArgument.parse(text, option: option).seconds
    }
}
