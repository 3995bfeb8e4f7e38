/// What `soraimg inspect` tells about one image: its shape, the target prep would choose, and
/// the identifying metadata it carries (all of which prep removes).
public struct InspectReport: Sendable {
    public let source: SourceDescription
    /// The size prep would produce with the same model and size options; nil when the model's
    /// sizes are unknown and no size was given.
    public let target: VideoSize?
    public let privacy: [PrivacyFinding]
    /// The human faces in the region prep would upload, in the prepared image's coordinates;
    /// nil when not looked for (`FacePolicy.ignore`, no target size, no detector) or when the
    /// pixels could not be decoded.
    public let faces: [FaceBox]?
    /// How many times prep would enlarge the photo to reach `target`, rounded to a tenth; nil
    /// when it would not (or there is no target).
    public let upscale: Double?
}

/// Reads headers, and unless `options.faces` is `ignore`, prepares the image in memory to look
/// for faces in the region prep would upload.
public enum ImageInspector {
    public static func inspect(file path: String, options: PrepOptions) throws(PrepError) -> InspectReport {
        try Vips.start()
        return try inspect(InputReader.read(path: path, maxBytes: options.maxBytes), options: options)
    }

    /// Inspects an image already in memory (for example an upload a server received).
    public static func inspect(bytes: some Collection<UInt8>, options: PrepOptions) throws(PrepError) -> InspectReport {
        try Vips.start()
        guard !bytes.isEmpty else { throw PrepError(.corrupt, "empty file") }
        return try inspect(SourceBytes(copying: bytes), options: options)
    }

    public static func inspectStandardInput(options: PrepOptions) throws(PrepError) -> InspectReport {
        try Vips.start()
        return try inspect(InputReader.readStandardInput(maxBytes: options.maxBytes), options: options)
    }

    static func inspect(_ input: SourceBytes, options: PrepOptions) throws(PrepError) -> InspectReport {
        let header = try ImageHeader.read(input)
        let target = try? options.size.target(for: options.model, upright: header.source.upright)
        let upscale = target.flatMap { FitScale.upscale(source: header.source.upright, target: $0, fit: options.fit) }
        return InspectReport(
            source: header.source, target: target, privacy: header.findings, faces: faces(header, target: target, options: options),
            upscale: upscale)
    }

    /// The faces prep would upload. A file prep would refuse has none to report: the header
    /// report stands, and prep itself names the problem.
    private static func faces(_ header: ImageHeader, target: VideoSize?, options: PrepOptions) -> [FaceBox]? {
        guard options.faces != .ignore, target != nil, FaceDetection.isAvailable else { return nil }
        do {
            let (loaded, fitted) = try ImagePrep.render(header, options: options)
            return try FaceStage.look(at: fitted, loaded: loaded, policy: .warn)
        } catch {
            return nil
        }
    }
}
