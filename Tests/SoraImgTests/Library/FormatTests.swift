import Foundation
import Testing

@testable import SoraImg

@Suite("Format sniffing and PNG chunks")
struct FormatTests {
    private func sniff(_ bytes: [UInt8]) -> SniffedFormat {
        bytes.withUnsafeBytes { SniffedFormat($0) }
    }

    @Test("the content decides, whatever the name")
    func sniffing() {
        #expect(sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .supported(.jpeg))
        #expect(sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .supported(.png))
        #expect(sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .supported(.webp))
        #expect(sniff(Array("\u{0}\u{0}\u{0}\u{18}ftypheic".utf8)) == .unsupported(name: "HEIC"))
        #expect(sniff(Array("\u{0}\u{0}\u{0}\u{18}ftypavif".utf8)) == .unsupported(name: "AVIF"))
        #expect(sniff(Array("GIF89a....".utf8)) == .unsupported(name: "GIF"))
        #expect(sniff(Array("%PDF-1.4".utf8)) == .unsupported(name: "PDF"))
        #expect(sniff(Array("<?xml version=\"1.0\"?><svg>".utf8)) == .unsupported(name: "SVG"))
        #expect(sniff([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]) == .unsupported(name: "TIFF (or a camera raw file)"))
        #expect(sniff(Array("hello".utf8)) == .unknown)
        #expect(sniff([]) == .unknown)
    }

    @Test("HEIC gets the advice the issue asks for")
    func heicAdvice() {
        #expect(SniffedFormat.unsupported(name: "HEIC").refusal == "HEIC is not supported; export it as JPEG")
    }

    @Test("text chunks are found and cut out before decoding; the rest is kept byte for byte")
    func pngText() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("patches.png")))
        // Insert a zTXt chunk after IHDR (8 + 25 bytes).
        let text = Array("Comment".utf8) + [0, 0] + [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
        var chunk: [UInt8] = [0, 0, 0, UInt8(text.count)] + Array("zTXt".utf8) + text + [0, 0, 0, 0]
        chunk = chunk.map { $0 }
        let withText = Array(original.prefix(33)) + chunk + Array(original.dropFirst(33))
        let walk = withText.withUnsafeBytes { PNGChunks($0) }
        #expect(walk.textKeywords == ["Comment"])
        #expect(!walk.isTruncated && !walk.isCorrupt)
        let stripped = try #require(withText.withUnsafeBytes { walk.decodable($0) })
        #expect(Array(stripped.bytes) == Array(original))

        let cut = Array(original.prefix(original.count - 20))
        #expect(cut.withUnsafeBytes { PNGChunks($0) }.isTruncated)
    }
}

@Suite("PNG chunk rewriting")
struct PNGChunkRewriteTests {
    @Test("an eXIf after IDAT is moved to just after IHDR, text cut out, every other chunk kept as it was")
    func lateExifMoved() throws {
        let header = PNGWriter.header(width: 1, height: 1, bitDepth: 8, colourType: 0)
        let text = PNGWriter.chunk("tEXt", Array("Author".utf8) + [0] + Array("someone".utf8))
        let image = PNGWriter.imageData(rows: [[128]])
        let exif = PNGWriter.chunk("eXIf", ExifBlock.make(orientation: 6, artist: "A", latitude: (1, north: true), longitude: (1, east: true)))
        let file = PNGWriter.file([header, text, image, exif, PNGWriter.end])
        let walk = file.withUnsafeBytes { PNGChunks($0) }
        let rewritten = try #require(file.withUnsafeBytes { walk.decodable($0) })
        #expect(Array(rewritten.bytes) == PNGWriter.file([header, exif, image, PNGWriter.end]))
        // One before IDAT is where it belongs: nothing to do.
        let inPlace = PNGWriter.file([header, exif, image, PNGWriter.end])
        #expect(inPlace.withUnsafeBytes { PNGChunks($0).decodable($0) } == nil)
    }
}
