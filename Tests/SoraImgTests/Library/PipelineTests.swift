import CVips
import CVipsShims
import Foundation
import Testing

@testable import SoraImg

/// Prepares a fixture with the library and decodes the result.
func prepared(_ path: String, _ configure: (inout PrepOptions) -> Void = { _ in }) throws -> (PreparedImage, Pixels) {
    var options = PrepOptions()
    configure(&options)
    let image = try ImagePrep.prepare(.file(path), options: options)
    return (image, try Pixels(bytes: image.bytes))
}

@Suite("Orientation")
struct OrientationTests {
    @Test("all eight EXIF orientations come out upright", arguments: ["landscape", "portrait"], 1...8)
    func orientations(shape: String, orientation: Int) throws {
        let (reference, referencePixels) = try prepared(Paths.fixture("pattern-\(shape).png"))
        let (image, pixels) = try prepared(Paths.fixture("orientation/\(shape)-\(orientation).jpg"))
        #expect(image.source.orientation == orientation)
        #expect(image.size == reference.size)
        let similarity = Similarity(pixels, referencePixels)
        #expect(similarity.isSamePicture, "orientation \(orientation): \(similarity)")
    }

    @Test("the check can fail: the same file with its orientation tag dropped is a mirror image")
    func mirroredDiffers() throws {
        let (_, upright) = try prepared(Paths.fixture("pattern-landscape.png"))
        // Re-encoding the stored pixels as PNG drops the EXIF orientation 2 (mirror).
        let stored = try encodePNG(Pixels(file: Paths.fixture("orientation/landscape-2.jpg")))
        let untagged = try Pixels(bytes: ImagePrep.prepare(.bytes(Array(stored)), options: PrepOptions()).bytes)
        #expect(!Similarity(untagged, upright).isSamePicture)
    }

    @Test(
        "the corpus' camera orientation set matches its upright original",
        .enabled(if: Corpus.isAvailable, Corpus.skipReason), arguments: ["landscape", "portrait"], 2...8)
    func corpusOrientations(shape: String, orientation: Int) throws {
        let (_, upright) = try prepared(Corpus.file("ianare__\(shape)_1.jpg"))
        let (_, pixels) = try prepared(Corpus.file("ianare__\(shape)_\(orientation).jpg"))
        let similarity = Similarity(pixels, upright)
        #expect(similarity.isSamePicture, "\(shape) \(orientation): \(similarity)")
    }
}

/// Re-encodes decoded pixels as an untagged PNG (through libvips' PNG writer).
func encodePNG(_ pixels: Pixels) throws -> [UInt8] {
    try ImageProcessing.start()
    return try pixels.data.withUnsafeBytes { raw throws -> [UInt8] in
        guard let image = vips_image_new_from_memory_copy(raw.baseAddress, raw.count, Int32(pixels.width), Int32(pixels.height), Int32(pixels.bands), VIPS_FORMAT_UCHAR) else {
            throw VipsFailure.take()
        }
        defer { g_object_unref(image) }
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard CVipsShims_pngsave_buffer(image, &buffer, &length, 1) == 0, let buffer else { throw VipsFailure.take() }
        defer { g_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }
}

@Suite("Exact sizes")
struct SizeTests {
    static let inputs = [
        "pattern-landscape.png", "pattern-portrait.png", "shapes/1x1.png", "shapes/13x1.png", "shapes/1x13.png",
        "shapes/49x500.png", "shapes/1920x96.png", "orientation/portrait-6.jpg",
    ]

    @Test("every size of both models comes out exactly that size", arguments: inputs)
    func everySize(input: String) throws {
        for model in ["sora-2", "sora-2-pro"] {
            for size in VideoModel(named: model).sizes {
                for format in ImageFormat.allCases {
                    let (image, pixels) = try prepared(Paths.fixture(input)) {
                        $0.model = VideoModel(named: model)
                        $0.size = .exact(size)
                        $0.format = format
                    }
                    #expect(image.size == size)
                    #expect(pixels.width == size.width && pixels.height == size.height, "\(input) \(model) \(size) \(format)")
                    #expect(pixels.bands == 3)
                }
            }
        }
    }

    @Test("a thin strip is covered, not squashed: its middle fills the frame")
    func stripCentre() throws {
        // 1920x96 to 720x1280: the centre 54 pixels of the strip, scaled up 13.3 times.
        let (_, pixels) = try prepared(Paths.fixture("shapes/1920x96.png")) { $0.size = .exact(VideoSize(width: 720, height: 1280)) }
        let source = try Pixels(file: Paths.fixture("shapes/1920x96.png"))
        let middle = source.meanColour(x: 0.49, y: 0.3, width: 0.02, height: 0.4)
        let out = pixels.meanColour(x: 0.3, y: 0.3, width: 0.4, height: 0.4)
        #expect(colourDistance(middle, out) < 12, "\(middle) vs \(out)")
    }
}
