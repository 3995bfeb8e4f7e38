import Foundation
import Testing

@testable import SoraImg

/// `soraimg inspect --preview` through the built binary: the outline lands on the region prep
/// keeps, computed here from the library's cover geometry and read back with libvips.
@Suite("inspect --preview (binary)")
struct PreviewTests {
    private static let magenta = UploadPreview.regionColour.map(Int.init)
    private static let cyan = UploadPreview.faceColour.map(Int.init)

    /// The cover region of an upright `width` x `height` photo sent as `target`, in the pixels of
    /// a preview `previewWidth` wide.
    private func expectedRegion(width: Int, height: Int, target: VideoSize, previewWidth: Int) -> (left: Int, top: Int, right: Int, bottom: Int) {
        let visible = CoverGeometry(source: width, height, target: target).visible(target: target)
        let scale = Double(previewWidth) / Double(width)
        return (
            Int((visible.left * scale).rounded()), Int((visible.top * scale).rounded()),
            Int(((visible.left + visible.width) * scale).rounded()), Int(((visible.top + visible.height) * scale).rounded())
        )
    }

    private func isMagenta(_ pixels: Pixels, _ x: Int, _ y: Int) -> Bool { pixels.pixel(x, y) == Self.magenta }

    /// Checks the outline is drawn on the region's edge pixels (three wide, inside it) and nowhere
    /// just outside or deeper inside, along the middle of each edge.
    private func expectOutline(_ pixels: Pixels, _ region: (left: Int, top: Int, right: Int, bottom: Int), sourceLocation: SourceLocation = #_sourceLocation) {
        let midX = (region.left + region.right) / 2, midY = (region.top + region.bottom) / 2
        let width = UploadPreview.outlineWidth
        for inset in 0..<width {
            #expect(isMagenta(pixels, midX, region.top + inset), "top edge row \(region.top + inset)", sourceLocation: sourceLocation)
            #expect(isMagenta(pixels, midX, region.bottom - 1 - inset), "bottom edge row \(region.bottom - 1 - inset)", sourceLocation: sourceLocation)
            #expect(isMagenta(pixels, region.left + inset, midY), "left edge column \(region.left + inset)", sourceLocation: sourceLocation)
            #expect(isMagenta(pixels, region.right - 1 - inset, midY), "right edge column \(region.right - 1 - inset)", sourceLocation: sourceLocation)
        }
        #expect(!isMagenta(pixels, midX, region.top + width + 1), sourceLocation: sourceLocation)
        #expect(!isMagenta(pixels, region.left + width + 1, midY), sourceLocation: sourceLocation)
        if region.top >= 2 { #expect(!isMagenta(pixels, midX, region.top - 2), sourceLocation: sourceLocation) }
        if region.left >= 2 { #expect(!isMagenta(pixels, region.left - 2, midY), sourceLocation: sourceLocation) }
    }

    @Test("landscape, EXIF-turned: the outline is the cover region, the rest is dimmed, a caption strip is below")
    func landscape() throws {
        let folder = Paths.temporaryFolder()
        let preview = folder.file("holiday.png")
        let result = try soraimg(["inspect", Paths.fixture("demo/holiday.jpg"), "--preview", preview, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let pixels = try Pixels(file: preview)
        // Upright 1600x1000, so the photo's part is 1024x640 and the caption adds a strip below.
        #expect(pixels.width == 1024)
        #expect(pixels.height > 640, "no caption strip: \(result.stderr)")
        let region = expectedRegion(width: 1600, height: 1000, target: VideoSize(width: 1280, height: 720), previewWidth: 1024)
        #expect(region.top > 10 && region.bottom < 630)
        expectOutline(pixels, region)
        // Outside the region is the same picture, darker: compare with contain, which keeps it all.
        let whole = folder.file("whole.png")
        #expect(try soraimg(["inspect", Paths.fixture("demo/holiday.jpg"), "--preview", whole, "--fit", "contain"]).status == 0)
        let bright = try Pixels(file: whole)
        let dim = pixels.meanColour(x: 0.6, y: 0, width: 0.3, height: 0.02).reduce(0, +)
        let full = bright.meanColour(x: 0.6, y: 0, width: 0.3, height: 0.02).reduce(0, +)
        #expect(dim < full * 0.5 && dim > full * 0.2, "outside the region: \(dim) against \(full)")
        let image = try #require((try result.json()["images"] as? [[String: Any]])?.first)
        #expect(image["preview"] as? String == preview)
    }

    @Test("portrait, and several inputs into DIR/STEM.preview.png")
    func portraitIntoFolder() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg([
            "inspect", Paths.fixture("pattern-portrait.png"), Paths.fixture("pattern-landscape.png"), "--preview", folder.file("previews/"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.file("previews"))) == ["pattern-portrait.preview.png", "pattern-landscape.preview.png"])
        let portrait = try Pixels(file: folder.file("previews/pattern-portrait.preview.png"))
        #expect(portrait.width == 400)
        expectOutline(portrait, expectedRegion(width: 400, height: 640, target: VideoSize(width: 720, height: 1280), previewWidth: 400))
        let landscape = try Pixels(file: folder.file("previews/pattern-landscape.preview.png"))
        expectOutline(landscape, expectedRegion(width: 640, height: 400, target: VideoSize(width: 1280, height: 720), previewWidth: 640))
    }

    @Test("--preview FILE with several inputs, or a file that is not .png or .jpg, is a usage error")
    func usage() throws {
        let folder = Paths.temporaryFolder()
        let several = try soraimg(["inspect", Paths.fixture("pattern-portrait.png"), Paths.fixture("pattern-landscape.png"), "--preview", folder.file("one.png")])
        #expect(several.status == 64 && several.stderr.contains("DIR/"), "\(several.stderr)")
        let webp = try soraimg(["inspect", Paths.fixture("pattern-portrait.png"), "--preview", folder.file("one.webp")])
        #expect(webp.status == 64, "\(webp.stderr)")
        #expect(folder.contents.isEmpty)
    }

    @Test(
        "a face found is boxed in another colour", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
        .enabled(if: FaceDetection.isAvailable, "built without the Faces trait"))
    func face() throws {
        let folder = Paths.temporaryFolder()
        let photo = try FaceFixtures.composite(.kept, turned: true, in: folder)
        let result = try soraimg(["inspect", photo, "--preview", folder.file("face.png"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let boxes = try #require((try result.json()["images"] as? [[String: Any]])?.first?["face_boxes"] as? [[String: Any]])
        #expect(boxes.count == 1)
        let pixels = try Pixels(file: folder.file("face.png"))
        var cyan = 0
        for y in 0..<pixels.height { for x in 0..<pixels.width where pixels.pixel(x, y) == Self.cyan { cyan += 1 } }
        // Two outlines of a box a few dozen pixels across.
        #expect(cyan > 100, "\(cyan) cyan pixels")
    }
}
