import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// What soraimg sends to OpenRouter's video API, decoded back and checked field by field.
@Suite("OpenRouter requests")
struct OpenRouterRequestTests {
    static let key = "sk-or-test-\(UUID().uuidString.prefix(8))"
    static let base = "http://127.0.0.1:9/api/v1"

    static func dialect(models: [OpenRouterModel] = []) throws -> OpenRouterDialect {
        let configuration = try VideosConfiguration(provider: .openrouter, baseURL: base, apiKey: key)
        return OpenRouterDialect(configuration: configuration) { name in models.first { $0.id == name } }
    }

    /// The JSON body of a request, as a dictionary.
    static func body(_ request: HTTPRequest) throws -> [String: Any] {
        guard case .json(let bytes) = request.body else {
            Issue.record("not a JSON body")
            return [:]
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// The request a content answer names.
    static func request(_ content: JobContent?) throws -> HTTPRequest {
        guard case .request(let request) = content else { throw CocoaError(.featureUnsupported) }
        return request
    }

    static let photo: [UInt8] = Array(0...255).map(UInt8.init) + Array("not really a JPEG".utf8)

    @Test("a Veo create: model, prompt, integer duration, resolution and aspect ratio, the photo as the first frame")
    func veoCreate() throws {
        let video = CreateVideo(
            prompt: "waves roll in", model: "google/veo-3.1", seconds: "8", size: VideoSize(width: 1280, height: 720),
            reference: CreateVideo.Reference(bytes: Self.photo, format: .jpeg))
        let request = try Self.dialect().create(video)
        #expect(request.method == .post)
        #expect(request.url == Self.base + "/videos")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(Self.key)" && $0.isCredential })
        let body = try Self.body(request)
        #expect(Set(body.keys) == ["model", "prompt", "duration", "resolution", "aspect_ratio", "frame_images"])
        #expect(body["model"] as? String == "google/veo-3.1")
        #expect(body["prompt"] as? String == "waves roll in")
        #expect(body["duration"] as? Int == 8)
        // An integer on the wire, not "8".
        if case .json(let bytes) = request.body { #expect(String(decoding: bytes, as: UTF8.self).contains("\"duration\":8")) }
        #expect(body["resolution"] as? String == "720p")
        #expect(body["aspect_ratio"] as? String == "16:9")
        let frames = try #require(body["frame_images"] as? [[String: Any]])
        #expect(frames.count == 1)
        #expect(frames[0]["type"] as? String == "image_url")
        #expect(frames[0]["frame_type"] as? String == "first_frame")
        let url = try #require((frames[0]["image_url"] as? [String: Any])?["url"] as? String)
        let prefix = "data:image/jpeg;base64,"
        #expect(url.hasPrefix(prefix))
        #expect(Data(base64Encoded: String(url.dropFirst(prefix.count))).map(Array.init) == Self.photo)
    }

    @Test("Veo sizes as resolution and aspect ratio", arguments: [
        (1280, 720, "720p", "16:9"), (720, 1280, "720p", "9:16"), (1920, 1080, "1080p", "16:9"), (1080, 1920, "1080p", "9:16"),
    ])
    func veoSizes(width: Int, height: Int, resolution: String, ratio: String) throws {
        let video = CreateVideo(prompt: "p", model: "google/veo-3.1", seconds: "4", size: VideoSize(width: width, height: height))
        let body = try Self.body(try Self.dialect().create(video))
        #expect(body["resolution"] as? String == resolution)
        #expect(body["aspect_ratio"] as? String == ratio)
        #expect(body["size"] == nil)
        #expect(body["frame_images"] == nil, "a text-only job sends no frame")
    }

    @Test("a model whose supported_sizes list the size gets size: WxH; one that does not, resolution and aspect ratio")
    func sizeFromCapabilities() throws {
        let kling = OpenRouterModel(id: "kwaivgi/kling-v3.0-pro", supportedSizes: [VideoSize(width: 1920, height: 1080)], supportedFrameImages: ["first_frame"])
        let dialect = try Self.dialect(models: [kling])
        let listed = try Self.body(dialect.create(CreateVideo(prompt: "p", model: kling.id, seconds: "5", size: VideoSize(width: 1920, height: 1080))))
        #expect(listed["size"] as? String == "1920x1080")
        #expect(listed["resolution"] == nil && listed["aspect_ratio"] == nil)
        #expect(listed["duration"] as? Int == 5)
        let unlisted = try Self.body(dialect.create(CreateVideo(prompt: "p", model: kling.id, seconds: "5", size: VideoSize(width: 720, height: 1280))))
        #expect(unlisted["resolution"] as? String == "720p" && unlisted["aspect_ratio"] as? String == "9:16" && unlisted["size"] == nil)
        // A size with no resolution name (given with --size for a model soraimg has no table for).
        let odd = try Self.body(dialect.create(CreateVideo(prompt: "p", model: "x/y", seconds: "5", size: VideoSize(width: 1000, height: 700))))
        #expect(odd["size"] as? String == "1000x700")
    }

    @Test("a PNG reference travels as a PNG data URL")
    func pngReference() throws {
        let video = CreateVideo(
            prompt: "p", model: "google/veo-3.1", seconds: "8", size: VideoSize(width: 1280, height: 720),
            reference: CreateVideo.Reference(bytes: [1, 2, 3], format: .png))
        let frames = try #require(try Self.body(Self.dialect().create(video))["frame_images"] as? [[String: Any]])
        #expect((frames[0]["image_url"] as? [String: Any])?["url"] as? String == "data:image/png;base64,AQID")
    }

    @Test("polls, content and the absent list, delete and remix")
    func otherRequests() throws {
        let dialect = try Self.dialect()
        #expect(dialect.status(of: "job-abc").url == Self.base + "/videos/job-abc")
        let content = try Self.request(dialect.content(of: JobSnapshot(id: "job-abc", status: .completed, providerStatus: "completed"), variant: .video))
        #expect(content.url == Self.base + "/videos/job-abc/content?index=0")
        #expect(content.headers.contains { $0.name == "Authorization" && $0.isCredential })
        #expect(dialect.variants == [.video])
        #expect(dialect.list(limit: 10) == nil && dialect.delete("job-abc") == nil && dialect.remix("job-abc", prompt: "p") == nil)
        #expect(!dialect.rejectsFaces)
    }

    @Test("an id that is a path or holds escapes stays one segment of the URL", arguments: ["../../etc/passwd", "a/b?c#d", "..", "x\u{1B}[31m\r\nHost: evil"])
    func hostileIDs(id: String) throws {
        let dialect = try Self.dialect()
        let segment = ServiceURL.escaped(id)
        #expect(!segment.contains("/") && segment != ".." && segment.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "?" && $0 != "#" && $0.asciiValue! >= 0x21 }, "\(segment)")
        #expect(dialect.status(of: id).url == Self.base + "/videos/" + segment)
        #expect(try Self.request(dialect.content(of: JobSnapshot(id: id, status: nil, providerStatus: "x"), variant: .video)).url == Self.base + "/videos/" + segment + "/content?index=0")
    }
}
