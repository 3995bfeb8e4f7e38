import ArgumentParser
import SoraImg

/// The model and size options `prep` and `inspect` share.
struct ModelOptions: ParsableArguments {
    @Option(help: "Video model the image is for; sets the allowed sizes (sora-2, sora-2-pro, dated snapshots).")
    var model = "sora-2"

    @Option(help: ArgumentHelp(
        "auto (the model's 720p size in the photo's orientation), max (its largest), or WxH.",
        valueName: "auto|max|WxH"))
    var size = SizeRequest.auto

    func apply(to options: inout PrepOptions) {
        options.model = VideoModel(named: model)
        options.size = size
    }
}
