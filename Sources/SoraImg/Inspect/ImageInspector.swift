/// What `soraimg inspect` tells about one image: its shape, the target prep would choose, and
/// the identifying metadata it carries (all of which prep removes).
public struct InspectReport: Sendable {
    public let source: SourceDescription
    /// The size prep would produce with the same model and size options; nil when the model's
    /// sizes are unknown and no size was given, or when prep would refuse the file.
    public let target: VideoSize?
    public let privacy: [PrivacyFinding]
    /// The human faces in the region prep would upload, in the prepared image's coordinates;
    /// nil when not looked for (`FacePolicy.ignore`, no target size, no detector) or when prep
    /// would refuse the file.
    public let faces: [FaceBox]?
    /// Why prep would refuse the file (over the pixel cap, truncated, corrupt, over the time
    /// limit), with prep's exit code and message; nil when prep would take it. The fields
    /// above still say what could be read.
    public let refusal: PrepError?
    /// How many times prep would enlarge the photo to reach `target`, rounded to a tenth; nil
    /// when it would not (or there is no target).
    public let upscale: Double?
}

/// Reads headers, and unless `options.faces` is `ignore`, prepares the image in memory to look
/// for faces in the region prep would upload.
public enum ImageInspector {
    /// Inspects one image: a file, bytes in memory (an upload a server received) or standard
    /// input, read as prep reads it.
    public static func inspect(_ input: ImageInput, options: PrepOptions) throws(PrepError) -> InspectReport {
        try ImageProcessing.start()
        return try inspect(input.read(maxBytes: options.maxBytes), options: options)
    }

    static func inspect(_ input: SourceBytes, options: PrepOptions) throws(PrepError) -> InspectReport {
        let header = try ImageHeader.read(input)
        let target = try? options.size.target(for: options.model, upright: header.source.upright)
        let upscale = target.flatMap { FitScale.upscale(source: header.source.upright, target: $0, fit: options.fit) }
        do {
            let faces = try check(header, target: target, options: options)
            return InspectReport(
                source: header.source, target: target, privacy: header.findings, faces: faces, refusal: nil, upscale: upscale)
        } catch {
            // Shown beside the report, on the terminal: a decoder's message may quote the file.
            let refusal = PrepError(error.kind, error.message.printable(limit: 300))
            return InspectReport(source: header.source, target: nil, privacy: header.findings, faces: nil, refusal: refusal, upscale: nil)
        }
    }

    /// Runs what prep would run on the pixels, throwing its refusal. With a face detector and
    /// a target, that is prep itself, in memory, and the faces in what it made; otherwise
    /// prep's checks alone (`PrepCheck`): its limits and its decode, without the rest.
    private static func check(_ header: ImageHeader, target: VideoSize?, options: PrepOptions) throws(PrepError) -> [FaceBox]? {
        guard options.faces != .ignore, target != nil, FaceDetection.isAvailable else {
            try PrepCheck.validate(header, target: target, options: options)
            return nil
        }
        let (_, fitted) = try ImagePrep.render(header, options: options)
        // The detector failing says nothing about the file: no count, and no refusal.
        return try? FaceStage.look(at: fitted, policy: .warn)
    }
}
