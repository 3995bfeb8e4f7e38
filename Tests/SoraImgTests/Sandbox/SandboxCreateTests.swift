import Foundation
import SoraImg
import SoraImgSandbox
import Testing

@Suite("Sandbox: creating videos")
struct SandboxCreateTests {
    @Test("a multipart create with a 1280x720 JPEG answers 200 with a queued video object")
    func multipartCreate() async throws {
        let sandbox = try Sandbox()
        var form = MultipartForm.create(seconds: "8", size: "1280x720")
        form.file("input_reference", filename: "reference.jpg", contentType: "image/jpeg", bytes: ReferenceImages.landscape)
        let before = Date().timeIntervalSince1970
        let reply = try await sandbox.create(form)
        let after = Date().timeIntervalSince1970
        #expect(reply.status == 200, "\(reply.text)")
        let video = try reply.json()
        let id = try #require(video["id"] as? String)
        #expect(id.hasPrefix("video_") && id.count == 6 + 24 && id.dropFirst(6).allSatisfy(\.isHexDigit))
        #expect(video["object"] as? String == "video")
        #expect(video["status"] as? String == "queued")
        #expect(video["progress"] as? Int == 0)
        #expect(video["model"] as? String == "sora-2")
        #expect(video["size"] as? String == "1280x720")
        #expect(video["seconds"] as? String == "8")
        #expect(video["prompt"] as? String == "waves on a beach")
        let created = try #require(video["created_at"] as? Int)
        #expect(Double(created) >= before.rounded(.down) - 1 && Double(created) <= after + 1, "\(before) ≤ \(created) ≤ \(after)")
        for key in ["completed_at", "expires_at", "remixed_from_video_id", "error"] {
            #expect(video[key] is NSNull, "\(key) should be null")
        }
    }

    @Test("defaults: sora-2, 4 seconds, 720x1280, for a text-only JSON create")
    func defaults() async throws {
        let sandbox = try Sandbox()
        let reply = try await sandbox.create(json: ["prompt": "a lighthouse at dusk"])
        #expect(reply.status == 200, "\(reply.text)")
        let video = try reply.json()
        #expect(video["model"] as? String == "sora-2")
        #expect(video["seconds"] as? String == "4")
        #expect(video["size"] as? String == "720x1280")
    }

    @Test("an image of another size gets the service's exact message")
    func sizeMismatch() async throws {
        let sandbox = try Sandbox()
        var form = MultipartForm.create(size: "720x1280")
        form.file("input_reference", filename: "reference.jpg", contentType: "image/jpeg", bytes: ReferenceImages.landscape)
        let reply = try await sandbox.create(form)
        #expect(reply.status == 400)
        #expect(reply.errorMessage == "Inpaint image must match the requested width and height")
        #expect(try await sandbox.uploads()["jobs"] as? Int == 0)
    }

    @Test("the upright size counts: a 1280x720 JPEG tagged orientation 6 fits 720x1280")
    func orientationCounts() async throws {
        let sandbox = try Sandbox()
        var form = MultipartForm.create(size: "720x1280")
        form.file("input_reference", filename: "photo.jpg", contentType: "image/jpeg", bytes: ReferenceImages.landscapeWithHolidayMetadata)
        #expect(try await sandbox.create(form).status == 200)
    }

    @Test("a part without a filename is a string, not a file")
    func missingFilename() async throws {
        let sandbox = try Sandbox()
        var form = MultipartForm.create(size: "1280x720")
        form.file("input_reference", filename: nil, contentType: "image/jpeg", bytes: ReferenceImages.landscape)
        let reply = try await sandbox.create(form)
        #expect(reply.status == 400)
        #expect(reply.errorMessage == "Invalid type for 'input_reference': expected a file, but got a string instead.")
        #expect(reply.errorParam == "input_reference")
    }

