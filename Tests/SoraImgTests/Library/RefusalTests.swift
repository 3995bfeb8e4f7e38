import Foundation
import Synchronization
import Testing

@testable import SoraImg

/// Refusals that do not need the corpus: made from the project's own fixtures at test time.
@Suite("Refusals")
struct RefusalTests {
    private func refusal(_ bytes: [UInt8]) -> PrepError? {
        do {
            _ = try ImagePrep.prepare(.bytes(bytes), options: PrepOptions())
            return nil
        } catch {
            return error
        }
    }

    private func fixtureBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture(name))))
    }

    @Test("a JPEG or PNG cut short is refused as truncated, not decoded to grey", arguments: [
        ("orientation/landscape-1.jpg", "truncated JPEG"), ("pattern-landscape.png", "truncated PNG"),
    ])
    func truncated(fixture: String, reason: String) throws {
        let bytes = try fixtureBytes(fixture)
        for fraction in [0.3, 0.6, 0.95] {
            let error = try #require(refusal(Array(bytes.prefix(Int(Double(bytes.count) * fraction)))), "\(fixture) at \(fraction)")
            #expect(error.kind == .truncated, "\(error)")
            #expect(error.message.hasPrefix(reason), "\(error)")
            #expect(error.exitStatus == .badInput)
        }
    }

    @Test("a JPEG without its end marker is known truncated from its structure, whatever the decoder says; an EXIF thumbnail's end marker does not count")
    func missingEndMarker() throws {
        // holiday.jpg carries an EXIF thumbnail, a whole JPEG with its own FF D9, before the
        // main image's data.
        let whole = try fixtureBytes("demo/holiday.jpg")
        let cut = Array(whole.dropLast(2))
        whole.withUnsafeBytes { #expect(!JPEGSegments.endsBeforeImageEnd($0)) }
        cut.withUnsafeBytes { #expect(JPEGSegments.endsBeforeImageEnd($0)) }
        // The end marker is found wherever it falls; FF alone at the very end, or followed by
        // anything else (stuffing, a restart marker), is not one.
        for tail: [UInt8] in [[0xFF], [0xFF, 0x00], [0xFF, 0xD0, 0xFF], [0xFF, 0xFF]] {
            (cut + tail).withUnsafeBytes { #expect(JPEGSegments.endsBeforeImageEnd($0), "\(tail)") }
        }
        (cut + [0xFF, 0x00, 0xFF, 0xD9]).withUnsafeBytes { #expect(!JPEGSegments.endsBeforeImageEnd($0)) }
        (cut + [0xFF, 0xFF, 0xD9]).withUnsafeBytes { #expect(!JPEGSegments.endsBeforeImageEnd($0)) }
        // Every decode refuses it, many at once, as a batch on all cores would.
        let refusals = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if refusal(cut)?.kind == .truncated { refusals.withLock { $0 += 1 } }
        }
        #expect(refusals.withLock { $0 } == 16)
    }

    @Test("flipped bytes in the middle of a JPEG are refused as damaged")
    func corrupt() throws {
        var bytes = try fixtureBytes("orientation/landscape-1.jpg")
        for index in stride(from: bytes.count / 2, to: bytes.count / 2 + 400, by: 7) { bytes[index] = 0xFF }
        let error = try #require(refusal(bytes))
        #expect(error.kind == .corrupt || error.kind == .truncated, "\(error)")
        #expect(error.exitStatus == .badInput)
    }

    @Test("junk between the image data and the end marker, common in good photos, is accepted")
    func junkBeforeEnd() throws {
        for fixture in ["orientation/landscape-1.jpg", "colour/patches-p3.jpg"] {
            var bytes = try fixtureBytes(fixture)
            #expect(Array(bytes.suffix(2)) == [0xFF, 0xD9])
            bytes.insert(contentsOf: [0, 0, 0], at: bytes.count - 2)
            #expect(refusal(bytes) == nil, "\(fixture)")
        }
    }

    @Test("empty input and non-images are refused by name")
    func notImages() throws {
        #expect(refusal([])?.message == "empty file")
        #expect(refusal(Array("hello world".utf8))?.kind == .unsupportedFormat)
        #expect(refusal(Array("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8))?.message.hasPrefix("GIF is not supported") == true)
    }

    @Test("libvips itself reads nothing but JPEG, PNG and WebP once started")
    func loadersBlocked() throws {
        try ImageProcessing.start()
        // A complete 1x1 GIF and a 1x1 BMP: valid files that libvips could otherwise load.
        let gif: [UInt8] = [
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF,
            0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0, 0x3B,
        ]
        var bmp: [UInt8] = Array("BM".utf8) + [58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0]
        bmp += [UInt8](repeating: 0, count: 24) + [0, 0, 255, 0]
        for bytes in [gif, bmp] {
            #expect(throws: VipsFailure.self) { _ = try VipsImage.open(SourceBytes(copying: bytes), options: "") }
        }
        // And the three formats still load.
        let png = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("shapes/1x1.png"))))
        #expect(try VipsImage.open(SourceBytes(copying: png), options: "").width == 1)
    }

    @Test("limits are checked from the header, before any pixel is decoded")
    func limits() throws {
        var options = PrepOptions()
        options.maxPixels = 640 * 400 - 1
        #expect(throws: PrepError(.overLimit, "640x400 is over the 255999-pixel limit (--max-pixels)")) {
            _ = try ImagePrep.prepare(.file(Paths.fixture("pattern-landscape.png")), options: options)
        }
        options = PrepOptions()
        options.maxBytes = 100
        #expect(throws: PrepError.self) { _ = try ImagePrep.prepare(.file(Paths.fixture("pattern-landscape.png")), options: options) }
    }
}
