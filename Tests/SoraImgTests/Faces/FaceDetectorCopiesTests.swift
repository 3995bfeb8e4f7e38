import Foundation
import Testing

@testable import SoraImg

/// soraimg runs dlib's face model with its own code for the FHOG features and the filters,
/// compiled twice, for any CPU and for AVX2. Both copies must report what dlib's
/// own detector call reports: the same boxes, in the same order, scores equal to rounding. The
/// threshold is lowered so that each image gives dozens of weak candidates to compare, not only
/// its faces. (On a CPU without AVX2 the fastest code is the portable copy.)
@Suite("faces: soraimg's scan agrees with dlib's", .enabled(if: FaceDetection.isAvailable, "built without the Faces trait"))
struct FaceDetectorCopiesTests {
    @Test("same boxes, scores equal to rounding", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: FaceFixtures.portraits + ["ianare__landscape_1.jpg", "ianare__Canon_40D.jpg", "ianare__portrait_1.jpg", "sharp__Channel_digital_image_CMYK_color.jpg"])
    func agree(file: String) throws {
        var options = PrepOptions()
        options.faces = .ignore
        let prepared = try ImagePrep.prepare(.file(Corpus.file(file)), options: options)
        let image = try VipsImage.open(SourceBytes(copying: prepared.bytes), options: "")
        let reference = try #require(try FaceDetector.faces(in: image, code: .dlib, adjustment: -2.5, limit: 4096))
        #expect(reference.count >= 10, "\(file): only \(reference.count) candidates to compare")
        for code in [FaceDetector.Code.fastest, .portable] {
            let ours = try #require(try FaceDetector.faces(in: image, code: code, adjustment: -2.5, limit: 4096))
            #expect(ours.count == reference.count, "\(file), \(code): \(ours.count) candidates against dlib's \(reference.count)")
            for (a, b) in zip(ours, reference) {
                #expect(a.left == b.left && a.top == b.top && a.width == b.width && a.height == b.height, "\(file), \(code): \(a) against \(b)")
                // The additions run in another order, and fused; a score moves by far less than this.
                #expect(abs(a.score - b.score) < 1e-3, "\(file), \(code): \(a.score) against \(b.score)")
            }
        }
        let faces = try #require(try FaceDetector.faces(in: image))
        #expect(faces.count == reference.filter { $0.score >= 0 }.count, "\(file): \(faces)")
        if FaceFixtures.portraits.contains(file) { #expect(!faces.isEmpty, "no face found in \(file)") }
    }
}
