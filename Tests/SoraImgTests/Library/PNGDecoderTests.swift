import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// soraimg decodes the commonest PNGs itself (libdeflate, then the row filters undone); they
/// must come out as libvips' loader decodes them, byte for byte, and every other PNG, damaged
/// ones included, must be left to libvips.
@Suite("PNG: soraimg's decoder gives libvips' pixels")
struct PNGDecoderTests {
    /// What libvips' own loader decodes.
    private func libvipsPixels(_ header: ImageHeader) throws -> [UInt8] {
        try header.reopen(adding: "", access: .random).pixelBytes()
    }

    private func header(_ bytes: [UInt8]) throws -> ImageHeader {
        try ImageProcessing.start()
        return try ImageHeader.read(SourceBytes(copying: bytes))
    }

    private func expectSamePixels(_ bytes: [UInt8], _ label: String) throws {
        let header = try header(bytes)
        let decoded = try #require(PNGDecoder.decode(header), "\(label): left to libvips")
        let reference = try header.reopen(adding: "", access: .random)
        #expect(decoded.bands == reference.bands && decoded.interpretation == reference.interpretation, "\(label)")
        #expect(decoded.orientation == reference.orientation, "\(label)")
        #expect(try decoded.pixelBytes() == libvipsPixels(header), "\(label): pixels differ from libvips'")
    }

    /// PNGs written by libpng (through `vips pngsave`) with each row filter it has, or its
    /// adaptive choice per row, for each number of bands.
    @Test("every row filter, grey to RGBA", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: [1, 2, 3, 4], ["none", "sub", "up", "avg", "paeth", "all"])
    func filters(bands: Int, filter: String) throws {
        let folder = Paths.temporaryFolder()
        let photo = folder.file("photo.v")
        try vips(["extract_area", Corpus.file("ianare__jolla.jpg"), photo, "1000", "800", "301", "203"])
        var source = photo
        if bands <= 2 {
            try vips(["colourspace", photo, folder.file("grey.v"), "b-w"])
            source = folder.file("grey.v")
        }
        if bands % 2 == 0 {
            // An alpha band that varies, so its filtering is exercised too.
            try vips(["bandjoin", "\(source) \(folder.file(bands == 2 ? "grey.v" : "photo.v"))", folder.file("joined.v")])
            try vips(["extract_band", folder.file("joined.v"), folder.file("alpha.v"), "0", "--n", "\(bands)"])
            source = folder.file("alpha.v")
        }
        let png = folder.file("out.png")
        try vips(["pngsave", source, png, "--filter", filter])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))
        let header = try header(bytes)
        #expect(header.image.bands == bands)
        try expectSamePixels(bytes, "\(bands) bands, filter \(filter)")
    }

    /// Corpus PNGs of the kind taken: RGBA with an eXIf chunk, with a Display P3 profile, an
    /// RGB pixel with a ProPhoto profile, an animated PNG (its default image).
    @Test("corpus PNGs it takes", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: ["sharp__with-alpha.png", "sharp__p3.png", "sharp__prophoto.png", "pillow__num_plays.png"])
    func corpusTaken(file: String) throws {
        try expectSamePixels(try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.file(file)))), file)
    }

    /// 16-bit, palettes, interlacing, transparency chunks, damage: libvips decodes (or refuses).
    @Test("corpus PNGs it leaves to libvips", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: ["sharp__16-bit-grey-alpha.png", "pillow__pil123p.png", "pillow__pil123rgba.png", "sharp__tbgn2c16.png",
                      "sharp__full-transparent.png", "pillow__tRNS_null_1x1.png", "sharp__Flag_of_the_Netherlands-16bit.png",
                      "pillow__broken_data_stream.png"])
    func corpusLeft(file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.file(file))))
        guard let header = try? header(bytes) else { return }  // refused before any pixel: nothing to decode
        #expect(PNGDecoder.decode(header) == nil, "\(file) was decoded by soraimg")
    }

    /// A small RGB image: rows of filter type 0, the zlib stream in stored blocks.
    private let rows: [[UInt8]] = (0..<7).map { y in (0..<(5 * 3)).map { UInt8(truncatingIfNeeded: $0 * 37 + y * 11) } }

    @Test("image data split over several IDAT chunks is joined")
    func splitData() throws {
        let stream = PNGWriter.zlibStored(rows.flatMap { [0] + $0 })
        let thirds = [stream[..<10], stream[10..<40], stream[40...]].map { PNGWriter.chunk("IDAT", Array($0)) }
        let bytes = PNGWriter.file([PNGWriter.header(width: 5, height: 7, bitDepth: 8, colourType: 2)] + thirds + [PNGWriter.end])
        try expectSamePixels(bytes, "three IDAT chunks")
    }

    @Test("damage, transparency and unknown critical chunks are left to libvips",
          arguments: ["wrong CRC", "stream cut short", "tRNS", "unknown critical chunk", "no IEND"])
    func leftAlone(change: String) throws {
        let header = PNGWriter.header(width: 5, height: 7, bitDepth: 8, colourType: 2)
        var data = PNGWriter.imageData(rows: rows)
        var chunks: [[UInt8]] = []
        switch change {
        case "wrong CRC": data[data.count - 1] ^= 0xFF
        case "stream cut short":
            let stream = PNGWriter.zlibStored(rows.flatMap { [0] + $0 })
            data = PNGWriter.chunk("IDAT", Array(stream.dropLast(12)))
        case "tRNS": chunks = [PNGWriter.chunk("tRNS", [0, 1, 0, 2, 0, 3])]
        case "unknown critical chunk": chunks = [PNGWriter.chunk("ZZZZ", [1, 2, 3])]
        default: break
        }
        let bytes = PNGWriter.file([header] + chunks + [data] + (change == "no IEND" ? [] : [PNGWriter.end]))
        guard let read = try? self.header(bytes) else { return }  // libvips refused the header itself
        #expect(PNGDecoder.decode(read) == nil, "\(change): decoded by soraimg")
        // Without the change, the same image is taken: the test changes one thing at a time.
        try expectSamePixels(PNGWriter.file([header, PNGWriter.imageData(rows: rows), PNGWriter.end]), "unchanged")
    }

    private func vips(_ arguments: [String]) throws {
        let result = try runProcess("/usr/bin/vips", arguments, timeLimit: 60)
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "vips \(arguments): \(result.stderr)"]) }
    }
}
