import Foundation
import SoraImgSandbox
import Testing

@Suite("Sandbox: /sandbox/uploads")
struct SandboxUploadsTests {
    @Test("reports file name, content type, bytes, upright size and the metadata kinds left in the image")
    func report() async throws {
        let sandbox = try Sandbox()
        var clean = MultipartForm.create(prompt: "clean", size: "1280x720")
        clean.file("input_reference", filename: "reference.jpg", contentType: "image/jpeg", bytes: ReferenceImages.landscape)
        let cleanReply = try await sandbox.create(clean)
        #expect(cleanReply.status == 200)
        var leaky = MultipartForm.create(prompt: "leaky", model: "sora-2-pro", seconds: "12", size: "720x1280")
        leaky.file("input_reference", filename: "IMG_0001.JPG", contentType: "image/jpeg", bytes: ReferenceImages.landscapeWithHolidayMetadata)
        #expect(try await sandbox.create(leaky).status == 200)
        #expect(try await sandbox.create(json: ["prompt": "text only"]).status == 200)
        _ = try await sandbox.create(json: ["prompt": "refused", "seconds": 4])

        let report = try await sandbox.uploads()
        #expect(report["creates"] as? Int == 4)
        #expect(report["jobs"] as? Int == 3)
        let uploads = try #require(report["uploads"] as? [[String: Any]])
        try #require(uploads.count == 3)

        #expect(uploads[0]["video_id"] as? String == (try cleanReply.json()["id"] as? String))
        #expect(uploads[0]["prompt"] as? String == "clean")
        #expect(uploads[0]["filename"] as? String == "reference.jpg")
        #expect(uploads[0]["content_type"] as? String == "image/jpeg")
        #expect(uploads[0]["bytes"] as? Int == ReferenceImages.landscape.count)
        #expect(uploads[0]["width"] as? Int == 1280 && uploads[0]["height"] as? Int == 720)
        #expect(uploads[0]["metadata"] as? [String] == [])

        #expect(uploads[1]["filename"] as? String == "IMG_0001.JPG")
        #expect(uploads[1]["model"] as? String == "sora-2-pro" && uploads[1]["seconds"] as? String == "12")
        #expect(uploads[1]["width"] as? Int == 720 && uploads[1]["height"] as? Int == 1280)
        let kinds = try #require(uploads[1]["metadata"] as? [String])
        #expect(Set(["gps", "exif", "face-region"]).isSubset(of: Set(kinds)), "\(kinds)")

        #expect(uploads[2]["filename"] is NSNull && uploads[2]["bytes"] as? Int == 0)
    }

    @Test("needs a key like everything else")
    func authenticated() async throws {
        let sandbox = try Sandbox()
        #expect(try await sandbox.send("GET", "/../sandbox/uploads", key: nil).status == 401)
    }
}
