import ArgumentParser
import SoraImg

/// How the image is fitted to the target, shared by `prep`, `inspect` and `animate`.
struct FitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "cover fills the frame and crops, contain shows the whole picture on the background, stretch distorts it to fit.",
            valueName: "cover|contain|stretch"),
        transform: { try Choice.parse($0, option: "--fit", as: FitMode.self) })
    var fit = FitMode.cover

    @Option(
        help: ArgumentHelp("Which part cover keeps: the centre, or what libvips' attention model finds most interesting.", valueName: "centre|attention"),
        transform: { try Choice.crop($0) })
    var crop = CropPosition.centre

    @Option(
        help: ArgumentHelp(
            "Padding for contain and colour under transparent pixels: white, black, grey (gray), red, green, blue, #rrggbb, or blur (a blurred cover of the picture).",
            valueName: "colour|#rrggbb|blur"),
        transform: { try Choice.background($0) })
    var background = Background.colour(.white)

    func apply(to options: inout PrepOptions) {
        options.fit = fit
        options.crop = crop
        options.background = background
    }
}

/// `--quality`, for the commands that encode an image (`prep`, and `animate` for its upload).
struct QualityOption: ParsableArguments {
    @Option(help: "JPEG and WebP quality, 1-100.")
    var quality = 95

    func apply(to options: inout PrepOptions) { options.quality = quality }
}

/// Closed value sets read with a suggestion for a near miss: "did you mean cover?".
enum Choice {
    static func parse<Value: RawRepresentable & CaseIterable>(_ text: String, option: String, as: Value.Type) throws -> Value
    where Value.RawValue == String {
        if let value = Value(rawValue: text.lowercased()) { return value }
        throw ValidationError(refusal(text, option: option, words: Value.allCases.map(\.rawValue)))
    }

    static func crop(_ text: String) throws -> CropPosition {
        if let value = CropPosition(parsing: text.lowercased()) { return value }
        throw ValidationError(refusal(text, option: "--crop", words: ["centre", "center", "attention"]))
    }

    static func background(_ text: String) throws -> Background {
        if let value = Units.background(text) { return value }
        var message = refusal(text, option: "--background", words: Units.backgroundWords)
        if !message.contains("did you mean") { message = "--background takes \(Units.colourNames.map(\.name).joined(separator: ", ")), #rrggbb or blur" }
        if text.hasPrefix("#") { message += "; a colour in hex is # and six digits, such as #336699" }
        throw ValidationError(message)
    }

    /// `did you mean cover? (cover, contain or stretch)`, or just the choices.
    static func refusal(_ text: String, option: String, words: [String]) -> String {
        let choices = words.dropLast().joined(separator: ", ") + (words.count > 1 ? " or " : "") + (words.last ?? "")
        if let guess = EditDistance.suggestion(for: text, among: words) {
            return "did you mean \(guess)? (\(option) takes \(choices))"
        }
        return "\(option) takes \(choices)"
    }
}
