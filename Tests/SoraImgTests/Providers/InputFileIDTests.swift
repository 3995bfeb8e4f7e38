import Foundation
import Testing

@testable import SoraImg

/// `animate --input-file-id`: an image a gateway already keeps, named by its file id instead of
/// a photo prepared here, through the binary against the sandbox's `POST /v1/files`.
@Suite("animate --input-file-id: the binary against the sandbox", .hangGuard)
struct InputFileIDTests {
    /// Uploads a 1280x720 JPEG as a gateway's Files API takes it: its file id.
    private func upload(to sandbox: SandboxProcess) throws -> String {
        let request = HTTPRequest(
            method: .post, url: sandbox.baseURL + "/files", headers: [HTTPHeader("Authorization", "Bearer \(sandbox.key)")],
            body: .multipart([
                .field("purpose", "vision"),
                .file("file", filename: "kept.jpg", contentType: "image/jpeg", data: ReferenceImages.landscape),
            ]))
        let response = try HTTPClient().send(request)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(object?["id"] as? String, "\(response.status) \(String(decoding: response.body, as: UTF8.self))")
    }

    @Test("the file id goes as input_reference {file_id}: one create, the kept image used, the MP4 in place; again pays nothing")
    func fileID() throws {
        let sandbox = try SandboxProcess()
        let id = try upload(to: sandbox)
        let arguments = ["animate", "--input-file-id", id, "--prompt", "from a kept file", "-o", "kept.mp4"]
        let result = try sandbox.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(isMP4(sandbox.folder.file("kept.mp4")))
        let uploads = try #require(sandbox.report()["uploads"] as? [[String: Any]])
        #expect(uploads.count == 1)
        #expect(uploads.first?["filename"] as? String == "kept.jpg" && uploads.first?["width"] as? Int == 1280, "\(uploads)")
        #expect(sandbox.journal.jobs().last?.input == "file_id:" + id)
        let again = try sandbox.run(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(sandbox.createCount == 1)
    }

    @Test("refused with 64 before anything is sent: beside a photo, an id with a space, at gemini")
    func refused() throws {
        let openai = try SandboxProcess()
        let photo = Paths.fixture("orientation/portrait-6.jpg")
        for arguments in [["animate", photo, "--input-file-id", "file-1"], ["animate", "--input-file-id", "file 1"]] {
            let result = try openai.run(arguments + ["--prompt", "x"])
            #expect(result.status == 64, "\(arguments) \(result.stderr)")
        }
        #expect(try openai.report()["requests"] as? Int == 0)
        let gemini = try SandboxProcess(provider: "gemini")
        let result = try gemini.run(["animate", "--input-file-id", "file-1", "--prompt", "x"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--input-file-id"), "\(result.stderr)")
        #expect(try gemini.report()["requests"] as? Int == 0)
    }
}
