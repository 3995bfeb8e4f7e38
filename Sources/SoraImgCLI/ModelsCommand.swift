import ArgumentParser
import Foundation
import SoraImg

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models soraimg knows: sizes, durations and reference prices.",
        discussion: "Other model names pass through with --size WxH; dated snapshots (sora-2-pro-2025-10-06) use their family's table. Prices are reference prices for --dry-run's estimate; a provider charges its own. With --provider openrouter the list is OpenRouter's own (GET /videos/models, no key needed; cached for a day in $XDG_CACHE_HOME/soraimg/, --refresh asks again), with whether a photo can be each model's first frame.")

    @Flag(help: "Print one JSON document on standard output.") var json = false
    @Flag(help: "With --provider openrouter: ask for OpenRouter's model list even when the cached one is less than a day old.")
    var refresh = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        // Every provider's table unless one is named.
        let provider = try service.named()
        var facts = VideoModel.catalogue.filter { provider == nil || $0.provider == provider!.rawValue }
        var catalogue: OpenRouterCatalogue?
        var failure: VideosError?
        if provider == .openrouter {
            // The list needs no key by OpenRouter's examples; one is sent when set.
            let engine = try api.engine(provider: .openrouter, requireKey: false)
            do {
                catalogue = try engine.openRouterModels(refresh: refresh) { Terminal.warn($0) }
                facts = catalogue!.facts
            } catch {
                failure = error
            }
        }
        if json {
            printJSON(ModelsDocument(models: facts.map(ModelsDocument.Model.init)))
        } else {
            for fact in facts {
                let model = fact.model
                let prices = fact.pricePerSecond.map { String(format: "%@ $%.2f", $0.size.description, $0.usd) }
                var lines = [
                    "\(model.name.printable(limit: 200)) (\(fact.provider))",
                    "  sizes: \(model.sizes.isEmpty ? "none stated (give --size WxH)" : model.sizes.map(\.description).joined(separator: ", "))"
                        + (model.sizeRange.map { ", or with --size \($0) (the video follows the image)" } ?? ""),
                    "  seconds: \(model.seconds.isEmpty ? "none stated" : model.seconds.joined(separator: ", "))"
                        + (fact.defaultSeconds.isEmpty ? "" : " (default \(fact.defaultSeconds))"),
                    "  reference price a second: \(prices.isEmpty ? "unknown" : prices.joined(separator: ", "))",
                ]
                if let listed = catalogue?.model(named: model.name) {
                    lines.append("  photo as first frame: \(fact.firstFrame ? "yes" : "no")")
                    if !listed.pricingSKUs.isEmpty {
                        let skus = listed.pricingSKUs.sorted { $0.key < $1.key }.map { "\($0.key.printable(limit: 60)) \($0.value)" }
                        lines.append("  pricing_skus (USD): \(skus.joined(separator: ", "))")
                    }
                }
                if fact.assumed { lines.append("  assumed in part: \(fact.source)") }
                print(lines.joined(separator: "\n"))
            }
            if let catalogue {
                Terminal.printError("OpenRouter's model list from \(catalogue.baseURL.printable(limit: 200)), fetched \(catalogue.fetchedAt); --refresh asks again")
            }
        }
        if let failure {
            Terminal.report(failure, input: nil, following: false)
            throw ExitCode(failure.exitStatus.rawValue)
        }
    }
}

/// The `--json` document of `soraimg models`.
struct ModelsDocument: Encodable {
    struct Model: Encodable {
        let provider: String
        let model: String
        let sizes: [String]
        let seconds: [Int]
        let default_seconds: Int?
        /// US dollars a second at the size `--size auto` makes of a landscape photo (the 720p
        /// one), else the first size with a price; null when no price is known.
        let usd_per_second: Double?
        /// US dollars a second, by size, for models whose price depends on it.
        let usd_per_second_by_size: [String: Double]
        let first_frame: Bool
        let assumed: Bool
        let source: String

        init(_ fact: ModelFacts) {
            provider = fact.provider
            model = fact.model.name
            sizes = fact.model.sizes.map(\.description)
            seconds = fact.model.seconds.compactMap { Int($0) }
            default_seconds = Int(fact.defaultSeconds)
            let prices = fact.pricePerSecond
            usd_per_second = (prices.first { $0.size.height == 720 && $0.size.width > $0.size.height } ?? prices.first)?.usd
            usd_per_second_by_size = Dictionary(prices.map { ($0.size.description, $0.usd) }, uniquingKeysWith: { first, _ in first })
            first_frame = fact.firstFrame
            assumed = fact.assumed
            source = fact.source
        }

        private enum CodingKeys: String, CodingKey {
            case provider, model, sizes, seconds, default_seconds, usd_per_second, usd_per_second_by_size, first_frame, assumed, source
        }

        /// Every key always present: an unknown price or duration is null, not missing.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(provider, forKey: .provider)
            try container.encode(model, forKey: .model)
            try container.encode(sizes, forKey: .sizes)
            try container.encode(seconds, forKey: .seconds)
            try container.encode(default_seconds, forKey: .default_seconds)
            try container.encode(usd_per_second, forKey: .usd_per_second)
            try container.encode(usd_per_second_by_size, forKey: .usd_per_second_by_size)
            try container.encode(first_frame, forKey: .first_frame)
            try container.encode(assumed, forKey: .assumed)
            try container.encode(source, forKey: .source)
        }
    }

    let models: [Model]
}
