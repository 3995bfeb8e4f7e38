/// An input opened for prep: its header read and checked, the target chosen, and the decoder
/// told how far it may shrink while decoding.
struct LoadedImage {
    let header: ImageHeader
    /// The image as the decoder will produce it (possibly shrunk on load), in stored orientation.
    let image: VipsImage
    /// The output size, upright.
    let target: VideoSize
    /// The decoder fills one buffer with the whole (shrunk) image rather than streaming it, so
    /// the fit may read every pixel at once.
    let decodedWhole: Bool

    var source: SourceDescription { header.source }
    var findings: [PrivacyFinding] { header.findings }
    /// The output size before the orientation is applied.
    var storedTarget: VideoSize { source.orientation >= 5 ? target.transposed : target }

    /// Opens the input again, as small as its decoder can make it cheaply: for analyses that
    /// need the whole picture while `image` streams once through the fit.
    func openPreview() throws(VipsFailure) -> VipsImage {
        switch source.format {
        case .jpeg: return try header.reopen(adding: "shrink=8", access: .random)
        case .webp: return try header.reopen(adding: "scale=\(max(0.125, min(1, 512 / Double(max(source.stored.width, source.stored.height)))))")
        case .png: return try header.reopen(adding: "")
        }
    }

    /// Runs work that decodes pixels, turning a libvips failure into a named refusal.
    func decoding<T>(_ work: () throws(VipsFailure) -> T) throws(PrepError) -> T {
        try header.decoding(work)
    }
}

enum LoadStage {
    /// Opens an input whose header was already read (`inspect` reads it first).
    static func open(_ header: ImageHeader, options: PrepOptions) throws(PrepError) -> LoadedImage {
        try checkPixels(header, options: options)
        let stored = header.source.stored
        let target = try options.size.target(for: options.model, upright: header.source.upright)
        let storedTarget = header.source.orientation >= 5 ? target.transposed : target
        let room = ShrinkOnLoad.room(source: stored.width, stored.height, target: storedTarget, fit: options.fit)
        let (image, whole) = try header.decoding { () throws(VipsFailure) in try shrunkOnLoad(header, room: room) }
        return LoadedImage(header: header, image: image, target: target, decodedWhole: whole)
    }

    /// Refuses an image over the pixel cap from its header, before a pixel is decoded (a
    /// decompression bomb); `inspect` asks the same.
    static func checkPixels(_ header: ImageHeader, options: PrepOptions) throws(PrepError) {
        let stored = header.source.stored
        guard stored.pixels <= options.maxPixels else {
            throw PrepError(.overLimit, "\(stored) is over the \(options.maxPixels)-pixel limit (--max-pixels)")
        }
    }

    /// Decodes up to this many pixels whole into memory (random access): about 48 MB, and
    /// measured faster than streaming (Benchmarks/README.md). Larger decodes stream, so memory
    /// stays bounded whatever the input.
    static let inMemoryDecodeLimit = 16_000_000

    /// Reopens the input with the decoder's own downscaling when it can skip work, and decodes
    /// small results whole (and says so).
    private static func shrunkOnLoad(_ header: ImageHeader, room: Double) throws(VipsFailure) -> (VipsImage, whole: Bool) {
        let stored = header.source.stored
        func access(shrinkingBy factor: Double) -> ImageHeader.Access {
            Double(stored.pixels) / (factor * factor) <= Double(inMemoryDecodeLimit) ? .random : .sequential
        }
        switch header.format {
        case .jpeg:
            let factor = ShrinkOnLoad.jpegFactor(room: room)
            let mode = access(shrinkingBy: Double(factor))
            guard factor > 1 || mode == .random else { return (header.image, false) }
            return (try header.reopen(adding: factor > 1 ? "shrink=\(factor)" : "", access: mode), mode == .random)
        case .webp:
            let scale = ShrinkOnLoad.webpScale(room: room)
            let mode = access(shrinkingBy: 1 / scale)
            guard scale < 1 || mode == .random else { return (header.image, false) }
            return (try header.reopen(adding: scale < 1 ? "scale=\(scale)" : "", access: mode), mode == .random)
        case .png:
            guard access(shrinkingBy: 1) == .random else { return (header.image, false) }
            if let decoded = PNGDecoder.decode(header) { return (decoded, true) }
            return (try header.reopen(adding: "", access: .random), true)
        }
    }
}

/// Names what went wrong when libvips could not decode an input.
enum DecodeFailure {
    static func refusal(for failure: VipsFailure, format: ImageFormat, pngChunks: PNGChunks?) -> PrepError {
        let detail = pngChunks?.cutShortDetail ?? failure.message.split(separator: "\n").first.map(String.init) ?? ""
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
