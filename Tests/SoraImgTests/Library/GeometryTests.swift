import Testing

@testable import SoraImg

@Suite("Cover geometry and shrink-on-load")
struct GeometryTests {
    @Test("a 4:3 photo loses top and bottom, plus a filter margin below")
    func landscapePhoto() {
        let geometry = CoverGeometry(source: 4000, 3000, target: VideoSize(width: 1280, height: 720))
        // 375 lands exactly on the grid (375 x 0.32 = 120 = (960 - 720) / 2); 11 rows of margin follow.
        #expect(geometry.region == PixelRect(left: 0, top: 375, width: 4000, height: 2261))
        #expect(geometry.scale == 0.32)
        #expect(geometry.offsetX == 0 && geometry.offsetY == 0)
    }

    @Test(
        "the crop lands on the grid of a whole-image resize, with room for the filter",
        arguments: [(4608, 1976), (2304, 988), (1632, 1224), (3264, 2448), (4032, 2012), (1001, 999), (6000, 4000)])
    func gridAligned(width: Int, height: Int) {
        let target = VideoSize(width: 1280, height: 720)
        let geometry = CoverGeometry(source: width, height, target: target)
        let resizedWidth = Int((Double(width) * geometry.scale).rounded())
        let resizedHeight = Int((Double(height) * geometry.scale).rounded())
        // Where the whole-image resize would cut, and where this crop's first output pixel falls.
        let wantedX = Double((resizedWidth - target.width) / 2), wantedY = Double((resizedHeight - target.height) / 2)
        let landedX = Double(geometry.region.left) * geometry.scale + Double(geometry.offsetX)
        let landedY = Double(geometry.region.top) * geometry.scale + Double(geometry.offsetY)
        #expect(abs(landedX - wantedX) < 0.15 && abs(landedY - wantedY) < 0.15, "x \(landedX) vs \(wantedX), y \(landedY) vs \(wantedY)")
        // The region covers the target after the offset.
        #expect(Double(geometry.region.width) * geometry.scale >= Double(geometry.offsetX + target.width) - 1e-6)
        #expect(Double(geometry.region.height) * geometry.scale >= Double(geometry.offsetY + target.height) - 1e-6)
    }

    @Test("an extreme strip resamples only the few pixels that reach the output")
    func extremeStrip() {
        let geometry = CoverGeometry(source: 10, 5000, target: VideoSize(width: 720, height: 1280))
        #expect(geometry.scale == 72)
        #expect(geometry.region.width == 10)
        #expect(geometry.region.height <= 30)  // 18 rows and a filter margin, not 5000
        #expect(Double(geometry.region.height) * geometry.scale >= 1280)
    }

    @Test(
        "the widened region always covers the target",
        arguments: [(1, 1), (13, 1), (1, 13), (49, 500), (1920, 96), (3, 7), (4032, 3024), (1001, 999)])
    func regionCovers(width: Int, height: Int) {
        for target in VideoModel(named: "sora-2-pro").sizes {
            let geometry = CoverGeometry(source: width, height, target: target)
            let region = geometry.region
            #expect(region.left >= 0 && region.top >= 0)
            #expect(region.left + region.width <= width && region.top + region.height <= height)
            #expect(Double(region.width) * geometry.scale + 1e-6 >= Double(geometry.offsetX + target.width))
            #expect(Double(region.height) * geometry.scale + 1e-6 >= Double(geometry.offsetY + target.height))
        }
    }

    @Test("WebP shrinks on load by the same factors as JPEG")
    func webpShrink() {
        for room in [0.5, 1, 1.9, 2, 2.55, 3.99, 4, 7.9, 8, 30] {
            #expect(ShrinkOnLoad.webpScale(room: room) == 1 / Double(ShrinkOnLoad.jpegFactor(room: room)), "room \(room)")
        }
        #expect(ShrinkOnLoad.webpScale(room: 2.55) == 0.5)
        #expect(ShrinkOnLoad.webpScale(room: 1.9) == 1)
    }

