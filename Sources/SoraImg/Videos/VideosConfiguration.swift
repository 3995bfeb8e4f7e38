import Foundation

/// Where the Videos API is and how to authenticate: provider-neutral settings, from the
/// command line or the environment (README, "soraimg animate and the job commands").
public struct VideosConfiguration: Sendable {
    /// The protocol's home. OpenAI scheduled its own Sora API to shut down on 2026-09-24.
    public static let openAIBaseURL = "https://api.openai.com/v1"

    public enum AuthStyle: String, Sendable, CaseIterable {
        /// `Authorization: Bearer KEY` (OpenAI and most gateways).
        case bearer
        /// `api-key: KEY` (Azure-style gateways).
        case apiKey = "api-key"
        /// `x-goog-api-key: KEY` (the Gemini API).
        case googleAPIKey = "x-goog-api-key"
        /// `Authorization: Key KEY` (fal: its docs and fal-client 1.0.3 send exactly this).
        case key
    }

    /// The service spoken to; its dialect reads and writes the requests.
    public let provider: Provider

    /// The API root as it may be shown and recorded: never any credentials.
    public var baseURL: String { service.display }
    /// The API root, parsed once; a query string in it (`?api-version=...`) goes on every request.
    public let service: ServiceURL
    public var apiKey: String
    public var auth: AuthStyle
    public var organization: String?
    public var project: String?
    /// A second root that takes the key, for a provider with a separate storage service (fal's
    /// uploads at rest.fal.ai); nil for the others.
    public var storage: ServiceURL?

    /// - Parameter source: where `baseURL` came from (`--base-url`, `OPENAI_BASE_URL`), named
    ///   by any error about it.
    public init(
        provider: Provider = .openai, baseURL: String, apiKey: String, auth: AuthStyle? = nil, organization: String? = nil,
        project: String? = nil, source: String = "--base-url"
    ) throws(VideosError) {
        self.provider = provider
        do {
            // A user:password in the base URL is used for nothing and shown nowhere: the key is
            // the credential.
            service = try ServiceURL(baseURL, source: source)
        } catch {
            throw VideosError(.usage, error.message)
        }
        self.apiKey = apiKey
        self.auth = auth ?? provider.defaultAuth
        self.organization = organization
        self.project = project
    }

    /// A storage root (`SORAIMG_FAL_STORAGE_URL`), checked as a base URL is.
    public static func storageURL(_ text: String, source: String) throws(VideosError) -> ServiceURL {
        do {
            return try ServiceURL(text, source: source)
        } catch {
            throw VideosError(.usage, error.message)
        }
    }

    /// The full URL of `path` under the API root, the root's query kept.
    public func url(_ path: String, query: [String: String] = [:]) -> String {
        service.url(path: path, query: query)
    }

    public var isOpenAIDefault: Bool { provider == .openai && baseURL == Self.openAIBaseURL }

    /// The base URL is a bare origin (`http://127.0.0.1:8080`), without the `/v1` the
    /// protocol's paths hang from.
    public var lacksVersionPath: Bool { service.path.isEmpty || service.path == "/" }

    /// The base URL as it may be shown and recorded (it never holds credentials).
    public var displayBaseURL: String { baseURL.printable(limit: 300) }

    /// `url` without any `user:password@` part.
    public static func withoutCredentials(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else {
            // Not parseable as a whole: cut anything between the scheme and an `@` in the authority.
            guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
                !url[scheme.upperBound..<at].contains("/")
            else { return url }
            return String(url[..<scheme.upperBound]) + url[url.index(after: at)...]
        }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }

    /// The headers every request carries; the key is marked as a credential.
    var headers: [HTTPHeader] {
        var headers: [HTTPHeader]
        switch auth {
        case .bearer: headers = [HTTPHeader("Authorization", "Bearer \(apiKey)", isCredential: true)]
        case .apiKey: headers = [HTTPHeader("api-key", apiKey, isCredential: true)]
        case .googleAPIKey: headers = [HTTPHeader("x-goog-api-key", apiKey, isCredential: true)]
        case .key: headers = [HTTPHeader("Authorization", "Key \(apiKey)", isCredential: true)]
        }
        if let organization { headers.append(HTTPHeader("OpenAI-Organization", organization, isCredential: true)) }
        if let project { headers.append(HTTPHeader("OpenAI-Project", project, isCredential: true)) }
        return headers
    }

    /// Reads an API key from a file, warning (through `warn`) when others can read it. A
    /// refusal says which of the usual reasons it is: no such file, a folder, not readable by
    /// this user, or empty.
    public static func readKeyFile(_ path: String, warn: (String) -> Void) throws(VideosError) -> String {
        let shown = path.printable(limit: 300)
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno
            if reason == ENOENT || reason == ENOTDIR {
                throw VideosError(.usage, "the API key file \(shown) does not exist", hint: "check the path, or put the key in OPENAI_API_KEY instead")
            }
            throw VideosError(.usage, "cannot reach the API key file \(shown): \(String(cString: strerror(reason)))")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw VideosError(.usage, "the API key file \(shown) is a folder; give the file that holds the key")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, R_OK) == 0 ? "it could not be read" : "this user may not read it (\(String(cString: strerror(errno))))"
            throw VideosError(.usage, "cannot read the API key file \(shown): \(reason)", hint: "it should belong to you, with mode 600")
        }
        if info.st_mode & 0o077 != 0 {
            warn("\(shown) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw VideosError(.usage, "the API key file \(shown) is empty; it should hold the key alone") }
        try checkKey(key, from: "the API key file \(shown)")
        return key
    }

    /// What to do about a missing key. A base URL on this machine is most likely
    /// `soraimg sandbox`, which takes any non-empty key.
    public static func missingKeyHint(provider: Provider = .openai, baseURL: String, source: String) -> String {
        let host = URLComponents(string: baseURL)?.host?.lowercased() ?? ""
        let variable = provider.keyVariables.last ?? "the key variable"
        if ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            return "\(source) points at \(baseURL.printable(limit: 200)) on this machine; a soraimg sandbox there takes any non-empty key, such as \(variable)=test"
        }
        if provider == .openai {
            return "to try soraimg without a key, run `soraimg sandbox` and point OPENAI_BASE_URL at the URL it prints (it takes any non-empty key)"
        }
        return "to try soraimg without a key, run `soraimg sandbox --provider \(provider)` and point SORAIMG_BASE_URL at the URL it prints (it takes any non-empty key)"
    }

    /// A header value from the environment (an organization or project id) must be one line
    /// of visible text: a line break would add headers of its own to every request.
    public static func checkHeaderValue(_ value: String, name: String, from source: String) throws(VideosError) {
        do {
            try HeaderValue.check(value, name: name, source: source)
        } catch {
            throw VideosError(.usage, error.message)
        }
    }

    /// A key is one token of visible ASCII. Anything else (a second line, a space, a control
    /// character) would let the file or variable add headers of its own to every request, so it
    /// is refused, without quoting the key.
    public static func checkKey(_ key: String, from source: String) throws(VideosError) {
        guard key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw VideosError(.usage, "\(source) holds more than one key-like token (spaces, line breaks or control characters); it should hold the key alone")
        }
    }
}
