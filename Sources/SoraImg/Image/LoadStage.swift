internal import CVips

/// An input opened for prep: its header read and checked, the target chosen, and the decoder
/// told how far it may shrink while decoding.
struct LoadedImage {
    /// The image as the decoder will produce it (possibly shrunk on load), in stored orientation.
    let image: VipsImage
    let source: SourceDescription
    /// The output size, upright.
    let target: VideoSize
    /// The output size before the orientation is applied.
    var storedTarget: VideoSize { source.orientation >= 5 ? target.transposed : target }
    /// The identifying metadata found in the header.
    let findings: [PrivacyFinding]
    /// A PNG's chunk walk, to tell a truncated PNG from a corrupt one.
    private let pngChunks: PNGChunks?

    init(image: VipsImage, source: SourceDescription, target: VideoSize, findings: [PrivacyFinding], pngChunks: PNGChunks?) {
        self.image = image
        self.source = source
        self.target = target
        self.findings = findings
        self.pngChunks = pngChunks
    }

    /// Runs work that decodes pixels, turning a libvips failure into a named refusal.
    func decoding<T>(_ work: () throws(VipsFailure) -> T) throws(PrepError) -> T {
        do {
            return try work()
        } catch {
            throw DecodeFailure.refusal(for: error, format: source.format, pngChunks: pngChunks)
        }
    }
}

enum LoadStage {
    /// How much damage a decoder may recover from. JPEG: any libjpeg warning fails, since
    /// libjpeg reports corrupt data as warnings and recovers by painting grey blocks (no file
    /// of the corpus that should load gives one). PNG and WebP: truncated data fails, while
    /// warnings such as libpng's "known incorrect sRGB profile", common in good files, pass.
    /// Buffer loads honour `fail_on` only through the option string; sequential access
    /// streams the decode.
    private static func loaderOptions(_ format: ImageFormat) -> String {
        "fail_on=\(format == .jpeg ? "warning" : "truncated"),access=sequential"
    }

    static func open(_ input: SourceBytes, options: PrepOptions) throws(PrepError) -> LoadedImage {
        let sniffed = SniffedFormat(input.bytes)
        guard case .supported(let format) = sniffed else { throw PrepError(.unsupportedFormat, sniffed.refusal) }
        let loaderOptions = loaderOptions(format)

        var decodable = input
        var pngChunks: PNGChunks?
        if format == .png {
            let chunks = PNGChunks(input.bytes)
            pngChunks = chunks
            // Never let libpng inflate text chunks (a zTXt bomb): cut them out first.
            if let withoutText = chunks.withoutText(input.bytes) { decodable = withoutText }
        }

        let header: VipsImage
        do {
            header = try VipsImage.open(decodable, options: loaderOptions)
        } catch {
            throw DecodeFailure.refusal(for: error, format: format, pngChunks: pngChunks)
        }

        let stored = VideoSize(width: header.width, height: header.height)
        guard stored.pixels <= options.maxPixels else {
            throw PrepError(.overLimit, "\(stored) is over the \(options.maxPixels)-pixel limit (--max-pixels)")
        }
        let source = SourceDescription(format: format, stored: stored, orientation: header.orientation)
        let target = try options.size.target(for: options.model, upright: source.upright)
        let storedTarget = source.orientation >= 5 ? target.transposed : target
        let findings = MetadataScan.findings(in: header, pngTextKeywords: pngChunks?.textKeywords ?? [])

        let image: VipsImage
        do {
            image = try shrunkOnLoad(header, decodable, format: format, target: storedTarget, loaderOptions: loaderOptions)
        } catch {
            throw DecodeFailure.refusal(for: error, format: format, pngChunks: pngChunks)
        }
        return LoadedImage(image: image, source: source, target: target, findings: findings, pngChunks: pngChunks)
    }

    /// Reopens the input with the decoder's own downscaling when it can skip work.
    private static func shrunkOnLoad(
        _ header: VipsImage, _ input: SourceBytes, format: ImageFormat, target: VideoSize, loaderOptions: String
    ) throws(VipsFailure) -> VipsImage {
        switch format {
        case .jpeg:
            let factor = ShrinkOnLoad.jpegFactor(source: header.width, header.height, target: target)
            guard factor > 1 else { return header }
            return try VipsImage.open(input, options: "\(loaderOptions),shrink=\(factor)")
        case .webp:
            let scale = ShrinkOnLoad.webpScale(source: header.width, header.height, target: target)
            guard scale < 1 else { return header }
            return try VipsImage.open(input, options: "\(loaderOptions),scale=\(scale)")
        case .png:
            return header
        }
    }
}

/// Names what went wrong when libvips could not decode an input.
enum DecodeFailure {
    static func refusal(for failure: VipsFailure, format: ImageFormat, pngChunks: PNGChunks?) -> PrepError {
        let detail = failure.message.split(separator: "\n").first.map(String.init) ?? ""
        let lowered = failure.message.lowercased()
        let name = format.displayName
        let truncatedSigns = ["premature end of input", "premature end of jpeg file", "truncated", "not enough data", "unexpected end"]
        let isCorrupt = lowered.contains("corrupt") || pngChunks?.isCorrupt == true
        let isTruncated = !isCorrupt && (truncatedSigns.contains { lowered.contains($0) } || pngChunks?.isTruncated == true)
        if isTruncated {
            return PrepError(.truncated, "truncated \(name): the file ends before the image does (\(detail))")
        }
        let reason = pngChunks?.isCorrupt == true ? "a chunk is damaged" : detail.isEmpty ? "libvips could not decode it" : detail
        return PrepError(.corrupt, "corrupt \(name): \(reason)")
    }
}