    @Test("JPEG shrink-on-load keeps at least the target size")
    func jpegShrink() {
        let target = VideoSize(width: 1280, height: 720)
        #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: 4032, 3024, target: target, fit: .cover)) == 2)
        #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: 6000, 4000, target: target, fit: .cover)) == 4)
        #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: 3264, 2448, target: target, fit: .cover)) == 2)
        #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: 2000, 1500, target: target, fit: .cover)) == 1)
        #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: 640, 480, target: target, fit: .cover)) == 1)
        #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: 12000, 9000, target: target, fit: .cover)) == 8)
        for factor in [2, 4, 8] {
            // The shrunk image still covers the target on both axes.
            let width = 1280 * factor + 5, height = 720 * factor + 3
            #expect(ShrinkOnLoad.jpegFactor(room: ShrinkOnLoad.room(source: width, height, target: target, fit: .cover)) == factor)
        }
    }
}

@Suite("Models and sizes")
struct ModelTests {
    @Test("sora-2 allows the two 720p sizes; sora-2-pro adds 1024p and 1080p")
    func tables() {
        #expect(VideoModel(named: "sora-2").sizes.map(\.description) == ["720x1280", "1280x720"])
        #expect(Set(VideoModel(named: "sora-2-pro").sizes.map(\.description)) == [
            "720x1280", "1280x720", "1024x1792", "1792x1024", "1080x1920", "1920x1080",
        ])
        #expect(VideoModel(named: "sora-2").seconds == ["4", "8", "12", "16", "20"])
    }

    @Test("dated snapshots inherit their family's table; other names pass through", arguments: [
        ("sora-2-2025-12-08", 2), ("sora-2-pro-2025-10-06", 6), ("sora-2-pro", 6), ("veo-3", 0),
        ("sora-2-2025-1-08", 0), ("my-sora-2", 0),
    ])
    func snapshots(name: String, sizes: Int) {
        #expect(VideoModel(named: name).sizes.count == sizes)
        #expect(VideoModel(named: name).name == name)
    }

    @Test("auto picks 720p and max the largest, in the upright image's orientation")
    func targets() throws {
        let pro = VideoModel(named: "sora-2-pro")
        let landscape = VideoSize(width: 4000, height: 3000), portrait = VideoSize(width: 3000, height: 4000)
        let square = VideoSize(width: 500, height: 500)
        #expect(try SizeRequest.auto.target(for: pro, upright: landscape).description == "1280x720")
        #expect(try SizeRequest.auto.target(for: pro, upright: portrait).description == "720x1280")
        #expect(try SizeRequest.auto.target(for: pro, upright: square).description == "1280x720")
        #expect(try SizeRequest.max.target(for: pro, upright: landscape).description == "1920x1080")
        #expect(try SizeRequest.max.target(for: pro, upright: portrait).description == "1080x1920")
        #expect(try SizeRequest.max.target(for: VideoModel(named: "sora-2"), upright: portrait).description == "720x1280")
    }

    @Test("sizes are checked against the model")
    func validation() throws {
        #expect(throws: PrepError.self) { try SizeRequest.exact(VideoSize(width: 1920, height: 1080)).validate(for: VideoModel(named: "sora-2")) }
        #expect(throws: PrepError.self) { try SizeRequest.auto.validate(for: VideoModel(named: "unknown-model")) }
        try SizeRequest.exact(VideoSize(width: 1000, height: 1000)).validate(for: VideoModel(named: "unknown-model"))
        #expect(SizeRequest(parsing: "1280x720") == .exact(VideoSize(width: 1280, height: 720)))
        #expect(SizeRequest(parsing: "MAX") == .max)
        for bad in ["1280", "x720", "0x720", "1280x-1", "1280x720x3", "big"] {
            #expect(SizeRequest(parsing: bad) == nil, "\(bad)")
        }
    }
}

@Suite("file names")
struct FileNameParentTests {
    @Test("the folder part of a path, one-character names included (Foundation traps on those)")
    func parent() {
        let cases = [
            ("v", ""), ("v/", ""), ("photo.jpg", ""), ("a/b", "a"), ("a/b/", "a"), ("a//b", "a"), ("/v", "/"), ("/", "/"),
            ("./v", "."), ("x/y/z.mp4", "x/y"), ("", ""),
        ]
        for (path, parent) in cases { #expect(FileName.parent(of: path) == parent, "\(path)") }
    }
}
