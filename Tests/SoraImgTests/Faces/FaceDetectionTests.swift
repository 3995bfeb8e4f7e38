import Foundation
import Testing

@testable import SoraImg
import SoraImgSandbox

/// Face detection in the prep pipeline: on the upright, cropped region that would be uploaded.
@Suite("faces: detection in prep (library)", .enabled(if: FaceDetection.isAvailable, "built without the Faces trait"))
struct FaceDetectionTests {
    private func faces(_ path: String, crop: CropPosition = .centre) throws -> [FaceBox]? {
        var options = PrepOptions()
        options.crop = crop
        return try ImagePrep.prepare(.file(path), options: options).faces
    }

    @Test("corpus portraits are flagged, with boxes inside the output", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: FaceFixtures.portraits)
    func portraits(file: String) throws {
        let prepared = try ImagePrep.prepare(.file(Corpus.file(file)), options: PrepOptions())
        let found = try #require(prepared.faces)
        #expect(!found.isEmpty, "no face found in \(file)")
        for box in found {
            #expect(box.left >= 0 && box.top >= 0 && box.width > 0 && box.height > 0)
            #expect(box.left + box.width <= prepared.size.width && box.top + box.height <= prepared.size.height)
        }
    }

    @Test("landscapes, products and text are not flagged", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: FaceFixtures.withoutFaces)
    func withoutFaces(file: String) throws {
        #expect(try faces(Corpus.file(file)) == [])
    }

    @Test("the project's pattern fixture is not flagged")
    func pattern() throws {
        #expect(try faces(Paths.fixture("pattern-landscape.png")) == [])
    }

    @Test("a face the crop keeps is flagged where it lands; one the crop cuts away is not",
          .enabled(if: Corpus.isAvailable, Corpus.skipReason), arguments: [false, true])
    func composite(turned: Bool) throws {
        let folder = Paths.temporaryFolder()
        let kept = try #require(try faces(FaceFixtures.composite(.kept, turned: turned, in: folder)))
        #expect(kept.count == 1)
        // The face sits in the middle of the 1280x720 output (x 304 to 496 of the 800 kept
        // columns, times 1.6).
        if let box = kept.first {
            #expect((400...880).contains(box.left + box.width / 2), "\(box)")
            #expect((150...570).contains(box.top + box.height / 2), "\(box)")
        }
        #expect(try faces(FaceFixtures.composite(.croppedAway, turned: turned, in: folder)) == [])
    }

    @Test("ignore does not look; refuse throws before anything is encoded", .enabled(if: Corpus.isAvailable, Corpus.skipReason))
    func policies() throws {
        var options = PrepOptions()
        options.faces = .ignore
        #expect(try ImagePrep.prepare(.file(Corpus.file("pillow__hopper_gray.jpg")), options: options).faces == nil)
        options.faces = .refuse
        let error = #expect(throws: PrepError.self) {
            try ImagePrep.prepare(.file(Corpus.file("pillow__hopper_gray.jpg")), options: options)
        }
        #expect(error?.kind == .showsFace && error?.exitStatus == .badInput)
        #expect(error?.message.contains("human face") == true)
        // A picture without faces passes refuse.
        #expect(try ImagePrep.prepare(.file(Corpus.file("ianare__landscape_1.jpg")), options: options).faces == [])
    }

    @Test("uploads are checked upright, as the sandbox does", .enabled(if: Corpus.isAvailable, Corpus.skipReason))
    func encodedImages() throws {
        let portrait = try #require(FileManager.default.contents(atPath: Corpus.file("pillow__hopper_orientation_6.webp")))
        #expect(try FaceDetection.faces(inImage: Array(portrait))?.isEmpty == false)
        let landscape = try #require(FileManager.default.contents(atPath: Corpus.file("ianare__landscape_1.jpg")))
        #expect(try FaceDetection.faces(inImage: Array(landscape)) == [])
    }
}

@Suite("faces: the build and the sandbox fault")
struct FaceBuildTests {
    @Test("the detector is there exactly when the Faces trait is on (the default)")
    func available() {
        // SwiftPM defines each enabled trait's name as a compilation condition.
        #if Faces
            #expect(FaceDetection.isAvailable)
        #else
            #expect(!FaceDetection.isAvailable)
        #endif
    }

    @Test("reject-faces parses and prints back; it takes no value", .enabled(if: FaceDetection.isAvailable))
    func parsing() throws {
        #expect(try SandboxFault(parsing: "reject-faces") == .rejectFaces)
        #expect(SandboxFault.rejectFaces.description == "reject-faces")
        #expect(SandboxFault.names.contains("reject-faces"))
        #expect(throws: SandboxError.self) { try SandboxFault(parsing: "reject-faces:2") }
    }
}
