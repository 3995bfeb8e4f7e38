import Foundation
import Testing

@testable import SoraImg

/// Hostile images: decompression bombs of every accepted format, and a time budget that
/// libvips itself enforces. What is asserted is the mechanism (the header-only refusal, memory
/// that stays small, libvips stopping); the times are printed for the closing note, not judged.
@Suite("limits: bombs and the time budget")
struct LimitTests {
    /// The bombs, made once per run by Tests/python/make_bombs.py (small files, huge decodes).
    // Written once, then only read (the folder outlives every test).
    nonisolated(unsafe) private static let bombs: TemporaryFolder = {
        let folder = Paths.temporaryFolder("bombs")
        let made = try? runProcess(
            "/usr/bin/env",
            ["python3", Paths.root + "/Tests/python/make_bombs.py", folder.path, Paths.fixture("orientation/landscape-1.jpg"), Paths.fixture("privacy/gps.webp")])
        precondition(made?.status == 0, "make_bombs.py failed: \(made?.stderr ?? "did not run")")
        return folder
    }()

    @Test(
        "bombs of every format are refused from their header, in little memory",
        arguments: [
            ("png-pixels.png", "30000x30000 is over the 100000000-pixel limit"),
            ("png-declared.png", "100000x100000 is over the 100000000-pixel limit"),
            ("jpeg-declared.jpg", "65500x65500 is over the 100000000-pixel limit"),
            ("webp-declared.webp", "16383x16383 is over the 100000000-pixel limit"),
        ])
    func refusedFromHeader(name: String, message: String) throws {
        let bomb = Self.bombs.file(name)
        let output = Paths.temporaryFolder().file("out.jpg")
        let result = try soraimg(["prep", bomb, "-o", output, "--faces", "ignore"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(bomb): \(message)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        // Decoding any of them would take gigabytes; the refusal costs what starting soraimg does.
        let run = try measuredSoraimg(["prep", bomb, "-o", output, "--faces", "ignore"])
        #expect(run.status == 65)
        #expect(run.peak(under: 100_000), "\(run.peakKilobytes) KB")
        let inspected = try measuredSoraimg(["inspect", bomb, "--faces", "ignore"])
        // inspect refuses what prep refuses, as cheaply.
        #expect(inspected.status == 65 && inspected.peak(under: 100_000), "\(inspected.peakKilobytes) KB")
        print("measured: bomb \(name) refused in \(String(format: "%.3f", run.seconds)) s, \(run.peakKilobytes / 1024) MB peak (process start included)")
    }

    @Test("a PNG text chunk that inflates to 1 GiB is never inflated: the image is prepared, the chunk reported")
    func textBomb() throws {
        let bomb = Self.bombs.file("png-text.png")
        let output = Paths.temporaryFolder().file("out.jpg")
        let run = try measuredSoraimg(["prep", bomb, "-o", output, "--faces", "ignore"])
        #expect(run.status == 0)
        #expect(run.peak(under: 100_000), "\(run.peakKilobytes) KB")
        #expect(try Pixels(file: output).width == 1280)
        let report = try soraimg(["inspect", bomb, "--json", "--faces", "ignore"])
        let images = try #require(try report.json()["images"] as? [[String: Any]])
        let privacy = try #require(images.first?["privacy"] as? [[String: Any]])
        #expect(privacy.contains { $0["kind"] as? String == "comment" })
        print("measured: 1 GiB zTXt PNG prepared in \(String(format: "%.3f", run.seconds)) s, \(run.peakKilobytes / 1024) MB peak")
    }

    /// A 1 KB PNG whose chunk before the image data declares 2,113,929,728 bytes and is cut short
    /// (found by fuzzing): libpng allocates a chunk's declared length before reading it, so
    /// handed the file whole it took 2 GB. libvips now gets the file up to that chunk.
    @Test("a chunk declaring 2 GB in a cut-short PNG is refused as truncated, in little memory", arguments: ["iTXt", "iCCP", "eXIf", "zzZz"])
    func chunkCutShort(type: String) throws {
        let folder = Paths.temporaryFolder()
        let png = folder.file("cut.png")
        let chunk = PNGWriter.bigEndian(2_113_929_728) + Array(type.utf8) + Array(repeating: UInt8(0x41), count: 900)
        let bytes = PNGWriter.file([PNGWriter.header(width: 109, height: 96, bitDepth: 8, colourType: 2), chunk])
        #expect(FileManager.default.createFile(atPath: png, contents: Data(bytes)))
        let output = folder.file("out.jpg")
        let result = try soraimg(["prep", png, "-o", output, "--faces", "ignore"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("truncated PNG") && result.stderr.contains("its \(type) chunk declares 2113929728 bytes"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let run = try measuredSoraimg(["prep", png, "-o", output, "--faces", "ignore"])
        #expect(run.status == 65 && run.peak(under: 100_000), "\(run.peakKilobytes) KB")
        let inspected = try measuredSoraimg(["inspect", png, "--faces", "ignore"])
        #expect(inspected.status == 65 && inspected.peak(under: 100_000), "\(inspected.peakKilobytes) KB")
        print("measured: PNG with a cut-short \(type) chunk declaring 2 GB refused, \(run.peakKilobytes / 1024) MB peak")
    }

    @Test(
        "the time limit stops libvips mid-decode, whole-image (JPEG) and streamed (PNG)",
        arguments: [("noise.jpg", "3000", "2000"), ("noise.png", "9000", "2000")])
    func timeLimit(name: String, width: String, height: String) throws {
        let folder = Paths.temporaryFolder()
        let noise = folder.file("noise.v"), input = folder.file(name)
        // Grain everywhere, so decoding costs what a real photo of the size does. 6 MP decodes
        // whole into memory (the loader's own pass); 18 MP streams through the resize.
        #expect(try runProcess("/usr/bin/vips", ["gaussnoise", noise, width, height, "--mean", "128", "--sigma", "40"]).status == 0)
        #expect(try runProcess("/usr/bin/vips", ["copy", noise, input]).status == 0)
        var options = PrepOptions()
        options.faces = .ignore
        options.timeLimit = 0.001
        // The only way to an error here is libvips abandoning the evaluation: the clock is read
        // after a failure, never instead of one.
        #expect(throws: PrepError(.overLimit, "not prepared within the 0.001-second time limit (--time-limit)")) {
            _ = try ImagePrep.prepare(.file(input), options: options)
        }
        options.timeLimit = 60
        #expect(try ImagePrep.prepare(.file(input), options: options).size == VideoSize(width: 1280, height: 720))

        let output = folder.file("out.jpg")
        let stopped = try soraimg(["prep", input, "-o", output, "--time-limit", "0.001", "--faces", "ignore"])
        #expect(stopped.status == 65 && stopped.stderr.contains("--time-limit"), "\(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let limited = try measuredSoraimg(["prep", input, "-o", output, "--time-limit", "0.001", "--faces", "ignore"])
        let whole = try measuredSoraimg(["prep", input, "-o", output, "--faces", "ignore"])
        #expect(limited.status == 65 && whole.status == 0)
        print("measured: \(name) \(width)x\(height): stopped after \(String(format: "%.3f", limited.seconds)) s, whole prep \(String(format: "%.3f", whole.seconds)) s")
    }

    @Test("--time-limit must be a positive number of seconds")
    func timeLimitUsage() throws {
        let result = try soraimg(["prep", Paths.fixture("pattern-landscape.png"), "--time-limit", "0", "-o", "/tmp/never-written.jpg"])
        #expect(result.status == 64 && result.stderr.contains("--time-limit"), "\(result.stderr)")
    }
}
