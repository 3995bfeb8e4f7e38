import Foundation
import Testing

@testable import SoraImg

@Suite("Metadata")
struct MetadataTests {
    @Test("the demo photo's identifying metadata is all found", arguments: [ImageFormat.jpeg])
    func findings(format: ImageFormat) throws {
        let (image, _) = try prepared(Paths.fixture("demo/holiday.jpg"))
        let kinds = Set(image.removed.kinds)
        #expect(kinds == [.exif, .gps, .location, .cameraSerial, .owner, .comment, .thumbnail, .xmp, .faceRegion, .personName, .iptc])
        let gps = try #require(image.removed.first { $0.kind == .gps })
        #expect(gps.detail.contains("43.467") && gps.detail.contains("11.885"))
        #expect(image.removed.contains { $0.kind == .faceRegion && $0.detail.contains("Sam Example") })
        #expect(image.removed.contains { $0.kind == .cameraSerial && $0.detail.contains("EC123456789") })
        // The IPTC records, read from the APP13 block itself.
        #expect(image.removed.contains { $0.kind == .location && $0.detail == "IPTC City: Montevarchi" })
        #expect(image.removed.contains { $0.kind == .owner && $0.detail == "IPTC By-line: Alex Example" })
    }

    @Test("outputs carry no EXIF, XMP, IPTC, ICC, text or thumbnail, read back two ways", arguments: ImageFormat.allCases)
    func outputsAreClean(format: ImageFormat) throws {
        let folder = Paths.temporaryFolder()
        var inputs = ["demo/holiday.jpg", "colour/patches-p3.png", "colour/patches-cmyk.jpg"].map(Paths.fixture)
        if Corpus.isAvailable {
            inputs += ["skatsubo__photo.8.embedded.jpg", "ianare__DSCN0010.jpg", "exiftool__IPTC.jpg",
                       "sharp__16-bit-grey-alpha.png", "pillow__iss634.webp", "sharp__Flag_of_the_Netherlands-16bit.png"].map(Corpus.file)
        }
        for input in inputs {
            var options = PrepOptions()
            options.format = format
            let image = try ImagePrep.prepare(.file(input), options: options)
            #expect(try MetadataCheck.libvipsFields(image.bytes) == [], "\(input) as \(format)")
            let path = folder.file("out.\(format.fileExtension)")
            try Data(image.bytes).write(to: URL(fileURLWithPath: path))
            #expect(try MetadataCheck.exiftoolTags(path) == [], "\(input) as \(format)")
        }
    }

    @Test("the metadata check can fail: the demo photo itself is flagged by both readers")
    func checkCanFail() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("demo/holiday.jpg"))))
        #expect(try MetadataCheck.libvipsFields(bytes).contains("exif-data"))
        let tags = try MetadataCheck.exiftoolTags(Paths.fixture("demo/holiday.jpg"))
        #expect(tags.contains("GPS:GPSLatitude") && tags.contains("XMP-mwg-rs:RegionName") && tags.contains("IPTC:By-line"))
    }

    @Test("a PNG text bomb is accepted without inflating its text", .enabled(if: Corpus.isAvailable, Corpus.skipReason))
    func textBomb() throws {
        let (image, _) = try prepared(Corpus.file("pillow__png_decompression_dos.png"))
        // The keywords come from the chunk walk; the text itself was never handed to libpng.
        #expect(image.removed.filter { $0.kind == .comment }.count == 3)
        #expect(image.size == VideoSize(width: 1280, height: 720))
    }
}
