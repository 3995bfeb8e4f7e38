import ArgumentParser
import Foundation
import SoraImg

/// `--provider`, which every command that makes or reads a video, or sizes an image for one,
/// takes. Its own group so a command with both model and API options declares it once.
struct ProviderOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The video service: openai (OPENAI_API_KEY), openrouter (OPENROUTER_API_KEY), gemini (GOOGLE_API_KEY or GEMINI_API_KEY), xai (XAI_API_KEY), fal (FAL_KEY) or replicate (REPLICATE_API_TOKEN). Default: $SORAIMG_PROVIDER, else openai.",
        valueName: "name"))
    var provider: String?

    /// `--provider`, else `SORAIMG_PROVIDER`, else the OpenAI protocol.
    func resolved() throws -> Provider {
        try named() ?? .openai
    }

    /// `--provider`, else `SORAIMG_PROVIDER`; nil when neither names one.
    func named() throws -> Provider? {
        do {
            if let provider { return try Provider.named(provider, source: "--provider") }
            if let variable = ProcessInfo.processInfo.environment["SORAIMG_PROVIDER"], !variable.isEmpty {
                return try Provider.named(variable, source: "SORAIMG_PROVIDER")
            }
            return nil
        } catch {
            throw Terminal.usageFailure(error.message)
        }
    }
}
