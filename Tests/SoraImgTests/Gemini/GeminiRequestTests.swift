import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// What the Gemini dialect sends, decoded and checked field by field (pure: no network).
@Suite("Gemini requests (pure)")
struct GeminiRequestTests {
    static let base = "https://generativelanguage.googleapis.com/v1beta"
    static let key = "AIza-test-key-0123456789"

    static func dialect(base: String = base) throws -> GeminiDialect {
        GeminiDialect(configuration: try VideosConfiguration(provider: .gemini, baseURL: base, apiKey: key))
    }

    /// Bytes that stand for an image: every byte value, so base64 must carry them all.
    static let image: [UInt8] = (0..<1000).map { UInt8($0 % 256) }

    private func body(of request: HTTPRequest) throws -> (text: String, json: [String: Any]) {
        guard case .json(let bytes) = request.body else {
            Issue.record("the body is not JSON")
            return ("", [:])
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        return (String(decoding: bytes, as: UTF8.self), json)
    }

    @Test("an image-to-video create: the path, the key header and every field of the body")
    func imageCreate() throws {
        let video = CreateVideo(
            prompt: "waves roll in", model: "veo-3.1-generate-preview", seconds: "8", size: VideoSize(width: 1280, height: 720),
            reference: CreateVideo.Reference(bytes: Self.image, format: .jpeg))
        let request = try Self.dialect().create(video)
        #expect(request.method == .post)
        #expect(request.url == Self.base + "/models/veo-3.1-generate-preview:predictLongRunning")
        #expect(request.headers.map(\.name) == ["x-goog-api-key"])
        #expect(request.headers.first?.value == Self.key && request.headers.first?.isCredential == true)

        let (text, json) = try body(of: request)
        #expect(Set(json.keys) == ["instances", "parameters"])
        let instances = try #require(json["instances"] as? [[String: Any]])
        #expect(instances.count == 1)
        #expect(Set(instances[0].keys) == ["prompt", "image"])
        #expect(instances[0]["prompt"] as? String == "waves roll in")
        let image = try #require(instances[0]["image"] as? [String: Any])
        #expect(Set(image.keys) == ["bytesBase64Encoded", "mimeType"])
        #expect(image["mimeType"] as? String == "image/jpeg")
        let encoded = try #require(image["bytesBase64Encoded"] as? String)
        #expect(!encoded.hasPrefix("data:"))
        #expect(Data(base64Encoded: encoded).map(Array.init) == Self.image)

        let parameters = try #require(json["parameters"] as? [String: Any])
        #expect(Set(parameters.keys) == ["aspectRatio", "resolution", "durationSeconds"])
        #expect(parameters["aspectRatio"] as? String == "16:9")
        #expect(parameters["resolution"] as? String == "720p")
        // An integer on the wire, not the OpenAI protocol's string.
        #expect(parameters["durationSeconds"] is NSNumber && parameters["durationSeconds"] as? Int == 8)
        #expect(!text.contains("\"durationSeconds\":\"8\""))

        #expect(!text.contains("inlineData") && !text.contains("personGeneration"))
    }

    @Test("orientation and resolution follow the size", arguments: [
        (1280, 720, "16:9", "720p"), (720, 1280, "9:16", "720p"), (1920, 1080, "16:9", "1080p"), (1080, 1920, "9:16", "1080p"),
    ])
    func parameters(width: Int, height: Int, aspect: String, resolution: String) throws {
        let video = CreateVideo(prompt: "p", model: "veo-3.1-generate-preview", seconds: "4", size: VideoSize(width: width, height: height))
        let parameters = try #require(try body(of: Self.dialect().create(video)).json["parameters"] as? [String: Any])
        #expect(parameters["aspectRatio"] as? String == aspect)
        #expect(parameters["resolution"] as? String == resolution)
        #expect(parameters["durationSeconds"] as? Int == 4)
    }

    @Test("a text-only create has a prompt and no image; a PNG says image/png")
    func textOnlyAndPNG() throws {
        let text = CreateVideo(prompt: "a quiet sea", model: "veo-3.1-generate-preview", seconds: "6", size: VideoSize(width: 1280, height: 720))
        let instances = try #require(try body(of: Self.dialect().create(text)).json["instances"] as? [[String: Any]])
        #expect(Set(instances[0].keys) == ["prompt"])

        var png = text
        png.reference = CreateVideo.Reference(bytes: Self.image, format: .png)
        let withImage = try #require(try body(of: Self.dialect().create(png)).json["instances"] as? [[String: Any]])
        #expect((withImage[0]["image"] as? [String: Any])?["mimeType"] as? String == "image/png")
    }

    @Test("a model name cannot add path segments or a query", arguments: ["../../files/x", "veo?key=1", "a/b", "..", "veo#x", "veo 3"])
    func hostileModel(name: String) throws {
        let video = CreateVideo(prompt: "p", model: name, seconds: "8", size: VideoSize(width: 1280, height: 720))
        let url = try Self.dialect().create(video).url
        let prefix = Self.base + "/models/"
        let suffix = ":predictLongRunning"
        #expect(url.hasPrefix(prefix) && url.hasSuffix(suffix), "\(url)")
        let segment = url.dropFirst(prefix.count).dropLast(suffix.count)
        #expect(!segment.contains("/") && !segment.contains("?") && !segment.contains("#") && !segment.contains(" ") && segment != ".." , "\(url)")
    }

    @Test("the base URL's query string is kept on the create")
    func baseQuery() throws {
        let dialect = try Self.dialect(base: "https://gateway.example/v1beta?tenant=a")
        let video = CreateVideo(prompt: "p", model: "veo-3.1-generate-preview", seconds: "8", size: VideoSize(width: 1280, height: 720))
        #expect(dialect.create(video).url == "https://gateway.example/v1beta/models/veo-3.1-generate-preview:predictLongRunning?tenant=a")
    }

    @Test("sizes Veo cannot be asked for and fractional durations are refused before sending")
    func refusedBeforeSending() throws {
        for size in [VideoSize(width: 1024, height: 1024), VideoSize(width: 1792, height: 1024), VideoSize(width: 3840, height: 2160)] {
            let video = CreateVideo(prompt: "p", model: "veo-x", seconds: "8", size: size)
            #expect(throws: VideosError.self) { try Provider.gemini.check(video) }
        }
        let fraction = CreateVideo(prompt: "p", model: "veo-x", seconds: "4.5", size: VideoSize(width: 1280, height: 720))
        #expect(throws: VideosError.self) { try Provider.gemini.check(fraction) }
        let fine = CreateVideo(prompt: "p", model: "veo-x", seconds: "8", size: VideoSize(width: 1080, height: 1920))
        try Provider.gemini.check(fine)
        // Other providers are not held to Veo's shapes.
        try Provider.openai.check(CreateVideo(prompt: "p", model: "sora-2", seconds: "4", size: VideoSize(width: 1792, height: 1024)))
    }

    @Test("1080p Veo only at 8 seconds; 720p at 4, 6 and 8", arguments: ["veo-3.1-generate-preview", "veo-3.1-fast-generate-preview"])
    func fullHDNeedsEight(model name: String) throws {
        let model = VideoModel(named: name, provider: .gemini)
        #expect(model.isKnown && model.defaultSeconds == "8")
        for seconds in ["4", "6"] {
            for size in [VideoSize(width: 1920, height: 1080), VideoSize(width: 1080, height: 1920)] {
                #expect(throws: PrepError.self) { try model.check(seconds: seconds, at: size) }
                let job = AnimateJob(prompt: "p", model: model, seconds: seconds, size: .exact(size), image: nil, output: nil)
                let error = try #require(throws: VideosError.self) { try job.validate() }
                #expect(error.kind == .usage && error.message.contains("--seconds 8"), "\(error)")
            }
            try model.check(seconds: seconds, at: VideoSize(width: 1280, height: 720))
            try model.check(seconds: seconds, at: VideoSize(width: 720, height: 1280))
        }
        try model.check(seconds: "8", at: VideoSize(width: 1920, height: 1080))
        #expect(model.pricePerSecond(at: VideoSize(width: 1280, height: 720)) == nil)
    }
}
