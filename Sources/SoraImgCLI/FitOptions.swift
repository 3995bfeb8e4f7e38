import ArgumentParser
import SoraImg

/// How the image is fitted to the target, shared by `prep` and `animate`.
struct FitOptions: ParsableArguments {
    @Option(help: "cover fills the frame and crops, contain shows the whole picture on the background, stretch distorts it to fit.")
    var fit = FitMode.cover

    @Option(help: "Which part cover keeps: the centre, or what libvips' attention model finds most interesting.")
    var crop = CropPosition.centre

    @Option(help: ArgumentHelp(
        "Padding for contain and colour under transparent pixels: white, black, #rrggbb, or blur (a blurred cover of the picture).",
        valueName: "white|black|#rrggbb|blur"))
    var background = Background.colour(.white)

    @Option(help: "JPEG and WebP quality, 1-100.")
    var quality = 95

    func apply(to options: inout PrepOptions) {
        options.fit = fit
        options.crop = crop
        options.background = background
        options.quality = quality
    }
}
