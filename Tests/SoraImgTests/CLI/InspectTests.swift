import Foundation
import Testing
import SoraImg

/// `soraimg inspect` through the binary.
@Suite("inspect (binary)")
struct InspectTests {
    /// The privacy findings `inspect --json` reports for one file, as (kind, detail) pairs.
    private func privacy(_ path: String) throws -> (image: [String: Any], findings: [(kind: String, detail: String)]) {
        let result = try soraimg(["inspect", "--json", path])
        #expect(result.status == 0, "\(result.stderr)")
        let images = try #require(try result.json()["images"] as? [[String: Any]])
        let image = try #require(images.first)
        let findings = (image["privacy"] as? [[String: String]] ?? []).map { (kind: $0["kind"] ?? "", detail: $0["detail"] ?? "") }
        return (image, findings)
    }

    private func expect(_ findings: [(kind: String, detail: String)], _ kind: String, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(findings.contains { $0.kind == kind && $0.detail.contains(text) }, "no \(kind) with '\(text)' in \(findings)", sourceLocation: sourceLocation)
    }

    @Test("the documented JSON shape: format, sizes, orientation, target, privacy")
    func shape() throws {
        let (image, _) = try privacy(Paths.fixture("demo/holiday.jpg"))
        #expect(Set(image.keys).subtracting(["faces", "face_boxes"]) == ["file", "format", "width", "height", "orientation", "upright", "target", "privacy"])
        // The faces in the region prep would upload (none in the demo photo), with the detector.
        #expect(image["faces"] as? Int == (FaceDetection.isAvailable ? 0 : nil))
        #expect(image["format"] as? String == "jpeg")
        #expect(image["width"] as? Int == 1000 && image["height"] as? Int == 1600)
        #expect(image["orientation"] as? Int == 6)
        #expect(image["upright"] as? [String: Int] == ["width": 1600, "height": 1000])
        #expect(image["target"] as? [String: Int] == ["width": 1280, "height": 720])
    }

    @Test("each kind of identifying metadata is reported with what it says")
    func everyKind() throws {
        let demo = try privacy(Paths.fixture("demo/holiday.jpg")).findings
        expect(demo, "gps", containing: "latitude 43.4674, longitude 11.8851")
        expect(demo, "camera-serial", containing: "EC123456789")
        expect(demo, "owner", containing: "Alex Example")
        expect(demo, "face-region", containing: "MWG regions: Sam Example")
        expect(demo, "person-name", containing: "Sam Example")
        expect(demo, "thumbnail", containing: "thumbnail")
        expect(demo, "comment", containing: "Beach walk with Sam")
        expect(demo, "xmp", containing: "XMP")
        expect(demo, "iptc", containing: "IPTC")
        expect(demo, "exif", containing: "EXIF")

        let microsoft = try privacy(Paths.fixture("privacy/microsoft-regions.jpg")).findings
        expect(microsoft, "face-region", containing: "Microsoft Photo regions: Jo Example")
        expect(microsoft, "person-name", containing: "Jo Example")
        let iptc = try privacy(Paths.fixture("privacy/iptc-regions.jpg")).findings
        expect(iptc, "face-region", containing: "IPTC Extension regions: Kim Example")
        expect(iptc, "person-name", containing: "Kim Example")
        expect(try privacy(Paths.fixture("privacy/comment.jpg")).findings, "comment", containing: "Taken at 12 Example Street")
        let png = try privacy(Paths.fixture("privacy/text.png")).findings
        expect(png, "comment", containing: "'Comment'")
        expect(png, "owner", containing: "'Author'")
        let webp = try privacy(Paths.fixture("privacy/gps.webp")).findings
        expect(webp, "gps", containing: "latitude 51.5007, longitude -0.1246")
        expect(try privacy(Paths.fixture("colour/patches-p3.png")).findings, "icc", containing: "ICC profile")
    }

    @Test("on prep's output it reports nothing", arguments: [
        "demo/holiday.jpg", "privacy/microsoft-regions.jpg", "privacy/iptc-regions.jpg", "privacy/comment.jpg",
        "privacy/text.png", "privacy/gps.webp",
    ])
    func cleanAfterPrep(fixture: String) throws {
        let folder = Paths.temporaryFolder()
        for format in ["jpeg", "png", "webp"] {
            let output = folder.file("out.\(format)")
            #expect(try soraimg(["prep", Paths.fixture(fixture), "-o", output, "--format", format]).status == 0)
            let findings = try privacy(output).findings
            #expect(findings.isEmpty, "\(fixture) as \(format): \(findings)")
        }
    }

    @Test("human output names each finding and says prep removes them; failures keep going")
    func human() throws {
        let result = try soraimg(["inspect", Paths.fixture("demo/holiday.jpg"), "/nonexistent.jpg", Paths.fixture("shapes/1x1.png")])
        #expect(result.status == 66)
        #expect(result.stdoutText.contains("EXIF orientation 6 (upright 1600x1000), prep makes 1280x720"))
        #expect(result.stdoutText.contains("gps: latitude 43.4674"))
        #expect(result.stdoutText.contains("soraimg prep removes all 14 of these."))
        #expect(result.stdoutText.contains("1x1.png: PNG 1x1, prep makes 1280x720\n  nothing identifying found"))
        #expect(result.stderr.contains("/nonexistent.jpg: no such file"))
    }

    @Test("--model and --size change the target it reports")
    func target() throws {
        let result = try soraimg(["inspect", "--json", "--model", "sora-2-pro", "--size", "max", Paths.fixture("orientation/portrait-6.jpg")])
        let image = try #require((try result.json()["images"] as? [[String: Any]])?.first)
        // The fixture is small, so the target also says how much prep enlarges it.
        #expect(image["target"] as? [String: Double] == ["width": 1080, "height": 1920, "upscale": 3])
    }
}

@Suite("progress (binary)")
struct ProgressTests {
    @Test("a progress line on a terminal, none when output is not a terminal")
    func progressOnlyOnTerminal() throws {
        let folder = Paths.temporaryFolder()
        let inputs = (1...3).map { Paths.fixture("orientation/landscape-\($0).jpg") }
        let command = ([Paths.binary, "prep", "-o", folder.file("tty/")] + inputs).map { "'\($0)'" }.joined(separator: " ")
        // script(1) runs the command under a pseudo-terminal: stdout and stderr are a terminal.
        let onTerminal = try runProcess("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(onTerminal.status == 0, "\(onTerminal.stderr)")
        #expect(onTerminal.stdoutText.contains("[1/3] preparing"), "\(onTerminal.stdoutText)")
        #expect(onTerminal.stdoutText.contains("3 prepared, 0 failed"))

        let piped = try soraimg(["prep", "-o", folder.file("pipe/")] + inputs)
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("preparing") && !piped.stderr.contains("\r"))
        #expect(piped.stderr.contains("3 prepared, 0 failed"))
    }
}
