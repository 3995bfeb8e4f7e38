/// An input's header: its format from the content, its size and orientation, and the
/// identifying metadata it carries. No pixel is decoded to get it.
struct ImageHeader {
    let format: ImageFormat
    /// The bytes handed to libvips (a PNG's text chunks cut out).
    let decodable: SourceBytes
    /// The header as libvips read it; decoding from it streams the pixels once.
    let image: VipsImage
    let source: SourceDescription
    let findings: [PrivacyFinding]
    /// A PNG's chunk walk, to tell a truncated PNG from a corrupt one.
    let pngChunks: PNGChunks?
    /// A JPEG whose image data has no end marker: refused before any pixel is decoded, while
    /// the header stays readable for `inspect` to show.
    let endsEarly: Bool
    /// The libvips loader options every open of this input uses.
    let loaderOptions: String

    static func read(_ input: SourceBytes) throws(PrepError) -> ImageHeader {
        let sniffed = SniffedFormat(input.bytes)
        guard case .supported(let format) = sniffed else { throw PrepError(.unsupportedFormat, sniffed.refusal) }

        var decodable = input
        var pngChunks: PNGChunks?
        var containerFindings: [PrivacyFinding] = []
        var moreXMP: [[UInt8]] = []
        var endsEarly = false
        switch format {
        case .png:
            let chunks = PNGChunks(input.bytes)
            pngChunks = chunks
            // Never let libpng inflate text chunks (a zTXt bomb): cut them out first. A late
            // eXIf is moved where libpng reads it, for its orientation and privacy report.
            if let rewritten = chunks.decodable(input.bytes) { decodable = rewritten }
            containerFindings = chunks.ownerText.findings + chunks.otherText.findings
            containerFindings += chunks.xmpPackets.map { PrivacyFinding(kind: .xmp, detail: "XMP packet (\($0.count) bytes, PNG text chunk)") }
            if chunks.compressedXMP > 0 {
                containerFindings.append(PrivacyFinding(kind: .xmp, detail: "\(chunks.compressedXMP) compressed XMP text chunk(s), not inflated"))
            }
            moreXMP = chunks.xmpPackets
        case .jpeg:
            endsEarly = JPEGSegments.endsBeforeImageEnd(input.bytes)
            let segments = JPEGSegments(input.bytes)
            containerFindings = segments.findings
            moreXMP = segments.extendedXMP
        case .webp:
            break
        }

        let options = loaderOptions(format)
        let image: VipsImage
        do {
            image = try VipsImage.open(decodable, options: options + ",access=sequential")
        } catch {
            throw DecodeFailure.refusal(for: error, format: format, pngChunks: pngChunks)
        }
        let source = SourceDescription(
            format: format, stored: VideoSize(width: image.width, height: image.height), orientation: image.orientation)
        // Most telling first (GPS, serials, names), in the report's kind order.
        let findings = RepeatedFindings.capped(
            (MetadataScan.findings(in: image, moreXMP: moreXMP) + containerFindings).enumerated()
                .sorted { ($0.element.kind, $0.offset) < ($1.element.kind, $1.offset) }.map(\.element))
        return ImageHeader(
            format: format, decodable: decodable, image: image, source: source, findings: findings,
            pngChunks: pngChunks, endsEarly: endsEarly, loaderOptions: options)
    }

    /// How much damage a decoder may recover from. JPEG: any libjpeg warning fails, since
    /// libjpeg reports corrupt data as warnings and recovers by painting grey blocks (no file
    /// of the corpus that should load gives one). PNG and WebP: truncated data fails, while
    /// warnings such as libpng's "known incorrect sRGB profile", common in good files, pass.
    /// Buffer loads honour `fail_on` only through the option string. The header is opened
    /// for sequential access, which streams the decode when it is used as it is.
    private static func loaderOptions(_ format: ImageFormat) -> String {
        "fail_on=\(format == .jpeg ? "warning" : "truncated")"
    }

    /// Opens the input again with more loader options (`shrink=2`) and an access pattern.
    func reopen(adding options: String, access: Access = .sequential) throws(VipsFailure) -> VipsImage {
        try VipsImage.open(decodable, options: "\(loaderOptions),access=\(access.rawValue)" + (options.isEmpty ? "" : ",\(options)"))
    }

    /// How libvips reads the pixels: streamed top to bottom through a small cache shared by its
    /// threads, or decoded whole into memory first, which skips that cache's locking.
    enum Access: String {
        case sequential, random
    }

    /// Runs work that decodes pixels, turning a libvips failure into a named refusal.
    func decoding<T>(_ work: () throws(VipsFailure) -> T) throws(PrepError) -> T {
        if endsEarly {
            throw PrepError(.truncated, "truncated \(format.displayName): the file ends before the image does (no end-of-image marker after the image data)")
        }
        do {
            return try work()
        } catch {
            throw DecodeFailure.refusal(for: error, format: format, pngChunks: pngChunks)
        }
    }
}
