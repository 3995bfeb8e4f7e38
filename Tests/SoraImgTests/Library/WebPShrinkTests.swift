import Foundation
import Testing

@testable import SoraImg

/// A WebP well over twice the target decodes at half size, and comes out exactly the target
/// size and the same picture as the same pixels stored as PNG (decoded in full).
@Suite("WebP shrink-on-load")
struct WebPShrinkTests {
    @Test("a 3200x2000 WebP decodes at 1600x1000 and matches its PNG twin", .hangGuard)
    func halfSize() throws {
        let folder = Paths.temporaryFolder()
        let png = folder.file("big.png")
        let webp = folder.file("big.webp")
        for (output, name) in [(png, "png"), (webp + "[Q=95]", "webp")] {
            let made = try runProcess("/usr/bin/vips", ["resize", Paths.fixture("pattern-landscape.png"), output, "5"])
            #expect(made.status == 0, "\(name): \(made.stderr)")
        }
        let header = try ImageHeader.read(InputReader.read(path: webp, maxBytes: 1 << 30))
        #expect(header.source.stored == VideoSize(width: 3200, height: 2000))
        let loaded = try LoadStage.open(header, options: PrepOptions())
        #expect(loaded.image.width == 1600 && loaded.image.height == 1000)

        let (fromWebP, webpPixels) = try prepared(webp)
        let (_, pngPixels) = try prepared(png)
        #expect(fromWebP.size == VideoSize(width: 1280, height: 720))
        #expect(webpPixels.width == 1280 && webpPixels.height == 720)
        let similarity = Similarity(webpPixels, pngPixels)
        #expect(similarity.isSamePicture, "\(similarity)")
    }
}
