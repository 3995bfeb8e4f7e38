import Foundation
import Testing

/// A PNG's eXIf chunk counts wherever it sits before IEND: photo managers honour one written
/// after the image data, so prep must turn the picture by it and report what it says.
@Suite("PNG eXIf after the image data (binary)")
struct PNGExifTests {
    /// 600x400, stored sideways (orientation 6: shown turned 90° clockwise); its top-left
    /// quarter red, the rest light blue, so the red ends up at the top right when upright.
    static func sidewaysPNG(exifAfterImageData: Bool) -> [UInt8] {
        let width = 600, height = 400
        let rows = (0..<height).map { y -> [UInt8] in
            var row: [UInt8] = []
            row.reserveCapacity(width * 3)
            for x in 0..<width { row += x < width / 2 && y < height / 2 ? [220, 30, 30] : [170, 200, 240] }
            return row
        }
        let exif = PNGWriter.chunk(
            "eXIf", ExifBlock.make(orientation: 6, artist: "Jane Example", latitude: (48.8584, north: true), longitude: (2.2945, east: true)))
        let header = PNGWriter.header(width: width, height: height, bitDepth: 8, colourType: 2)
        let image = PNGWriter.imageData(rows: rows)
        return PNGWriter.file(exifAfterImageData ? [header, image, exif, PNGWriter.end] : [header, exif, image, PNGWriter.end])
    }

    @Test("prep turns it upright by the eXIf after IDAT, and the output carries no metadata", .hangGuard)
    func orientedAndStripped() throws {
        let folder = Paths.temporaryFolder()
        let input = folder.file("sideways.png")
        try Data(Self.sidewaysPNG(exifAfterImageData: true)).write(to: URL(fileURLWithPath: input))
        // exiftool, reading independently, sees the eXIf after IDAT and its orientation.
        let exiftool = try runProcess("/usr/bin/exiftool", ["-n", "-Orientation", "-Artist", "-GPSLatitude", "-s3", input], timeLimit: 300)
        #expect(exiftool.stdoutText.split(separator: "\n") == ["6", "Jane Example", "48.8584"], "\(exiftool.stdoutText)")
        #expect(try runProcess("/usr/bin/exiftool", ["-Warning", "-s3", input], timeLimit: 300).stdoutText.contains("after PNG IDAT"))

        let output = folder.file("out.png")
        let result = try soraimg(["prep", input, "-o", output, "--faces", "ignore"], timeLimit: 300)
        #expect(result.status == 0, "\(result.stderr)")
        let pixels = try Pixels(file: output)
        #expect(pixels.width == 720 && pixels.height == 1280)
        // Turned clockwise: the stored top-left quarter is now the top right.
        let topRight = pixels.meanColour(x: 0.6, y: 0.05, width: 0.3, height: 0.3)
        let topLeft = pixels.meanColour(x: 0.1, y: 0.05, width: 0.3, height: 0.3)
        #expect(colourDistance(topRight, [220, 30, 30]) < 20 && colourDistance(topLeft, [170, 200, 240]) < 20, "\(topLeft) \(topRight)")
        #expect(result.stderr.contains("removed gps") && result.stderr.contains("removed owner"), "\(result.stderr)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(try MetadataCheck.libvipsFields(bytes) == [])
        #expect(try MetadataCheck.exiftoolTags(output) == [])
    }

    @Test("inspect reports the GPS position and the artist from the eXIf after IDAT", .hangGuard)
    func inspectReports() throws {
        let folder = Paths.temporaryFolder()
        let input = folder.file("sideways.png")
        try Data(Self.sidewaysPNG(exifAfterImageData: true)).write(to: URL(fileURLWithPath: input))
        let result = try soraimg(["inspect", input, "--json"], timeLimit: 300)
        #expect(result.status == 0, "\(result.stderr)")
        let images = try #require(try result.json()["images"] as? [[String: Any]])
        let image = try #require(images.first)
        #expect(image["orientation"] as? Int == 6)
        let privacy = try #require(image["privacy"] as? [[String: Any]])
        let gps = privacy.first { $0["kind"] as? String == "gps" }?["detail"] as? String
        let owner = privacy.first { $0["kind"] as? String == "owner" }?["detail"] as? String
        #expect(gps?.contains("48.858") == true && gps?.contains("2.294") == true, "\(privacy)")
        #expect(owner?.contains("Jane Example") == true, "\(privacy)")
    }
}
