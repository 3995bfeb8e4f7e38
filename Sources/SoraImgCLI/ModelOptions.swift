import ArgumentParser
import SoraImg

/// The model and size options `prep`, `inspect`, `animate` and `bench` share.
struct ModelOptions: ParsableArguments {
    @Option(help: "Video model the image is for; sets the allowed sizes (sora-2, sora-2-pro, dated snapshots; soraimg models lists them).")
    var model = "sora-2"

    @Option(help: ArgumentHelp(
        "auto (the model's 720p size in the photo's orientation), max (its largest), or WxH.",
        valueName: "auto|max|WxH"))
    var size = SizeRequest.auto

    func validate() throws {
        // With an exact size any model name passes through, for providers soraimg has no
        // table for; without one, a near miss is a typo and is caught before any work.
        if case .exact = size { return }
        do {
            try VideoModel.checkSpelling(model)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func apply(to options: inout PrepOptions) {
        options.model = VideoModel(named: model)
        options.size = size
    }
}
