/// What `soraimg inspect` tells about one image: its shape, the target prep would choose, and
/// the identifying metadata it carries (all of which prep removes).
public struct InspectReport: Sendable {
    public let source: SourceDescription
    /// The size prep would produce with the same model and size options; nil when the model's
    /// sizes are unknown and no size was given.
    public let target: VideoSize?
    public let privacy: [PrivacyFinding]
}

/// Reads headers only: inspecting never decodes pixels, so it is fast on any file.
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
        return InspectReport(source: header.source, target: target, privacy: header.findings)
    }
}
