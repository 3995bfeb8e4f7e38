import Foundation
import Testing

@testable import SoraImg

/// `--faces` on prep and animate, `faces` in inspect, and the sandbox's `reject-faces`, through
/// the built binary.
@Suite(
    "faces: the commands (binary)", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
    .enabled(if: FaceDetection.isAvailable, "built without the Faces trait"))
struct FaceCommandTests {
    private let portrait = "pillow__hopper_gray.jpg"
    private let landscape = "ianare__landscape_1.jpg"

    @Test("prep warns with \"human face\" by default and still writes the image; --json lists the boxes")
    func prepWarns() throws {
        let folder = Paths.temporaryFolder()
        let input = folder.copy(Corpus.file(portrait))
        let result = try soraimg(["prep", input, "-o", folder.file("out/"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("human face"), "\(result.stderr)")
        let outputs = try #require(try result.json()["outputs"] as? [[String: Any]])
        #expect((outputs.first?["faces"] as? [[String: Any]])?.count == 1)
        #expect(FileManager.default.fileExists(atPath: folder.file("out/pillow__hopper_gray.1280x720.jpg")))
    }

    @Test("prep --faces refuse exits 65 and writes nothing; a picture without faces still passes")
    func prepRefuses() throws {
        let folder = Paths.temporaryFolder()
        let input = folder.copy(Corpus.file(portrait))
        let refused = try soraimg(["prep", input, "-o", folder.file("out/"), "--faces", "refuse"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("human face"), "\(refused.stderr)")
        // Not even a temporary file: only the input and (perhaps) the empty output folder.
        let everything = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        #expect(everything.filter { $0 != portrait && $0 != "out" }.isEmpty, "\(everything)")
        let clear = try soraimg(["prep", folder.copy(Corpus.file(landscape)), "-o", folder.file("clear.jpg"), "--faces", "refuse"])
        #expect(clear.status == 0, "\(clear.stderr)")
        #expect(!clear.stderr.contains("human face"))
    }

    @Test("prep --faces ignore does not look")
    func prepIgnores() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", folder.copy(Corpus.file(portrait)), "-o", folder.file("out.jpg"), "--faces", "ignore"])
        #expect(result.status == 0 && !result.stderr.contains("human face"), "\(result.stderr)")
    }

    @Test("inspect reports the count and the boxes; --faces ignore leaves them out")
    func inspect() throws {
        let result = try soraimg(["inspect", Corpus.file(portrait), Corpus.file(landscape), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let images = try #require(try result.json()["images"] as? [[String: Any]])
        #expect(images.map { $0["faces"] as? Int } == [1, 0])
        #expect((images[0]["face_boxes"] as? [[String: Any]])?.first?["width"] as? Int ?? 0 > 0)
        let human = try soraimg(["inspect", Corpus.file(portrait)])
        #expect(human.stdoutText.contains("faces: 1") && human.stdoutText.contains("reject"), "\(human.stdoutText)")
        let ignored = try soraimg(["inspect", Corpus.file(portrait), "--json", "--faces", "ignore"])
        #expect((try ignored.json()["images"] as? [[String: Any]])?.first?["faces"] == nil)
    }

    @Test("animate --faces refuse stops before any upload")
    func animateRefuses() throws {
        let sandbox = try SandboxProcess()
        let result = try sandbox.run(["animate", Corpus.file(portrait), "--prompt", "she smiles", "--faces", "refuse"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("human face"))
        #expect(sandbox.createCount == 0)
    }

    @Test("the sandbox answers 400 to a face as the service does; animate --faces warn warns first and shows the hint")
    func sandboxRejects() throws {
        // reject-faces is what the sandbox does anyway now; the old spelling still works.
        let sandbox = try SandboxProcess(["--fault", "reject-faces"])
        let rejected = try sandbox.run(["animate", Corpus.file(portrait), "--prompt", "she smiles", "--faces", "warn"])
        #expect(rejected.status == 65, "\(rejected.stderr)")
        #expect(rejected.stderr.contains("human face"))
        #expect(rejected.stderr.contains("Input images with faces of humans are currently rejected."), "\(rejected.stderr)")
        #expect(sandbox.jobCount == 0)
        let accepted = try sandbox.run(["animate", Corpus.file(landscape), "--prompt", "water falls"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(sandbox.jobCount == 1)
    }
}
