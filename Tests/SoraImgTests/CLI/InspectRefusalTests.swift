import Foundation
import Testing

/// `inspect` never calls a file fine that prep refuses: it runs prep's checks, exits with
/// prep's code and reason, and still shows what it could read.
@Suite("inspect refuses what prep refuses (binary)", .hangGuard)
struct InspectRefusalTests {
    /// Files prep refuses, made from fixtures: cut short, damaged, or declaring too many pixels.
    static func hostile(_ name: String, in folder: TemporaryFolder) throws -> String {
        let demo = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("demo/holiday.jpg"))))
        var bytes: [UInt8]
        switch name {
        case "truncated.jpg":
            bytes = Array(demo.prefix(demo.count * 6 / 10))
        case "corrupt.jpg":
            // Garbage in the middle of the entropy-coded data, with a stray restart marker in
            // it: libjpeg then warns mid-image. Garbage alone makes it warn only at the end of
            // the data, which libvips 8.14 sometimes notices after the last strip is made and
            // lets through (about 1 load in 50 under load, prep included).
            bytes = demo
            let start = demo.count / 2
            for index in start..<(start + 2_000) { bytes[index] = UInt8(truncatingIfNeeded: index &* 37) & 0x7F }
            bytes[start + 1_000] = 0xFF
            bytes[start + 1_001] = 0xD3
        case "truncated.png":
            let png = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("colour/patches-p3.png"))))
            bytes = Array(png.prefix(png.count / 2))
        default:
            // 20000x20000 declared (400 MP), with one row of data: over the 100 MP default.
            bytes = PNGWriter.file([
                PNGWriter.header(width: 20_000, height: 20_000, bitDepth: 8, colourType: 0),
                PNGWriter.imageData(rows: [[UInt8](repeating: 0, count: 20_000)]), PNGWriter.end,
            ])
        }
        let file = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @Test("prep's exit code and reason, and the header it could read", arguments: ["truncated.jpg", "corrupt.jpg", "truncated.png", "huge.png"], ["warn", "ignore"])
    func refusedLikePrep(name: String, faces: String) throws {
        let folder = Paths.temporaryFolder()
        let file = try Self.hostile(name, in: folder)
        let prep = try soraimg(["prep", file, "-o", folder.file("out.jpg"), "--faces", "ignore"], timeLimit: 300)
        #expect(prep.status == 65, "prep accepted \(name): \(prep.stderr)")
        let reason = try #require(prep.stderr.split(separator: "\n").first { $0.contains(name) }.map { String($0.split(separator: ": ", maxSplits: 2).last ?? "") })

        let human = try soraimg(["inspect", file, "--faces", faces], timeLimit: 300)
        #expect(human.status == prep.status, "\(name): inspect exited \(human.status): \(human.stdoutText) \(human.stderr)")
        #expect(human.stdoutText.contains("\(file): \(name.hasSuffix("png") ? "PNG" : "JPEG")"), "\(human.stdoutText)")
        #expect(!human.stdoutText.contains("prep makes"), "\(human.stdoutText)")
        #expect(human.stdoutText.contains("prep would refuse it: \(reason)"), "\(name): \(human.stdoutText) / prep said \(reason)")
        #expect(human.stderr.contains(reason), "\(human.stderr)")

        let json = try Inspected(file, ["--faces", faces])
        #expect(json.status == prep.status)
        #expect(json.image["format"] as? String == (name.hasSuffix("png") ? "png" : "jpeg"))
        #expect(json.errors.first?["exit_code"] as? Int == Int(prep.status) && json.errors.first?["message"] as? String == reason, "\(json.errors)")
    }

    @Test("the decode check costs little: a 4000x3000 photo with --faces ignore")
    func checkIsCheap() throws {
        let folder = Paths.temporaryFolder()
        let big = folder.file("big.jpg")
        let made = try runProcess("/usr/bin/vips", ["resize", Paths.fixture("demo/holiday.jpg"), big + "[Q=90]", "3"], timeLimit: 300)
        #expect(made.status == 0, "\(made.stderr)")
        let headerOnly = try measuredSoraimg(["inspect", Paths.fixture("shapes/1x1.png"), "--faces", "ignore"])
        let checked = try measuredSoraimg(["inspect", big, "--faces", "ignore"])
        print("inspect --faces ignore: 1x1 PNG \(String(format: "%.3f", headerOnly.seconds)) s; 3000x4800 JPEG with the decode check \(String(format: "%.3f", checked.seconds)) s, \(checked.peakKilobytes / 1024) MB peak")
        #expect(checked.status == 0 && checked.seconds < 120)
    }
}
