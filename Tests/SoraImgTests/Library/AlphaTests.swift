import Foundation
import Testing

@testable import SoraImg

/// One kind of PNG with transparency, written at test time.
struct AlphaClass: CustomStringConvertible, Sendable {
    enum Colour: Sendable { case grey, rgb, palette }
    enum Profile: Sendable { case none, grey, p3 }
    let colour: Colour
    let bitDepth: Int
    let profile: Profile
    var description: String { "\(bitDepth)-bit \(colour) with alpha, profile \(profile)" }
}

/// Transparency survives every change of depth and profile: a picture that is barely there
/// (6% opaque) over white comes out as a faint picture on white, never as the solid picture.
@Suite("Alpha through depth and profile changes")
struct AlphaTests {
    /// Black and white blocks, 8 across and 4 down, at 1920x1080: prep shrinks them by 2/3.
    static let size = (width: 1920, height: 1080)
    static func isWhite(_ x: Int, _ y: Int, width: Int, height: Int) -> Bool { (x * 8 / width + y * 4 / height) % 2 == 1 }

    /// 6% opaque: 3932 of 65535, or 15 of 255 (5.9%).
    static func opacity(bitDepth: Int) -> Double { bitDepth == 16 ? 3932 / 65535 : 15 / 255 }

    static func png(_ kind: AlphaClass, p3: [UInt8]) -> [UInt8] {
        let (width, height) = size
        var chunks: [[UInt8]] = []
        let colourType: UInt8
        switch kind.colour {
        case .grey: colourType = 4
        case .rgb: colourType = 6
        case .palette: colourType = 3
        }
        chunks.append(PNGWriter.header(width: width, height: height, bitDepth: UInt8(kind.bitDepth), colourType: colourType))
        switch kind.profile {
        case .none: break
        case .grey: chunks.append(PNGWriter.profile(GreyProfile.make()))
        case .p3: chunks.append(PNGWriter.profile(p3))
        }
        if kind.colour == .palette {
            chunks.append(PNGWriter.chunk("PLTE", [0, 0, 0, 255, 255, 255]))
            chunks.append(PNGWriter.chunk("tRNS", [15, 15]))
        }
        let alpha16 = PNGWriter.bigEndian16(3932), alpha8: [UInt8] = [15]
        func sample(white: Bool) -> [UInt8] {
            switch (kind.colour, kind.bitDepth) {
            case (.palette, _): return [white ? 1 : 0]
            case (.grey, 16): return (white ? [255, 255] : [0, 0]) + alpha16
            case (.rgb, 16): return [UInt8](repeating: white ? 255 : 0, count: 6) + alpha16
            case (.grey, _): return [white ? 255 : 0] + alpha8
            case (.rgb, _): return [UInt8](repeating: white ? 255 : 0, count: 3) + alpha8
            }
        }
        // Rows repeat within each band of blocks: make each band's row once.
        let bandRows = (0..<4).map { band -> [UInt8] in
            let y = band * height / 4
            var row: [UInt8] = []
            for x in 0..<width { row += sample(white: isWhite(x, y, width: width, height: height)) }
            return row
        }
        let rows = (0..<height).map { bandRows[$0 * 4 / height] }
        chunks.append(PNGWriter.imageData(rows: rows))
        chunks.append(PNGWriter.end)
        return PNGWriter.file(chunks)
    }

