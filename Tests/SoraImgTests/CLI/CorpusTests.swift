import Foundation
import Testing

@testable import SoraImg

/// Every file of the real-world corpus meets its manifest's `expected` column.
@Suite("Corpus (binary)", .enabled(if: Corpus.isAvailable, Corpus.skipReason))
struct CorpusTests {
    @Test("ok files give the same picture as libvips' own thumbnail, exact-size, metadata-free and upright", .hangGuard)
    func okFiles() throws {
        let entries = Corpus.entries.filter { $0.expected == "ok" || $0.expected == "either" }
        #expect(entries.count > 50)
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", "-o", folder.path + "/", "--json", "--format", "png"] + entries.map { Corpus.file($0.file) })
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = try #require(try result.json()["outputs"] as? [[String: Any]])
        #expect(outputs.count == entries.count)
        for (entry, output) in zip(entries, outputs) {
            let path = try #require(output["output"] as? String)
            let pixels = try Pixels(file: path)
            if let width = entry.uprightWidth, let height = entry.uprightHeight {
                let expected = height > width ? (720, 1280) : (1280, 720)
                #expect(pixels.width == expected.0 && pixels.height == expected.1, "\(entry)")
            }
            #expect(pixels.bands == 3, "\(entry)")
            if entry.expected == "ok" {
                // The same picture as libvips' own colour-managed thumbnail, flattened on white:
                // the same structure, and colours within 3 levels on average (every ok file is
                // within 1.2 here; a wrong CMYK profile is 8.6 off, a clipped alpha 187).
                let reference = try Reference.thumbnail(of: Corpus.file(entry.file), width: pixels.width, height: pixels.height, in: folder)
                let similarity = Similarity(pixels, reference)
                #expect(similarity.hashDistance <= 5 && similarity.meanDifference < 3, "\(entry): \(similarity)")
            }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(try MetadataCheck.libvipsFields(bytes) == [], "\(entry)")
        }
    }

    @Test("reject files are refused cleanly: non-zero exit, a reason, no output", arguments: Corpus.entries.filter { $0.expected == "reject" })
    func rejectFiles(entry: Corpus.Entry) throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", Corpus.file(entry.file), "-o", folder.path + "/"])
        #expect(result.status == 65, "\(entry): \(result.stderr)")
        #expect(result.stderr.contains(entry.file), "\(entry)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one clear line: \(result.stderr)")
        #expect(folder.contents.isEmpty, "\(entry)")
    }

    @Test("each refusal says why", arguments: [
        ("ianare__IMG_5195.HEIC", "HEIC is not supported; export it as JPEG"),
        ("sharp__truncated.jpg", "truncated JPEG"), ("pillow__truncated_jpeg.jpg", "truncated JPEG"),
        ("sharp__truncated.png", "truncated PNG"), ("ianare__corrupted.jpg", "corrupt JPEG"),
        ("sharp__65536-uint32-limit.png", "65536x65536 is over the 100000000-pixel limit (--max-pixels)"),
        ("sharp__giant-image.jpg", "20000x14000 is over the 100000000-pixel limit"),
        ("sharp__animated-loop-3.gif", "GIF is not supported"), ("exiftool__PDF.pdf", "PDF is not supported"),
        ("sharp__check.svg", "SVG is not supported"), ("exiftool__BMP.bmp", "BMP is not supported"),
    ])
    func reasons(file: String, reason: String) throws {
        let result = try soraimg(["prep", Corpus.file(file), "-o", Paths.temporaryFolder().path + "/"])
        #expect(result.stderr.contains(reason), "\(file): \(result.stderr)")
    }
}
