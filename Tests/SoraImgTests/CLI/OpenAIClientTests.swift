import Foundation
import Testing

@testable import SoraImg

/// The sandbox driven by the official `openai` Python package, installed by scripts/test into
/// the virtual environment named by `SORAIMG_SDK_PYTHON`.
@Suite("the official openai client against the sandbox")
struct OpenAIClientTests {
    static let python = SDKPython.path

    @Test(
        "videos.create, retrieve, download_content and list work",
        .enabled(if: python != nil, SDKPython.skipNote))
    func officialClient() throws {
        let sandbox = try SandboxProcess()
        // The reference must be exactly the size asked for: prep it.
        let image = sandbox.folder.file("reference.jpg")
        #expect(try soraimg(["prep", Paths.fixture("demo/holiday.jpg"), "-o", image]).status == 0)
        let result = try runProcess(
            Self.python!, [Paths.root + "/Tests/python/openai_client_check.py", sandbox.baseURL, image, sandbox.folder.file("python.mp4")])
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("ok video_"))
        let upload = try #require((try sandbox.report()["uploads"] as? [[String: Any]])?.first)
        #expect(upload["content_type"] as? String == "image/jpeg" && upload["width"] as? Int == 1280)
    }
}
