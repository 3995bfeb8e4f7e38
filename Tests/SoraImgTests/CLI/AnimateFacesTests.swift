import Foundation
import Testing

@testable import SoraImg

/// `animate` and faces through the built binary: it refuses by default for a provider known to
/// reject faces (the OpenAI protocol), and the sandbox rejects them as the service does.
@Suite(
    "animate and faces (binary)", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
    .enabled(if: FaceDetection.isAvailable, "built without the Faces trait"))
struct AnimateFacesTests {
    private let portrait = Corpus.isAvailable ? Corpus.file("pillow__hopper_gray.jpg") : ""

    @Test("by default animate refuses a face with 65 before any upload, even where the server would take it")
    func refusesByDefault() throws {
        let sandbox = try SandboxProcess(["--accept-faces"])
        let result = try sandbox.run(["animate", portrait, "--prompt", "she smiles"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("human face"), "\(result.stderr)")
        #expect(sandbox.createCount == 0)
        // A manifest's lines are held to the same rule.
        let manifest = sandbox.folder.file("jobs.jsonl")
        try Data("{\"image\": \"\(portrait)\", \"prompt\": \"she smiles\"}\n".utf8).write(to: URL(fileURLWithPath: manifest))
        let batch = try sandbox.run(["animate", "--manifest", manifest])
        #expect(batch.status == 65, "\(batch.stderr)")
        #expect(sandbox.createCount == 0)
    }

    @Test("--faces warn uploads anyway, with a warning; --faces ignore does not look")
    func warnAndIgnore() throws {
        let sandbox = try SandboxProcess(["--accept-faces"])
        let warned = try sandbox.run(["animate", portrait, "--prompt", "she smiles", "--faces", "warn", "-o", "warned.mp4"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("human face"), "\(warned.stderr)")
        let ignored = try sandbox.run(["animate", portrait, "--prompt", "she smiles", "--faces", "ignore", "-o", "ignored.mp4", "--seconds", "8"])
        #expect(ignored.status == 0, "\(ignored.stderr)")
        #expect(!ignored.stderr.contains("human face"), "\(ignored.stderr)")
        #expect(sandbox.jobCount == 2)
    }

    @Test("the sandbox rejects a face by default, as the service does")
    func sandboxRejectsByDefault() throws {
        let sandbox = try SandboxProcess()
        let rejected = try sandbox.run(["animate", portrait, "--prompt", "she smiles", "--faces", "ignore"])
        #expect(rejected.status == 65, "\(rejected.stderr)")
        #expect(rejected.stderr.contains("Input images with faces of humans are currently rejected."), "\(rejected.stderr)")
        #expect(sandbox.jobCount == 0)
        // A photo without a face goes through.
        let accepted = try sandbox.run(["animate", Paths.fixture("demo/holiday.jpg"), "--prompt", "waves roll in"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(sandbox.jobCount == 1)
    }

    @Test("prep still only warns by default")
    func prepWarns() throws {
        let folder = Paths.temporaryFolder()
        let result = try soraimg(["prep", portrait, "-o", folder.file("out.jpg")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("human face"), "\(result.stderr)")
    }
}
