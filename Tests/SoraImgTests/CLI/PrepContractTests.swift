import Foundation
import Testing
import SoraImg

/// Each rule of `prep`'s output contract (README, "soraimg prep"), run through the built binary.
@Suite("prep output contract (binary)")
struct PrepContractTests {
    private let photo = Paths.fixture("orientation/landscape-1.jpg")
    private let portrait = Paths.fixture("orientation/portrait-6.jpg")

    @Test("no -o: STEM.WxH.EXT beside the input, JPEG by default")
    func besideInput() throws {
        let folder = Paths.temporaryFolder()
        let input = folder.copy(photo, as: "photo.jpg")
        let portraitInput = folder.copy(portrait, as: "tall.jpg")
        let result = try soraimg(["prep", input, portraitInput])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(folder.contents == ["photo.1280x720.jpg", "photo.jpg", "tall.720x1280.jpg", "tall.jpg"])
        let output = try Data(contentsOf: URL(fileURLWithPath: folder.file("photo.1280x720.jpg")))
        #expect(output.prefix(3) == Data([0xFF, 0xD8, 0xFF]))
        // What was written where is a result line, on standard output.
        #expect(result.stdoutText.contains("photo.1280x720.jpg"), "\(result.stdoutText)")
    }

    @Test("relative paths work from the current folder")
    func relativeInput() throws {
        let folder = Paths.temporaryFolder()
        folder.copy(photo, as: "photo.jpg")
        let result = try soraimg(["prep", "photo.jpg"], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(folder.contents.contains("photo.1280x720.jpg"))
    }

    @Test("-o DIR: an existing folder, or a missing one named with a trailing slash")
    func outputFolder() throws {
        let folder = Paths.temporaryFolder()
        let existing = folder.file("existing")
        try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: false)
        var result = try soraimg(["prep", photo, "-o", existing])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: existing + "/landscape-1.1280x720.jpg"))

        result = try soraimg(["prep", photo, portrait, "-o", folder.file("new/deeper/")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(TemporaryFolderContents(folder.file("new/deeper")) == ["landscape-1.1280x720.jpg", "portrait-6.720x1280.jpg"])
    }

    @Test("two inputs that would get the same name: exit 64 before any work, both named")
    func collision() throws {
        let folder = Paths.temporaryFolder()
        let a = folder.file("a"), b = folder.file("b")
        try FileManager.default.createDirectory(atPath: a, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: false)
        let first = folder.copy(photo, as: "a/photo.jpg")
        let second = folder.copy(photo, as: "b/photo.jpg")
        let result = try soraimg(["prep", first, second, "-o", folder.file("out/")])
        #expect(result.status == 64)
        #expect(result.stderr.contains("a/photo.jpg") && result.stderr.contains("b/photo.jpg"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
    }

    @Test("-o FILE: exactly that file, its extension sets the format")
    func outputFile() throws {
        let folder = Paths.temporaryFolder()
        for (name, magic) in [("ref.png", [0x89, 0x50, 0x4E, 0x47]), ("ref.webp", Array("RIFF".utf8).map(Int.init)), ("ref.jpeg", [0xFF, 0xD8, 0xFF])] {
            let result = try soraimg(["prep", photo, "-o", folder.file(name)])
            #expect(result.status == 0, "\(result.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.file(name)))
            #expect(Array(bytes.prefix(magic.count)).map(Int.init) == magic, "\(name)")
        }
        // --format wins over an extension it does not contradict.
        let result = try soraimg(["prep", photo, "-o", folder.file("ref.img"), "--format", "png"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("ref.img"))).prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }

    @Test("usage errors exit 64 and write nothing", arguments: [
        ["-o", "ref.png", "--format", "jpeg"],  // extension contradicts --format
        ["-o", "ref.tiff"],  // format cannot be told
        ["--size", "1920x1080"],  // not a sora-2 size
        ["--model", "unknown-model"],  // unknown model needs --size
        ["--quality", "0"], ["--quality", "101"], ["--size", "big"], ["--format", "gif"], ["--jobs", "0"],
        ["-o", "-", "--json"],  // both want standard output
    ])
    func usageErrors(arguments: [String]) throws {
        let folder = Paths.temporaryFolder()
        let input = folder.copy(photo, as: "photo.jpg")
        let result = try soraimg(["prep", input] + arguments, in: folder.path)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(folder.contents == ["photo.jpg"], "\(arguments)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("-o FILE or -o - with several inputs is a usage error")
    func oneFileManyInputs() throws {
        let folder = Paths.temporaryFolder()
        for output in [folder.file("one.jpg"), "-"] {
            let result = try soraimg(["prep", photo, portrait, "-o", output])
            #expect(result.status == 64, "\(output)")
        }
        #expect(folder.contents.isEmpty)
    }

    @Test("-o - writes the image to standard output; - reads standard input")
    func streams() throws {
        let input = try Data(contentsOf: URL(fileURLWithPath: portrait))
        let result = try soraimg(["prep", "-", "-o", "-", "--format", "png"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let pixels = try Pixels(bytes: Array(result.stdout))
        #expect(pixels.width == 720 && pixels.height == 1280)
        // Standard input without -o has nowhere to go.
        let nowhere = try soraimg(["prep", "-"], stdin: input)
        #expect(nowhere.status == 64)
    }

    @Test("an existing output is refused with 73 and left alone; --force replaces it")
    func existingOutput() throws {
        let folder = Paths.temporaryFolder()
        let target = folder.file("ref.jpg")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        var result = try soraimg(["prep", photo, "-o", target])
        #expect(result.status == 73)
        #expect(result.stderr.contains("--force"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
        result = try soraimg(["prep", photo, "-o", target, "--force"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Pixels(file: target).width == 1280)
        #expect(folder.contents == ["ref.jpg"])  // no temporary file left
    }

    @Test("an input is never its own output")
    func inputIsOutput() throws {
        let folder = Paths.temporaryFolder()
        let input = folder.copy(photo, as: "photo.jpg")
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let result = try soraimg(["prep", input, "-o", input, "--force"])
        #expect(result.status == 64)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test("missing input 66, bad data 65; the batch goes on and exits with the first failure's code")
    func batchExitCodes() throws {
        let folder = Paths.temporaryFolder()
        let good = folder.copy(photo, as: "good.jpg")
        let text = folder.file("notes.jpg")
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: text))
        let missing = folder.file("missing.jpg")

        var result = try soraimg(["prep", missing, text, good, "-o", folder.file("out/")])
        #expect(result.status == 66)
        #expect(result.stderr.contains("missing.jpg: no such file"))
        #expect(result.stderr.contains("notes.jpg: not an image"))
        #expect(TemporaryFolderContents(folder.file("out")) == ["good.1280x720.jpg"])

        result = try soraimg(["prep", text, missing, "-o", folder.file("out2/")])
        #expect(result.status == 65)
        #expect(TemporaryFolderContents(folder.file("out2")) == [])
    }

    @Test("--json gives the documented shape, with every input")
    func json() throws {
        let folder = Paths.temporaryFolder()
        let bad = folder.file("bad.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: URL(fileURLWithPath: bad))
        let result = try soraimg(["prep", Paths.fixture("demo/holiday.jpg"), bad, "-o", folder.file("out/"), "--json"])
        #expect(result.status == 65)
        let document = try result.json()
        let outputs = try #require(document["outputs"] as? [[String: Any]])
        let errors = try #require(document["errors"] as? [[String: Any]])
        #expect(outputs.count == 1 && errors.count == 1)
        let output = outputs[0]
        #expect(Set(output.keys).subtracting(["faces"]) == ["input", "output", "width", "height", "format", "bytes", "removed"])
        // The faces found (none in this landscape), when this build has the detector.
        #expect((output["faces"] as? [Any])?.isEmpty == (FaceDetection.isAvailable ? true : nil))
        #expect(output["width"] as? Int == 1280 && output["height"] as? Int == 720)  // stored portrait, orientation 6: landscape
        #expect(output["format"] as? String == "jpeg")
        #expect((output["output"] as? String)?.hasSuffix("out/holiday.1280x720.jpg") == true)
        let removed = try #require(output["removed"] as? [String])
        #expect(Set(removed).isSuperset(of: ["gps", "camera-serial", "owner", "face-region", "person-name", "thumbnail", "exif", "xmp", "iptc"]))
        let bytes = try #require(output["bytes"] as? Int)
        #expect(bytes == (try FileManager.default.attributesOfItem(atPath: output["output"] as! String)[.size] as? Int))
        #expect(Set(errors[0].keys) == ["input", "exit_code", "message"])
        #expect(errors[0]["exit_code"] as? Int == 65)
        #expect((errors[0]["input"] as? String)?.hasSuffix("bad.png") == true)
    }

    @Test("--max-bytes and --max-pixels refuse from the header, naming the option")
    func limits() throws {
        let folder = Paths.temporaryFolder()
        var result = try soraimg(["prep", photo, "-o", folder.file("a.jpg"), "--max-bytes", "1000"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("--max-bytes"))
        result = try soraimg(["prep", photo, "-o", folder.file("b.jpg"), "--max-pixels", "1000"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("640x400 is over the 1000-pixel limit (--max-pixels)"))
        #expect(folder.contents.isEmpty)
    }

    @Test("models and sizes: sora-2-pro max, dated snapshots, unknown models with --size")
    func modelsAndSizes() throws {
        let folder = Paths.temporaryFolder()
        let cases: [([String], String)] = [
            (["--model", "sora-2-pro", "--size", "max"], "1920x1080"),
            (["--model", "sora-2-pro-2025-10-06", "--size", "1792x1024"], "1792x1024"),
            (["--model", "sora-2-2025-12-08"], "1280x720"),
            (["--model", "someone-elses-model", "--size", "1000x1000"], "1000x1000"),
        ]
        for (index, (arguments, size)) in cases.enumerated() {
            let output = folder.file("\(index).png")
            let result = try soraimg(["prep", photo, "-o", output] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let pixels = try Pixels(file: output)
            #expect("\(pixels.width)x\(pixels.height)" == size, "\(arguments)")
        }
    }

    @Test("--help teaches: options, examples and exit codes")
    func help() throws {
        let result = try soraimg(["prep", "--help"])
        #expect(result.status == 0)
        for text in ["--size <auto|max|WxH>", "--max-pixels", "Examples:", "soraimg prep photo.jpg", "--force"] {
            #expect(result.stdoutText.contains(text), "\(text)")
        }
        let root = try soraimg(["--help"])
        #expect(root.stdoutText.contains("Exit codes"))
    }
}

/// The names in a folder, sorted; empty when it does not exist.
func TemporaryFolderContents(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

@Suite("prep batches (binary)")
struct PrepBatchTests {
    @Test("--jobs changes the speed, never the result")
    func jobsDeterministic() throws {
        let inputs = (1...8).map { Paths.fixture("orientation/landscape-\($0).jpg") } + [Paths.fixture("demo/holiday.jpg")]
        let one = Paths.temporaryFolder(), three = Paths.temporaryFolder()
        #expect(try soraimg(["prep", "--jobs", "1", "-o", one.path + "/"] + inputs).status == 0)
        #expect(try soraimg(["prep", "--jobs", "3", "-o", three.path + "/"] + inputs).status == 0)
        #expect(one.contents.count == inputs.count && one.contents == three.contents)
        for name in one.contents {
            #expect(FileManager.default.contentsEqual(atPath: one.file(name), andPath: three.file(name)), "\(name)")
        }
    }

    @Test("an output that cannot be created: exit 73, nothing left behind")
    func cannotCreate() throws {
        let folder = Paths.temporaryFolder()
        let blocker = folder.file("blocker")
        try Data("a file, not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
        let result = try soraimg(["prep", Paths.fixture("pattern-landscape.png"), "-o", blocker + "/out.jpg"])
        #expect(result.status == 73, "\(result.stderr)")
        #expect(folder.contents == ["blocker"])
    }
}