    @Test("a file part that is not an image type is refused, naming the type; none at all is octet-stream")
    func wrongMIME() async throws {
        let sandbox = try Sandbox()
        for (sent, named) in [("image/gif", "image/gif"), (nil, "application/octet-stream")] as [(String?, String)] {
            var form = MultipartForm.create(size: "1280x720")
            form.file("input_reference", filename: "reference.jpg", contentType: sent, bytes: ReferenceImages.landscape)
            let reply = try await sandbox.create(form)
            #expect(reply.status == 400)
            #expect(
                reply.errorMessage
                    == "Invalid file 'input_reference': unsupported mimetype ('\(named)'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'."
            )
        }
    }

    @Test("bytes that are no image are an invalid image")
    func undecodable() async throws {
        let sandbox = try Sandbox()
        var form = MultipartForm.create(size: "1280x720")
        form.file("input_reference", filename: "reference.png", contentType: "image/png", bytes: Array("not a picture".utf8))
        let reply = try await sandbox.create(form)
        #expect(reply.status == 400)
        #expect(reply.errorMessage == "Invalid image")
    }

    @Test("seconds as a JSON number is a type error naming the allowed strings")
    func secondsAsInteger() async throws {
        let sandbox = try Sandbox()
        let reply = try await sandbox.create(json: ["prompt": "x", "seconds": 4])
        #expect(reply.status == 400)
        #expect(reply.errorParam == "seconds")
        #expect(reply.errorMessage == "Invalid type for 'seconds': expected one of '4', '8', '12', '16', or '20', but got an integer instead.")
    }

    @Test("validation order and values: prompt, model, seconds, size")
    func invalidValues() async throws {
        let sandbox = try Sandbox()
        let missing = try await sandbox.create(json: ["model": "nope"])
        #expect(missing.status == 400 && missing.errorParam == "prompt")
        #expect(missing.errorMessage == "Missing required parameter: 'prompt'.")
        let empty = try await sandbox.create(MultipartForm.create(prompt: "", size: "1280x720"))
        #expect(empty.status == 400 && empty.errorParam == "prompt")
        let model = try await sandbox.create(json: ["prompt": "x", "model": "sora-3", "seconds": 4])
        #expect(model.status == 400 && model.errorParam == "model" && model.errorCode == "invalid_value")
        #expect(model.errorMessage?.contains("'sora-3'") == true)
        let seconds = try await sandbox.create(MultipartForm.create(seconds: "5", size: "1280x720"))
        #expect(seconds.status == 400 && seconds.errorParam == "seconds")
        let size = try await sandbox.create(MultipartForm.create(size: "1792x1024"))
        #expect(size.status == 400 && size.errorParam == "size")
        #expect(size.errorMessage == "Invalid value: '1792x1024'. Supported values are: '720x1280' and '1280x720'.")
        // A dated snapshot inherits its family's table: sora-2-pro sizes.
        let pro = try await sandbox.create(MultipartForm.create(model: "sora-2-pro-2025-10-06", seconds: "20", size: "1792x1024"))
        #expect(pro.status == 200, "\(pro.text)")
        #expect(try await sandbox.uploads()["jobs"] as? Int == 1)
    }

    @Test("JSON input_reference: a data URL works, a file_id the sandbox does not hold is 404")
    func jsonReference() async throws {
        let sandbox = try Sandbox()
        let dataURL = "data:image/jpeg;base64," + Data(ReferenceImages.landscape).base64EncodedString()
        let good = try await sandbox.create(json: ["prompt": "x", "size": "1280x720", "input_reference": ["image_url": dataURL]])
        #expect(good.status == 200, "\(good.text)")
        let fileID = try await sandbox.create(json: ["prompt": "x", "size": "1280x720", "input_reference": ["file_id": "file_123"]])
        #expect(fileID.status == 404)
        #expect(fileID.errorParam == "input_reference.file_id")
        let uploads = try #require(try await sandbox.uploads()["uploads"] as? [[String: Any]])
        #expect(uploads.count == 1)
        #expect(uploads.first?["content_type"] as? String == "image/jpeg")
        #expect(uploads.first?["filename"] is NSNull)
    }
}
