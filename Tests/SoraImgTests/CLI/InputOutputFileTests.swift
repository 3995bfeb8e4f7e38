import Foundation
import Testing

@testable import SoraImg

/// Inputs and outputs as files: an input is never written over, whatever names lead to it.
@Suite("prep inputs and outputs as files (binary)")
struct InputOutputFileTests {
    private let photo = Paths.fixture("orientation/landscape-1.jpg")

    @Test("an input named like another input's output is refused before any work, with or without --force", .hangGuard)
    func inputNamedLikeAnOutput() throws {
        for force in [false, true] {
            let folder = Paths.temporaryFolder()
            let b = folder.copy(photo, as: "b.jpg")
            let earlier = folder.copy(Paths.fixture("orientation/portrait-1.jpg"), as: "b.1280x720.jpg")
            let before = try Data(contentsOf: URL(fileURLWithPath: earlier))
            let result = try soraimg(["prep", "b.jpg", "b.1280x720.jpg"] + (force ? ["--force"] : []), in: folder.path, timeLimit: 300)
            #expect(result.status == 64, "force \(force): \(result.stderr)")
            #expect(result.stderr.contains("b.jpg") && result.stderr.contains("b.1280x720.jpg"), "\(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: earlier)) == before)
            #expect(folder.contents == ["b.1280x720.jpg", "b.jpg"], "force \(force)")
            _ = b
        }
    }

    @Test("in a batch of 2,000 inputs, the one input named like another's output is found (in any folder spelling) and nothing is written", .hangGuard)
    func collisionAmongMany() throws {
        let folder = Paths.temporaryFolder()
        for index in 0..<2000 {
            #expect(FileManager.default.createFile(atPath: folder.file(String(format: "a%04d.jpg", index)), contents: Data()))
        }
        folder.copy(photo, as: "zz.jpg")
        folder.copy(photo, as: "zz.720x1280.jpg")
        let names = (0..<2000).map { String(format: "a%04d.jpg", $0) } + ["zz.jpg", "zz.720x1280.jpg"]
        // The output folder named another way than the inputs' own: compared by device and inode.
        let result = try soraimg(["prep"] + names + ["-o", folder.path + "/./", "--force"], in: folder.path, timeLimit: 600)
        #expect(result.status == 64, "\(result.stderr.prefix(2000))")
        #expect(result.stderr.contains("zz.720x1280.jpg is an input, and the output of zz.jpg may take its name"), "\(result.stderr.prefix(2000))")
        #expect(folder.contents.count == 2002)
    }

    @Test("names of the form STEM.WxH.EXT are told apart from others")
    func sizedNames() {
        #expect(OutputPlan.sizedNameParts("b.1280x720.jpg")! == ("b", "jpg"))
        #expect(OutputPlan.sizedNameParts("my.photo.720x1280.png")! == ("my.photo", "png"))
        #expect(OutputPlan.sizedNameParts(".1x1.webp")! == ("", "webp"))
        for other in ["b.jpg", "b.1280x.jpg", "b.x720.jpg", "b.1280x720x3.jpg", "b.12a0x720.jpg", "b.1280x720.", "1280x720.jpg", "b.１２８０x720.jpg"] {
            #expect(OutputPlan.sizedNameParts(other) == nil, "\(other)")
        }
    }

    @Test("-o naming another input is refused", .hangGuard)
    func outputIsAnotherInputsFile() throws {
        let folder = Paths.temporaryFolder()
        folder.copy(photo, as: "a.jpg")
        let link = folder.file("link.jpg")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "a.jpg")
        let result = try soraimg(["prep", folder.file("a.jpg"), "-o", link, "--force"], timeLimit: 300)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("a.jpg"))) == Data(contentsOf: URL(fileURLWithPath: photo)))
    }

    @Test("one file reached through a linked folder is refused up front, both names given", .hangGuard)
    func sameFileTwice() throws {
        let folder = Paths.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("x"), withIntermediateDirectories: false)
        folder.copy(photo, as: "x/a.jpg")
        try FileManager.default.createSymbolicLink(atPath: folder.file("xl"), withDestinationPath: "x")
        for extra in [[String](), ["--force"]] {
            let result = try soraimg(["prep", "x/a.jpg", "xl/a.jpg"] + extra, in: folder.path, timeLimit: 300)
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("x/a.jpg") && result.stderr.contains("xl/a.jpg"), "\(result.stderr)")
            #expect(TemporaryFolderContents(folder.file("x")) == ["a.jpg"], "nothing written, not even the first")
        }
    }

    @Test("a legal 250-byte output name works: the temporary name is short, in the same folder", .hangGuard)
    func longOutputName() throws {
        let folder = Paths.temporaryFolder()
        let name = String(repeating: "n", count: 246) + ".jpg"
        #expect(name.utf8.count == 250)
        let result = try soraimg(["prep", photo, "-o", folder.file(name)], timeLimit: 300)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(folder.contents == [name])
        #expect(try Pixels(file: folder.file(name)).width == 1280)
    }

    @Test("/dev/zero is refused from its first bytes, not after reading 256 MiB", .hangGuard)
    func endlessDevice() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", "/dev/zero", "-o", folder.file("out.jpg")], timeLimit: 300)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("/dev/zero: not an image"), "\(result.stderr)")
        // Starting soraimg costs about 56 MB; reading to the byte cap would cost 256 MB more.
        let run = try measuredSoraimg(["prep", "/dev/zero", "-o", folder.file("out.jpg")])
        #expect(run.status == 65)
        #expect(run.peak(under: 120_000), "\(run.peakKilobytes) KB")
        print("measured: prep /dev/zero refused in \(String(format: "%.2f", run.seconds)) s, \(run.peakKilobytes / 1024) MB peak")
        #expect(folder.contents.isEmpty)
    }

    @Test("a FIFO that never ends and is not an image is refused from its first bytes", .hangGuard)
    func endlessFIFO() throws {
        let folder = Paths.temporaryFolder()
        let fifo = folder.file("stream.jpg")
        #expect(mkfifo(fifo, 0o600) == 0)
        // A writer that never stops (until the reader goes away).
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "exec /usr/bin/yes 'just some text' > \"$0\"", fifo]
        try writer.run()
        defer {
            if writer.isRunning { writer.terminate() }
            writer.waitUntilExit()
        }
        let result = try soraimg(["prep", fifo, "-o", folder.file("out/")], timeLimit: 300)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("stream.jpg: not an image"), "\(result.stderr)")
    }
}
