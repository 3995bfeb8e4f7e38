import Foundation
import Testing

@testable import SoraImg

/// Each sandbox dialect driven by the provider's official Python SDK (scripts/test installs
/// them), so the sandbox cannot drift from the wire those clients speak. The reference image is
/// prepared by `soraimg prep`, as a user would: 1280x720, the size asked for.
@Suite("the providers' official clients against the sandbox's dialects", .hangGuard)
struct SDKClientTests {
    /// A sandbox of `provider` and a prepared reference image in its folder.
    private func prepared(_ provider: String, _ arguments: [String] = []) throws -> (sandbox: SandboxProcess, image: String) {
        let sandbox = try SandboxProcess(arguments, provider: provider)
        let image = sandbox.folder.file("reference.jpg")
        let prep = try soraimg(["prep", Paths.fixture("pattern-landscape.png"), "-o", image], timeLimit: 120)
        #expect(prep.status == 0, "\(prep.stderr)")
        return (sandbox, image)
    }

    /// What the sandbox received as the reference image.
    private func expectUpload(_ sandbox: SandboxProcess, creates: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let report = try sandbox.report()
        let upload = try #require((report["uploads"] as? [[String: Any]])?.first, sourceLocation: sourceLocation)
        #expect(upload["content_type"] as? String == "image/jpeg", sourceLocation: sourceLocation)
        #expect(upload["width"] as? Int == 1280 && upload["height"] as? Int == 720, sourceLocation: sourceLocation)
        #expect(report["creates"] as? Int == creates, "no create retried: \(report)", sourceLocation: sourceLocation)
    }

    @Test(
        "openrouter: the model list, a first-frame create (202), polling to completed, the MP4 content, and a continuation",
        .enabled(if: SDKPython.path != nil, SDKPython.skipNote))
    func openRouter() throws {
        let (sandbox, image) = try prepared("openrouter")
        let result = try runProcess(
            SDKPython.path!, [Paths.root + "/Tests/python/openrouter_client_check.py", sandbox.baseURL, sandbox.key, image, sandbox.folder.file("out.mp4")],
            timeLimit: 120)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("ok gen-vid-"))
        // The first-frame create and its continuation (previous_job_id).
        try expectUpload(sandbox, creates: 2)
    }

    @Test(
        "gemini: generate_videos with an image, operations.get until done, files.download of the video",
        .enabled(if: SDKPython.path != nil, SDKPython.skipNote))
    func gemini() throws {
        let (sandbox, image) = try prepared("gemini")
        // google-genai appends its own /v1beta to the base URL: give it the origin.
        let result = try runProcess(
            SDKPython.path!, [Paths.root + "/Tests/python/genai_client_check.py", sandbox.origin, sandbox.key, image, sandbox.folder.file("out.mp4")],
            timeLimit: 120)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("ok models/veo-3.1-generate-preview/operations/"))
        try expectUpload(sandbox)
    }

    @Test(
        "fal: both storage upload protocols, submit, status until COMPLETED, the result and the public video",
        .enabled(if: SDKPython.path != nil, SDKPython.skipNote))
    func fal() throws {
        let (sandbox, image) = try prepared("fal")
        // fal-client's hosts are module constants: the script points them at the sandbox's origin.
        let result = try runProcess(
            SDKPython.path!, [Paths.root + "/Tests/python/fal_client_check.py", sandbox.origin, sandbox.key, image, sandbox.folder.file("out.mp4")],
            timeLimit: 120)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("ok "))
        try expectUpload(sandbox)
        // fal-client 1.0.3 sends its key on the signed upload PUT (soraimg does not): the
        // sandbox takes it, and says so.
        let upload = try #require((sandbox.report()["uploads"] as? [[String: Any]])?.first)
        #expect(upload["upload_authorization"] as? Bool == true)
    }

    @Test(
        "fal: a 429 on the submit is retried by fal-client itself, and the second submit makes the one job",
        .enabled(if: SDKPython.path != nil, SDKPython.skipNote))
    func falRateLimited() throws {
        let (sandbox, image) = try prepared("fal", ["--fault", "rate-limit-create:1"])
        let result = try runProcess(
            SDKPython.path!, [Paths.root + "/Tests/python/fal_client_check.py", sandbox.origin, sandbox.key, image, sandbox.folder.file("out.mp4")],
            timeLimit: 120)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        let report = try sandbox.report()
        #expect(report["creates"] as? Int == 2 && report["jobs"] as? Int == 1, "\(report)")
    }

    @Test(
        "replicate: a prediction with a data-URL start_image and one with a file the SDK uploads, polled, listed, cancelled, the output downloaded",
        .enabled(if: SDKPython.path != nil, SDKPython.skipNote))
    func replicate() throws {
        let (sandbox, image) = try prepared("replicate")
        // replicate appends its own /v1 to the base URL: give it the origin.
        let result = try runProcess(
            SDKPython.path!, [Paths.root + "/Tests/python/replicate_client_check.py", sandbox.origin, sandbox.key, image, sandbox.folder.file("out.mp4")],
            timeLimit: 120)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("ok "))
        let report = try sandbox.report()
        let uploads = report["uploads"] as? [[String: Any]] ?? []
        #expect(uploads.count == 3 && uploads.allSatisfy { $0["width"] as? Int == 1280 && $0["height"] as? Int == 720 }, "\(report)")
        // The inline image has no file name; the two the SDK uploaded through /v1/files do.
        #expect(uploads.first?["filename"] is NSNull && report["files"] as? Int == 2, "\(report)")
        #expect(report["creates"] as? Int == 3, "\(report)")
    }

    @Test(
        "openrouter: with its default 5xx retry turned off, a create answered 502 fails once and is not sent again",
        .enabled(if: SDKPython.path != nil, SDKPython.skipNote))
    func openRouterCreateNotRetried() throws {
        let (sandbox, image) = try prepared("openrouter", ["--fault", "html-error:1"])
        let result = try runProcess(
            SDKPython.path!,
            [Paths.root + "/Tests/python/openrouter_client_check.py", sandbox.baseURL, sandbox.key, image, sandbox.folder.file("out.mp4"), "--create-fails"],
            timeLimit: 120)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(result.stdoutText.hasPrefix("ok create refused 502"))
        let report = try sandbox.report()
        #expect(report["creates"] as? Int == 1 && report["jobs"] as? Int == 0, "\(report)")
    }
}
