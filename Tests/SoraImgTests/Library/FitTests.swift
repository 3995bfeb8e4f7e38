import Foundation
import Testing

@testable import SoraImg

/// A reference made the documented way: libvips' own CLI, a path independent of soraimg's.
private func vipsReference(_ arguments: [String]) throws -> Pixels {
    let folder = Paths.temporaryFolder()
    var output = folder.file("thumbnail.png")
    let thumbnailArguments = arguments.prefix { $0 != "--pad-to" }
    var result = try runProcess("/usr/bin/vips", ["thumbnail"] + thumbnailArguments.prefix(1) + [output] + thumbnailArguments.dropFirst())
    #expect(result.status == 0, "vips thumbnail: \(result.stderr)")
    if let padding = arguments.firstIndex(of: "--pad-to") {
        // vips thumbnail fits inside; vips embed centres it on white.
        let pixels = try Pixels(file: output)
        let width = Int(arguments[padding + 1])!, height = Int(arguments[padding + 2])!
        let padded = folder.file("padded.png")
        result = try runProcess("/usr/bin/vips", [
            "embed", output, padded, "\((width - pixels.width) / 2)", "\((height - pixels.height) / 2)", "\(width)", "\(height)",
            "--extend", "background", "--background", "255 255 255",
        ])
        #expect(result.status == 0, "vips embed: \(result.stderr)")
        output = padded
    }
    return try Pixels(file: output)
}

@Suite("Fit modes")
struct FitTests {
    private let landscape = Paths.fixture("pattern-landscape.png")
    private let portraitTarget = VideoSize(width: 720, height: 1280)

    private func fitted(_ input: String, _ fit: FitMode, crop: CropPosition = .centre, background: Background = .colour(.white)) throws -> Pixels {
        let (image, pixels) = try prepared(input) {
            $0.size = .exact(portraitTarget)
            $0.fit = fit
            $0.crop = crop
            $0.background = background
            $0.format = .png
        }
        #expect(image.size == portraitTarget)
        return pixels
    }

    @Test("cover keeps the centre, as vips thumbnail --crop centre does")
    func cover() throws {
        let ours = try fitted(landscape, .cover)
        let reference = try vipsReference([landscape, "720", "--height", "1280", "--crop", "centre"])
        #expect(Similarity(ours, reference).isSamePicture, "\(Similarity(ours, reference))")
    }

    @Test("contain shows the whole picture centred on white")
    func contain() throws {
        let ours = try fitted(landscape, .contain)
        let reference = try vipsReference([landscape, "720", "--height", "1280", "--pad-to", "720", "1280"])
        let similarity = Similarity(ours, reference)
        #expect(similarity.isSamePicture, "\(similarity)")
        // The padding above and below is exactly white.
        #expect(ours.meanColour(x: 0, y: 0, width: 1, height: 0.3) == [255, 255, 255])
        #expect(!Similarity(ours, try fitted(landscape, .cover)).isSamePicture)
    }

    @Test("contain pads with the colour asked for")
    func containColour() throws {
        let ours = try fitted(landscape, .contain, background: .colour(RGBColour(parsing: "#336699")!))
        #expect(ours.meanColour(x: 0, y: 0, width: 1, height: 0.3) == [0x33, 0x66, 0x99])
    }

    @Test("stretch fills the frame by distorting, as vips thumbnail --size force does")
    func stretch() throws {
        let ours = try fitted(landscape, .stretch)
        let reference = try vipsReference([landscape, "720", "--height", "1280", "--size", "force"])
        #expect(Similarity(ours, reference).isSamePicture, "\(Similarity(ours, reference))")
    }

    @Test("the attention crop keeps what vips' attention model keeps, not the centre")
    func attention() throws {
        let ours = try fitted(landscape, .cover, crop: .attention)
        let reference = try vipsReference([landscape, "720", "--height", "1280", "--crop", "attention"])
        let centre = try fitted(landscape, .cover)
        #expect(Similarity(ours, reference).meanDifference < 10, "\(Similarity(ours, reference))")
        #expect(Similarity(ours, reference).meanDifference < Similarity(centre, reference).meanDifference)
    }

    @Test("blur padding is a blurred copy of the picture: varied, but without sharp edges")
    func blurPadding() throws {
        let blurred = try fitted(landscape, .contain, background: .blur)
        let sharp = try fitted(landscape, .cover)
        // Rows 0-400 are padding in the blurred output (the picture starts at row 415) and
        // picture in the sharp one, where the F's top bar makes a hard edge.
        let band = 0..<400
        let blurredEdge = sharpestEdge(blurred, rows: band), sharpEdge = sharpestEdge(sharp, rows: band)
        #expect(blurredEdge * 4 < sharpEdge, "blurred \(blurredEdge), sharp \(sharpEdge)")
        let colours = blurred.grid(columns: 8, rows: 4).prefix(8)
        let spread = colours.map { $0[0] }.max()! - colours.map { $0[0] }.min()!
        #expect(spread > 20, "the padding is not a flat colour")
        // The picture itself sits sharp in the middle.
        #expect(sharpestEdge(blurred, rows: 430..<850) > blurredEdge * 4)
    }

    /// The largest difference between neighbouring pixels (across or down) in a band of rows.
    private func sharpestEdge(_ pixels: Pixels, rows: Range<Int>) -> Int {
        var sharpest = 0
        for y in rows where y + 1 < pixels.height {
            for x in 0..<(pixels.width - 1) {
                let here = pixels.pixel(x, y), right = pixels.pixel(x + 1, y), below = pixels.pixel(x, y + 1)
                for c in 0..<3 { sharpest = max(sharpest, abs(here[c] - right[c]), abs(here[c] - below[c])) }
            }
        }
        return sharpest
    }

    @Test(
        "extreme shapes take every fit without upsizing the whole image first",
        arguments: [("shapes/10x5000.png", "720x1280"), ("shapes/5000x10.png", "1280x720")])
    func extremeShapes(input: String, size: String) throws {
        let folder = Paths.temporaryFolder()
        for fit in ["cover", "contain", "stretch"] {
            for extra in fit == "cover" ? [[], ["--crop", "attention"]] : fit == "contain" ? [[], ["--background", "blur"]] : [[]] {
                let output = folder.file("\(fit)\(extra.count).png")
                let run = try measuredSoraimg(["prep", Paths.fixture(input), "--size", size, "--fit", fit, "-o", output] + extra)
                #expect(run.status == 0, "\(fit) \(extra)")
                // Upsizing the whole strip first took 62 s and 800 MB (libvips 8.14 thumbnail in crop mode, measured here).
                #expect(run.seconds < 10, "\(fit) \(extra): \(run.seconds) s")
                #expect(run.peak(under: 150_000), "\(fit) \(extra): \(run.peakKilobytes) KB")
                let pixels = try Pixels(file: output)
                #expect("\(pixels.width)x\(pixels.height)" == size)
                print("measured: \(input) --fit \(fit) \(extra.joined(separator: " ")): \(String(format: "%.2f", run.seconds)) s, \(run.peakKilobytes / 1024) MB")
            }
        }
    }
}
