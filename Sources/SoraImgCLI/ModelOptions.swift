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
    func videoModel(at provider: Provider) throws -> VideoModel {
        let name = model ?? provider.defaultModel
        if case .exact = size { return VideoModel(named: name, provider: provider) }
        do {
            try VideoModel.checkSpelling(name, provider: provider)
        } catch {
            throw Terminal.usageFailure(error.message)
        }
        return VideoModel(named: name, provider: provider)
    }

    func apply(to options: inout PrepOptions, provider: Provider) throws {
        options.model = try videoModel(at: provider)
        options.size = size
    }
}
