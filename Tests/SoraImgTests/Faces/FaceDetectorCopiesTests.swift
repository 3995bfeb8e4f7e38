import Foundation
import Testing

@testable import SoraImg

/// The detector is compiled twice, for any CPU and for AVX2 (used where the CPU has it): both
/// must find the same faces in the same places. (On a CPU without AVX2 both calls run the
/// portable copy, and the test shows nothing.)
@Suite("faces: the AVX2 and portable detectors agree", .enabled(if: FaceDetection.isAvailable, "built without the Faces trait"))
struct FaceDetectorCopiesTests {
    @Test("same boxes, scores equal to rounding", .enabled(if: Corpus.isAvailable, Corpus.skipReason),
          arguments: FaceFixtures.portraits + ["ianare__landscape_1.jpg", "ianare__Canon_40D.jpg"])
    func agree(file: String) throws {
        var options = PrepOptions()
        options.faces = .ignore
        let prepared = try ImagePrep.prepare(.file(Corpus.file(file)), options: options)
        let image = try VipsImage.open(SourceBytes(copying: prepared.bytes), options: "")
        let vector = try #require(try FaceDetector.faces(in: image))
        let portable = try #require(try FaceDetector.faces(in: image, portable: true))
        #expect(vector.count == portable.count, "\(file): \(vector) against \(portable)")
        for (a, b) in zip(vector, portable) {
            #expect(a.left == b.left && a.top == b.top && a.width == b.width && a.height == b.height, "\(file): \(a) against \(b)")
            // Fused multiply-adds round differently; a detection's score moves by far less than this.
            #expect(abs(a.score - b.score) < 1e-3, "\(file): \(a.score) against \(b.score)")
        }
        if FaceFixtures.portraits.contains(file) { #expect(!vector.isEmpty, "no face found in \(file)") }
    }
}
