import ArgumentParser
import Foundation
import SoraImg

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a photo is and what it would leak, before it leaves your machine.",
        discussion: """
            For each image: its format, stored and upright size, EXIF orientation, the size prep would make, and a privacy report of the metadata that can identify a person or a place, in EXIF, XMP, IPTC or the file's own comments and text: GPS position, place names (city, state, country), camera serial numbers, owner and artist names, face and person regions with the names they carry (MWG, Microsoft Photo, IPTC Extension), embedded thumbnails of the uncropped original, comments, and the ICC, XMP, IPTC and EXIF blocks. soraimg prep removes all of it.

            Then it prepares the image in memory, as `soraimg prep` would with the same options, and counts the human faces in the region prep would upload (dlib's frontal face detector, run locally): the Videos API rejects reference images that show faces. With --faces ignore it runs prep's checks only: its limits, and its decode of the pixels (at prep's own shrink-on-load scale), without resizing or encoding.

            A file prep would refuse (over --max-pixels, truncated, corrupt) is shown with what could be read, the line says "prep would refuse it" and why, and inspect exits with prep's code (65).

            Examples:
              soraimg inspect photo.jpg
              soraimg inspect *.jpg --json | jq '.images[] | select(.privacy[].kind == "gps") | .file'
            """
    )

    @Argument(help: "Images to inspect; - reads standard input.")
    var images: [String]

    @OptionGroup var target: ModelOptions
    @OptionGroup var service: ProviderOption

    @OptionGroup var fitting: FitOptions

    @Option(help: "warn (the default) and refuse both count the human faces in the region prep would upload (inspect writes and sends nothing, so refuse only reports them as warn does; it is accepted so prep's options work here); ignore does not look and reads headers only.")
    var faces = FacePolicy.warn

    @OptionGroup var limits: InputLimitOptions

    @Option(help: ArgumentHelp(
        "Draw what prep will upload: the photo with the region it keeps outlined, the rest dimmed, faces boxed and a caption. A .png or .jpg file for one image, or a folder (DIR/) for several: DIR/STEM.preview.png.",
        valueName: "FILE|DIR/"))
    var preview: String?

    @Flag(help: "Print one JSON document on standard output.")
    var json = false

    func validate() throws {
        if images.filter({ $0 == "-" }).count > 0 && images.count > 1 {
            throw ValidationError("standard input (-) can only be the one input")
        }
        if let preview {
            guard !images.contains("-") else { throw ValidationError("--preview needs image files, not standard input") }
            if images.count > 1, !PreviewDestination.isFolder(preview) {
                throw ValidationError("--preview \(preview) names one file but \(images.count) images were given; use --preview DIR/")
            }
            if !PreviewDestination.isFolder(preview), PreviewDestination.format(of: preview) == nil {
                throw ValidationError("--preview \(preview): the preview is a .png or .jpg file, or a folder ending in /")
            }
        }
    }

    func run() throws {
        try Terminal.startImageProcessing()
        var options = PrepOptions()
        try target.apply(to: &options, provider: try service.resolved())
        fitting.apply(to: &options)
        options.faces = faces == .ignore ? .ignore : .warn
        limits.apply(to: &options)
        var reports: [InspectDocument.Image] = []
        var errors: [PrepDocument.Failure] = []
        var status = ExitStatus.ok
        for image in images {
            do throws(PrepError) {
                let report = try ImageInspector.inspect(ImageInput(argument: image), options: options)
                var drawn: String?
                if let preview { drawn = try Self.drawPreview(of: image, report: report, options: options, to: preview) }
                reports.append(InspectDocument.Image(file: image, report: report, preview: drawn))
                if let factor = report.upscale, let target = report.target {
                    PrepReporter.printError(UpscaleWarning.line(factor, input: image, from: report.source.upright, to: target))
                }
                if !json { Self.printReport(report, file: image) }
                // What could be read is shown above; the file still fails as prep fails it.
                if let refusal = report.refusal { throw refusal }
            } catch {
                errors.append(PrepDocument.Failure(input: image, exit_code: error.exitStatus.rawValue, message: error.message))
                PrepReporter.printError("soraimg: \(image): \(error.message)")
                if status == .ok { status = error.exitStatus }
            }
        }
        if json { printJSON(InspectDocument(images: reports, errors: errors)) }
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    /// Draws and writes the preview of `image`; returns where it went.
    private static func drawPreview(of image: String, report: InspectReport, options: PrepOptions, to destination: String) throws(PrepError) -> String {
        let path = PreviewDestination.path(for: image, destination: destination)
        let drawn = try UploadPreview.draw(file: image, report: report, options: options, format: PreviewDestination.format(of: path) ?? .png)
        try AtomicFile.write(drawn.bytes, to: path, replacing: true)
        if let failure = drawn.captionFailure {
            Terminal.warn("\(path): drawn without its caption, because libvips could not render text here (\(failure))")
        }
        PrepReporter.printError("\(image): preview → \(path)")
        return path
    }

    private static func printReport(_ report: InspectReport, file: String) {
        let source = report.source
        var line = "\(file): \(source.format.displayName) \(source.stored)"
        if source.orientation != 1 { line += ", EXIF orientation \(source.orientation) (upright \(source.upright))" }
        if let refusal = report.refusal {
            line += ", prep would refuse it: \(refusal.message)"
        } else {
            line += report.target.map { ", prep makes \($0)" } ?? ", prep needs --size WxH for this model"
        }
        var lines = [line]
        if report.privacy.isEmpty {
            lines.append("  nothing identifying found")
        } else {
            lines += report.privacy.map { "  \($0.kind.rawValue): \($0.detail)" }
            if report.refusal == nil {
                lines.append(report.privacy.count == 1 ? "  soraimg prep removes it." : "  soraimg prep removes all \(report.privacy.count) of these.")
            }
        }
        if let faces = report.faces {
            lines.append(faces.isEmpty
                ? "  faces: none found in the region prep would upload"
                : "  faces: \(faces.count) in the region prep would upload; the Videos API will likely reject it (\"Input images with faces of humans are currently rejected\")")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// The `--json` shape of `inspect`, as the README documents it for scripts: keys stay stable.
struct InspectDocument: Encodable {
    struct Size: Encodable {
        let width: Int
        let height: Int
        init(_ size: VideoSize) {
            width = size.width
            height = size.height
        }
    }

    /// The size prep would make, and how many times it would enlarge the photo (absent when
    /// it would not).
    struct Target: Encodable {
        let width: Int
        let height: Int
        let upscale: Double?
    }

    struct Image: Encodable {
        let file: String
        let format: String
        let width: Int
        let height: Int
        let orientation: Int
        let upright: Size
        let target: Target?
        let privacy: [PrivacyFinding]
        /// How many human faces prep's output would show; absent when not looked for.
        let faces: Int?
        /// Where they are, in the prepared image's pixels.
        let face_boxes: [FaceBox]?
        /// Where `--preview` drew it.
        let preview: String?

        init(file: String, report: InspectReport, preview: String? = nil) {
            self.preview = preview
            self.file = file
            format = report.source.format.rawValue
            width = report.source.stored.width
            height = report.source.stored.height
            orientation = report.source.orientation
            upright = Size(report.source.upright)
            target = report.target.map { Target(width: $0.width, height: $0.height, upscale: report.upscale) }
            privacy = report.privacy
            faces = report.faces?.count
            face_boxes = report.faces
        }
    }

    let images: [Image]
    let errors: [PrepDocument.Failure]
}

/// Prints one JSON document on standard output.
func printJSON(_ document: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(document) {
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
