import Foundation

/// OpenRouter's video models as `GET /videos/models` lists them, cached per base URL under
/// `$XDG_CACHE_HOME/soraimg/` (else `~/.cache/soraimg/`) so `prep` works without the network
/// and `animate` asks at most once a day.
public struct OpenRouterCatalogue: Codable, Sendable, Equatable {
    /// The API root the list came from, without credentials.
    public let baseURL: String
    public let fetchedAt: Date
    public let models: [OpenRouterModel]

    /// How long a fetched list is used before it is asked for again: new models appear on
    /// OpenRouter every few weeks, prices rarely change within a day.
    public static let freshness: TimeInterval = 24 * 3600

    public init(baseURL: String, fetchedAt: Date, models: [OpenRouterModel]) {
        self.baseURL = baseURL
        self.fetchedAt = fetchedAt
        self.models = models
    }

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url"
        case fetchedAt = "fetched_at"
        case models
    }

    public func model(named name: String) -> OpenRouterModel? {
        models.first { $0.id == name }
    }

    public func isFresh(now: Date = Date()) -> Bool {
        let age = now.timeIntervalSince(fetchedAt)
        // A time in the future is a clock that moved: not trusted.
        return age >= -300 && age < Self.freshness
    }

    /// The list in the service's answer (`{"data": [VideoModel]}`, `VideoModelsListResponse`
    /// in the spec); a model that cannot be read is left out, not the whole list.
    @_spi(Fuzzing) public static func parse(_ body: [UInt8], baseURL: String, now: Date = Date()) throws(VideosError) -> OpenRouterCatalogue {
        struct Listing: Decodable {
            let data: [Lenient]
        }
        struct Lenient: Decodable {
            let model: OpenRouterModel?
            init(from decoder: any Decoder) throws { model = try? OpenRouterModel(from: decoder) }
        }
        guard let listing = try? JSONDecoder().decode(Listing.self, from: Data(body)) else {
            throw VideosError(
                .unavailable, "\(baseURL)/videos/models answered with something that is not OpenRouter's model list",
                hint: "check --base-url: OpenRouter's API root is \(Provider.openrouter.defaultBaseURL)")
        }
        // A name with control characters or of absurd length is not a model id.
        let models = listing.data.compactMap(\.model).filter { !$0.id.isEmpty && $0.id.utf8.count <= 200 && $0.id == $0.id.printable(limit: 200) }
        return OpenRouterCatalogue(baseURL: baseURL, fetchedAt: now, models: models)
    }

    // MARK: The cache

    /// The cache file for `baseURL`: one per API root, so a sandbox's list never stands in
    /// for OpenRouter's.
    public static func cachePath(for baseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let folder: String
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            folder = cache + "/soraimg"
        } else {
            folder = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.cache/soraimg"
        }
        return folder + "/openrouter-models-" + Digest.sha256(Array(baseURL.utf8)).prefix(16) + ".json"
    }

    /// The cached list for `baseURL`, whatever its age; nil when there is none or it cannot
    /// be read (a cache is never worth an error).
    public static func cached(for baseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> OpenRouterCatalogue? {
        let path = cachePath(for: baseURL, environment: environment)
        guard let data = FileManager.default.contents(atPath: path), data.count < 16 << 20,
            let catalogue = try? Self.decoder.decode(OpenRouterCatalogue.self, from: data), catalogue.baseURL == baseURL
        else { return nil }
        return catalogue
    }

    public static func cached(for configuration: VideosConfiguration) -> OpenRouterCatalogue? {
        cached(for: configuration.baseURL)
    }

    /// The cached list for a base URL as the user wrote it (credentials and a trailing `/`
    /// make no difference); nil when it is not a base URL or nothing is cached.
    public static func cached(forBaseURL text: String) -> OpenRouterCatalogue? {
        (try? ServiceURL(text, source: "the base URL")).flatMap { cached(for: $0.display) }
    }

    /// Writes the list to its cache file whole or not at all (a temporary file renamed into
    /// place), in a folder only this user can read. A failure is returned for a warning: the
    /// list itself is still good.
    @discardableResult
    public func save(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = Self.cachePath(for: baseURL, environment: environment)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .secondsSince1970
            try AtomicFile.write(Array(try encoder.encode(self)), to: path, replacing: true)
            return nil
        } catch let error as PrepError {
            return "could not cache OpenRouter's model list in \(folder): \(error.message)"
        } catch {
            return "could not cache OpenRouter's model list in \(folder): \(error.localizedDescription)"
        }
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}

extension JobEngine {
    /// OpenRouter's video models: the cached list while it is fresh (unless `refresh`), else
    /// `GET /videos/models`, cached for next time. When asking fails, a stale cached list is
    /// used rather than nothing, and `warn` says so.
    ///
    /// The key goes with the request when there is one. OpenRouter's examples call this
    /// endpoint without one, but its OpenAPI spec puts every operation under bearer auth;
    /// whether it refuses a request without a key is UNCONFIRMED, and the key goes only to the
    /// base URL's origin either way.
    public func openRouterModels(refresh: Bool = false, warn: (String) -> Void = { _ in }) throws(VideosError) -> OpenRouterCatalogue {
        let base = configuration.baseURL
        let cached = OpenRouterCatalogue.cached(for: base)
        if !refresh, let cached, cached.isFresh() { return cached }
        let headers = configuration.apiKey.isEmpty ? [] : configuration.headers
        let request = HTTPRequest(method: .get, url: configuration.url("/videos/models"), headers: headers, timeout: 60)
        do {
            let response = try fetch(request, id: nil, collection: true)
            let catalogue = try OpenRouterCatalogue.parse(response.body, baseURL: base)
            if let problem = catalogue.save() { warn(problem) }
            return catalogue
        } catch {
            guard let cached else {
                var error = error
                if error.kind == .auth, configuration.apiKey.isEmpty {
                    error.hint = "\(base) wants a key for its model list: set OPENROUTER_API_KEY (or give --api-key-file)"
                }
                throw error
            }
            warn("could not refresh OpenRouter's model list (\(error.message)); using the one fetched \(JournalRecord.formatTime(cached.fetchedAt))")
            return cached
        }
    }
}
