import ArgumentParser
import Foundation
import SoraImg

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a photo is and what it would leak, before it leaves your machine.",
        discussion: """
            For each image: its format, stored and upright size, EXIF orientation, the size prep would make, and a privacy report of the metadata that can identify a person or a place: GPS position, camera serial numbers, owner and artist names, face and person regions with the names they carry (MWG, Microsoft Photo, IPTC Extension), embedded thumbnails of the uncropped original, comments, and the ICC, XMP, IPTC and EXIF blocks. soraimg prep removes all of it.

            Then it prepares the image in memory, as `soraimg prep` would with the same options, and counts the human faces in the region prep would upload (dlib's frontal face detector, run locally): the Videos API rejects reference images that show faces. With --faces ignore only headers are read and no pixel is decoded.

            Examples:
              soraimg inspect photo.jpg
              soraimg inspect *.jpg --json | jq '.images[] | select(.privacy[].kind == "gps") | .file'
            """
    )

    @Argument(help: "Images to inspect; - reads standard input.")
    var images: [String]

    @OptionGroup var target: ModelOptions

    @OptionGroup var fitting: FitOptions

    @Option(help: "warn (the default) and refuse both count the human faces in the region prep would upload (inspect writes and sends nothing, so refuse only reports them as warn does; it is accepted so prep's options work here); ignore does not look and reads headers only.")
    var faces = FacePolicy.warn

    @Option(
        help: ArgumentHelp("Refuse input files larger than this (256MiB; KB, MB, GB are 1000s, KiB, MiB, GiB 1024s).", valueName: "bytes"),
        transform: { try UnitArgument.bytes($0, option: "--max-bytes") })
    var maxBytes = 268_435_456

    @Flag(help: "Print one JSON document on standard output.")
    var json = false

    func validate() throws {
        if images.filter({ $0 == "-" }).count > 0 && images.count > 1 {
            throw ValidationError("standard input (-) can only be the one input")
        }
    }

    func run() throws {
        var options = PrepOptions()
        target.apply(to: &options)
        fitting.apply(to: &options)
        options.faces = faces == .ignore ? .ignore : .warn
        options.maxBytes = maxBytes
        var reports: [InspectDocument.Image] = []
        var errors: [PrepDocument.Failure] = []
        var status = ExitStatus.ok
        for image in images {
            do {
                let report = image == "-"
                    ? try ImageInspector.inspectStandardInput(options: options)
                    : try ImageInspector.inspect(file: image, options: options)
                reports.append(InspectDocument.Image(file: image, report: report))
                if !json { Self.printReport(report, file: image) }
            } catch {
                errors.append(PrepDocument.Failure(input: image, exit_code: error.exitStatus.rawValue, message: error.message))
                PrepReporter.printError("soraimg: \(image): \(error.message)")
                if status == .ok { status = error.exitStatus }
            }
        }
        if json { printJSON(InspectDocument(images: reports, errors: errors)) }
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    private static func printReport(_ report: InspectReport, file: String) {
        let source = report.source
        var line = "\(file): \(source.format.displayName) \(source.stored)"
        if source.orientation != 1 { line += ", EXIF orientation \(source.orientation) (upright \(source.upright))" }
        line += report.target.map { ", prep makes \($0)" } ?? ", prep needs --size WxH for this model"
        var lines = [line]
        if report.privacy.isEmpty {
            lines.append("  nothing identifying found")
        } else {
            lines += report.privacy.map { "  \($0.kind.rawValue): \($0.detail)" }
            lines.append(report.privacy.count == 1 ? "  soraimg prep removes it." : "  soraimg prep removes all \(report.privacy.count) of these.")
        }
        if let faces = report.faces {
            lines.append(faces.isEmpty
                ? "  faces: none found in the region prep would upload"
                : "  faces: \(faces.count) in the region prep would upload; the Videos API will likely reject it (\"Input images with faces of humans are currently rejected\")")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// The `--json` shape of DESIGN.md §2 for `inspect`.
struct InspectDocument: Encodable {
    struct Size: Encodable {
        let width: Int
        let height: Int
        init(_ size: VideoSize) {
            width = size.width
            height = size.height
        }
    }

    struct Image: Encodable {
        let file: String
        let format: String
        let width: Int
        let height: Int
        let orientation: Int
        let upright: Size
        let target: Size?
        let privacy: [PrivacyFinding]
        /// How many human faces prep's output would show; absent when not looked for.
        let faces: Int?
        /// Where they are, in the prepared image's pixels.
        let face_boxes: [FaceBox]?

        init(file: String, report: InspectReport) {
            self.file = file
            format = report.source.format.rawValue
            width = report.source.stored.width
            height = report.source.stored.height
            orientation = report.source.orientation
            upright = Size(report.source.upright)
            target = report.target.map(Size.init)
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
