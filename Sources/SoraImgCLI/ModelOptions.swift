import ArgumentParser
import SoraImg

/// The model and size options `prep`, `inspect`, `animate` and `bench` share; the model is
/// read at the provider `--provider` names, so a photo prepared alone is exactly what
/// `animate` would send there.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Video model the image is for; sets the allowed sizes (default: the provider's, sora-2 for openai; soraimg models lists them).",
        valueName: "name"))
    var model: String?

    @Option(help: ArgumentHelp(
        "auto (the model's 720p size in the photo's orientation), max (its largest), or WxH.",
        valueName: "auto|max|WxH"))
    var size = SizeRequest.auto

    /// The model named (or the provider's default), checked for near misses: with an exact
    /// size any name passes through, for models soraimg has no table for; without one, a near
    /// miss is a typo and is caught before any work.
    /// - Parameter catalogue: OpenRouter's model list, which gives a model without a built-in
    ///   table its sizes and durations (and is not a typo of one that has a table).
    func videoModel(at provider: Provider, catalogue: OpenRouterCatalogue? = nil) throws -> VideoModel {
        let name = model ?? provider.defaultModel
        if let catalogue, catalogue.model(named: name) != nil {
            return catalogue.videoModel(for: VideoModel(named: name, provider: provider))
        }
        if case .exact = size { return VideoModel(named: name, provider: provider) }
        do {
            try VideoModel.checkSpelling(name, provider: provider)
        } catch {
            throw Terminal.usageFailure(error.message)
        }
        return VideoModel(named: name, provider: provider)
    }

    /// - Parameter catalogue: for openrouter, the model list to size by; without one, the
    ///   list cached for `SORAIMG_BASE_URL` (else OpenRouter's own), so `prep` and `inspect`
    ///   size a photo as `animate` would without asking the network.
    func apply(to options: inout PrepOptions, provider: Provider, catalogue: OpenRouterCatalogue? = nil) throws {
        let list = provider == .openrouter ? catalogue ?? APIOptions.cachedOpenRouterModels() : nil
        options.model = try videoModel(at: provider, catalogue: list)
        options.size = size
    }
}
