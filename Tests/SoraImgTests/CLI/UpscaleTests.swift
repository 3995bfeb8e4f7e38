import Foundation
import Testing

@testable import SoraImg

/// Every command that chooses a size says when it enlarges the photo to reach it, through the
/// built binary: a 100x68 photo sent as 1280x720 is enlarged 12.8 times (cover).
@Suite("upscaling is reported (binary)")
struct UpscaleTests {
    /// A small, plain JPEG: `width` x `height` of a soft gradient.
    static func smallPhoto(in folder: TemporaryFolder, width: Int = 100, height: Int = 68) throws -> String {
        try ImageProcessing.start()
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x * 255 / width), UInt8(y * 255 / height), 128] }
        }
        let path = folder.file("small.jpg")
        try Data(try VipsImage.encodeJPEG(rgb: pixels, width: width, height: height, quality: 90)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("prep warns on standard error, also under --json, and its JSON carries upscale; a large photo carries neither")
    func prep() throws {
        let folder = Paths.temporaryFolder()
        let small = try Self.smallPhoto(in: folder)
        let result = try soraimg(["prep", small, Paths.fixture("demo/holiday.jpg"), "-o", folder.file("out/"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("small.jpg: upscaled 12.8x from 100x68"), "\(result.stderr)")
        #expect(!result.stderr.contains("holiday.jpg: upscaled"), "\(result.stderr)")
        let outputs = try #require(try result.json()["outputs"] as? [[String: Any]])
        #expect(outputs.count == 2)
        #expect(outputs[0]["upscale"] as? Double == 12.8)
        #expect(outputs[1]["upscale"] == nil, "\(outputs[1])")
        // Contain enlarges by the smaller ratio: 720 / 68 = 10.6.
        let contain = try soraimg(["prep", small, "-o", folder.file("contain.jpg"), "--fit", "contain", "--json"])
        #expect(try (contain.json()["outputs"] as? [[String: Any]])?.first?["upscale"] as? Double == 10.6)
    }

    @Test("inspect warns and puts upscale in target")
    func inspect() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["inspect", try Self.smallPhoto(in: folder), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("upscaled 12.8x"), "\(result.stderr)")
        let image = try #require((try result.json()["images"] as? [[String: Any]])?.first)
        let target = try #require(image["target"] as? [String: Any])
        #expect(target["upscale"] as? Double == 12.8 && target["width"] as? Int == 1280, "\(target)")
        let human = try soraimg(["inspect", try Self.smallPhoto(in: folder, width: 720, height: 1000)])
        #expect(human.stderr.contains("upscaled 1.3x from 720x1000 to 720x1280"), "\(human.stderr)")
    }

    @Test("animate --dry-run warns, and its --json image carries upscale")
    func dryRun() throws {
        let folder = Paths.temporaryFolder()
        let small = try Self.smallPhoto(in: folder)
        let text = try soraimg(["animate", small, "--prompt", "waves", "--dry-run"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.contains("upscaled 12.8x"), "\(text.stderr)")
        let json = try soraimg(["animate", small, "--prompt", "waves", "--dry-run", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stderr.contains("upscaled 12.8x"), "\(json.stderr)")
        let request = try #require((try json.json()["requests"] as? [[String: Any]])?.first, "\(json.stdoutText)")
        let image = try #require(request["image"] as? [String: Any])
        #expect(image["upscale"] as? Double == 12.8 && image["width"] as? Int == 1280, "\(image)")
    }

    @Test("animate warns before uploading, also under --json")
    func animate() throws {
        let sandbox = try SandboxProcess()
        let small = try Self.smallPhoto(in: sandbox.folder)
        let result = try sandbox.run(["animate", small, "--prompt", "waves", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("small.jpg: upscaled 12.8x"), "\(result.stderr)")
    }
}
