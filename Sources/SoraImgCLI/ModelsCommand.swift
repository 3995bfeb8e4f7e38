import ArgumentParser
import Foundation
import SoraImg

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models soraimg knows: sizes, durations and reference prices.",
        discussion: "Other model names pass through with --size WxH; dated snapshots (sora-2-pro-2025-10-06) use their family's table. Prices are reference prices for --dry-run's estimate; a provider charges its own.")

    @Flag(help: "Print one JSON document on standard output.") var json = false
    @OptionGroup var service: ProviderOption

    func run() throws {
        // Every provider's table unless one is named.
        let provider = try service.named()
        let facts = VideoModel.catalogue.filter { provider == nil || $0.provider == provider!.rawValue }
        if json { return printJSON(ModelsDocument(models: facts.map(ModelsDocument.Model.init))) }
        for fact in facts {
            let model = fact.model
            let prices = fact.pricePerSecond.map { String(format: "%@ $%.2f", $0.size.description, $0.usd) }
            print("""
                \(model.name) (\(fact.provider))
                  sizes: \(model.sizes.map(\.description).joined(separator: ", "))\(model.sizeRange.map { ", or with --size \($0) (the video follows the image)" } ?? "")
                  seconds: \(model.seconds.joined(separator: ", ")) (default \(fact.defaultSeconds))
                  reference price a second: \(prices.isEmpty ? "unknown" : prices.joined(separator: ", "))\(fact.assumed ? "\n  assumed in part: \(fact.source)" : "")
                """)
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
        /// US dollars a second, by size.
        let usd_per_second: [String: Double]
        let first_frame: Bool
        let assumed: Bool
        let source: String

        init(_ fact: ModelFacts) {
            provider = fact.provider
            model = fact.model.name
            sizes = fact.model.sizes.map(\.description)
            seconds = fact.model.seconds.compactMap { Int($0) }
            default_seconds = Int(fact.defaultSeconds)
            usd_per_second = Dictionary(fact.pricePerSecond.map { ($0.size.description, $0.usd) }, uniquingKeysWith: { first, _ in first })
            first_frame = fact.firstFrame
            assumed = fact.assumed
            source = fact.source
        }
    }

    let models: [Model]
}