    /// What the blocks must look like at `width` x `height`: each pixel the picture's colour
    /// at that opacity over white, worked out here rather than by libvips.
    static func expected(width: Int, height: Int, opacity: Double) -> Pixels {
        let black = UInt8((255 * (1 - opacity)).rounded())
        var data: [UInt8] = []
        data.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let value = isWhite(x, y, width: width, height: height) ? 255 : black
                data.append(value)
                data.append(value)
                data.append(value)
            }
        }
        return Pixels(width: width, height: height, bands: 3, data: data)
    }

    /// libvips' built-in Display-P3 profile, as it embeds it in a file it converts.
    static func p3Profile(in folder: TemporaryFolder) throws -> [UInt8] {
        let source = folder.file("one.png"), converted = folder.file("p3.png")
        let pixel = PNGWriter.file([
            PNGWriter.header(width: 1, height: 1, bitDepth: 8, colourType: 2), PNGWriter.imageData(rows: [[200, 100, 50]]), PNGWriter.end,
        ])
        try Data(pixel).write(to: URL(fileURLWithPath: source))
        let result = try runProcess("/usr/bin/vips", ["icc_transform", source, converted, "p3", "--input-profile", "srgb"], timeLimit: 300)
        #expect(result.status == 0, "\(result.stderr)")
        try ImageProcessing.start()
        let image = try VipsImage.open(SourceBytes(copying: Array(try Data(contentsOf: URL(fileURLWithPath: converted)))), options: "")
        return try #require(image.blob("icc-profile-data"))
    }

    @Test(
        "a 6%-opaque picture comes out faint on white, for every depth, colour type and profile",
        .hangGuard,
        arguments: [
            AlphaClass(colour: .grey, bitDepth: 16, profile: .grey), AlphaClass(colour: .grey, bitDepth: 16, profile: .none),
            AlphaClass(colour: .rgb, bitDepth: 16, profile: .p3), AlphaClass(colour: .rgb, bitDepth: 16, profile: .none),
            AlphaClass(colour: .grey, bitDepth: 8, profile: .grey), AlphaClass(colour: .rgb, bitDepth: 8, profile: .p3),
            AlphaClass(colour: .palette, bitDepth: 8, profile: .none), AlphaClass(colour: .palette, bitDepth: 8, profile: .p3),
        ])
    func faintOnWhite(kind: AlphaClass) throws {
        let folder = Paths.temporaryFolder()
        let bytes = Self.png(kind, p3: kind.profile == .p3 ? try Self.p3Profile(in: folder) : [])
        // The file is what it claims to be, read back by libvips.
        try ImageProcessing.start()
        let header = try VipsImage.open(SourceBytes(copying: bytes), options: "")
        #expect(header.bands == (kind.colour == .grey ? 2 : 4), "\(kind)")
        #expect(header.isSixteenBit == (kind.bitDepth == 16), "\(kind)")
        #expect(header.hasField("icc-profile-data") == (kind.profile != .none), "\(kind)")

        var options = PrepOptions()
        options.format = .png
        options.faces = .ignore
        let prepared = try ImagePrep.prepare(.bytes(Array(bytes)), options: options)
        let pixels = try Pixels(bytes: prepared.bytes)
        #expect(pixels.width == 1280 && pixels.height == 720 && pixels.bands == 3)
        let expected = Self.expected(width: 1280, height: 720, opacity: Self.opacity(bitDepth: kind.bitDepth))
        let similarity = Similarity(pixels, expected)
        #expect(similarity.hashDistance <= 5 && similarity.meanDifference < 2, "\(kind): \(similarity)")
        // Near white everywhere, with the blocks still faintly there.
        let darkest = pixels.grid(columns: 8, rows: 4).map { $0.min()! }.min()!
        let lightest = pixels.grid(columns: 8, rows: 4).map { $0.max()! }.max()!
        #expect(darkest > 230 && lightest - darkest > 8, "\(kind): cells from \(darkest) to \(lightest)")
    }

    @Test("the grey profile written for these tests is one libvips uses, not one it skips", .hangGuard)
    func greyProfileIsUsable() throws {
        let folder = Paths.temporaryFolder()
        let path = folder.file("grey.png")
        let png = PNGWriter.file([
            PNGWriter.header(width: 2, height: 1, bitDepth: 8, colourType: 0), PNGWriter.profile(GreyProfile.make()),
            PNGWriter.imageData(rows: [[0, 128]]), PNGWriter.end,
        ])
        try Data(png).write(to: URL(fileURLWithPath: path))
        let result = try runProcess("/usr/bin/vips", ["icc_transform", path, folder.file("out.png"), "srgb", "--embedded"], timeLimit: 300)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        // Gamma 2.2 against sRGB's curve: mid-grey moves a little, not at all if the profile
        // had been ignored.
        let out = try Pixels(file: folder.file("out.png"))
        #expect(out.pixel(0, 0) == [0, 0, 0] && out.pixel(1, 0) != [128, 128, 128], "\(out.pixel(1, 0))")
    }
}
