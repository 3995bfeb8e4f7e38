import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// OpenRouter's model list: read leniently, turned into tables, cached per base URL.
@Suite("OpenRouter models")
struct OpenRouterModelTests {
    /// Shaped as the spec's `VideoModelsListResponse`, every key present as the SDK wants.
    static let listing = #"""
        {"data": [
          {"id": "google/veo-3.1", "canonical_slug": "google/veo-3.1", "name": "Veo 3.1", "created": 1700000000, "description": null,
           "hugging_face_id": null, "supported_resolutions": ["720p", "1080p"], "supported_aspect_ratios": ["16:9", "9:16", "1:1"],
           "supported_sizes": ["1280x720", "1920x1080"], "supported_durations": [4, 6, 8], "supported_frame_images": ["first_frame", "last_frame"],
           "generate_audio": true, "seed": null, "pricing_skus": {"per-video-second": "0.50", "per-video-second-1080p": "0.75"},
           "allowed_passthrough_parameters": []},
          {"id": "google/veo-3.1-lite", "canonical_slug": "google/veo-3.1-lite", "name": "Veo 3.1 Lite", "created": 1700000000,
           "supported_resolutions": ["720p", "1080p"], "supported_aspect_ratios": ["16:9", "9:16"], "supported_sizes": null,
           "supported_durations": [8, 4, 6], "supported_frame_images": ["first_frame", "last_frame"], "generate_audio": true, "seed": null,
           "pricing_skus": {"per-video-second": "0.20"}, "allowed_passthrough_parameters": ["personGeneration"]},
          {"id": "acme/text-only", "canonical_slug": "acme/text-only", "name": "Text only", "created": 1700000000,
           "supported_resolutions": ["480p", "720p"], "supported_aspect_ratios": null, "supported_sizes": ["854x480", "1280x720", "720x1280", "720x720", "bogus"],
           "supported_durations": [5, 1.5, -1, 1e300, "x", 10], "supported_frame_images": null, "generate_audio": null, "seed": null,
           "pricing_skus": {"generate": "0.40", "per-video-second": "NaN"}, "allowed_passthrough_parameters": []},
          {"canonical_slug": "no-id"},
          {"id": "evil/\u001b[31mred", "supported_sizes": ["1280x720"]}
        ]}
        """#

    static func catalogue(baseURL: String = "http://127.0.0.1:9/api/v1") throws -> OpenRouterCatalogue {
        try OpenRouterCatalogue.parse(Array(listing.utf8), baseURL: baseURL)
    }

    @Test("each model's sizes, durations, frames and prices; broken members and models left out")
    func parsing() throws {
        let catalogue = try Self.catalogue()
        #expect(catalogue.models.map(\.id) == ["google/veo-3.1", "google/veo-3.1-lite", "acme/text-only"])
        let veo = try #require(catalogue.model(named: "google/veo-3.1"))
        #expect(veo.sizes.sizes == [VideoSize(width: 1280, height: 720), VideoSize(width: 1920, height: 1080)] && !veo.sizes.assumed)
        #expect(veo.supportedDurations == [4, 6, 8] && veo.acceptsFirstFrame)
        #expect(veo.pricePerSecond(at: VideoSize(width: 1280, height: 720)) == 0.50)
        #expect(veo.pricePerSecond(at: VideoSize(width: 1920, height: 1080)) == 0.75)

        let lite = try #require(catalogue.model(named: "google/veo-3.1-lite"))
        #expect(lite.sizes.assumed)
        #expect(lite.sizes.sizes.map(\.description) == ["1280x720", "720x1280", "1920x1080", "1080x1920"])
        let table = lite.videoModel
        #expect(table.provider == .openrouter && table.seconds == ["8", "4", "6"] && table.defaultSeconds == "8")
        #expect(table.pricePerSecond(at: VideoSize(width: 1080, height: 1920)) == 0.20)

        let text = try #require(catalogue.model(named: "acme/text-only"))
        #expect(text.supportedSizes.map(\.description) == ["854x480", "1280x720", "720x1280", "720x720"])
        #expect(text.supportedDurations == [5, 10])
        #expect(!text.acceptsFirstFrame)
        #expect(text.pricePerSecond(at: VideoSize(width: 1280, height: 720)) == nil, "a SKU in an unknown unit is no price")
    }

    @Test("--size auto picks the 720p size in the photo's orientation, not 480p or a square")
    func autoSize() throws {
        let model = try #require(try Self.catalogue().model(named: "acme/text-only")).videoModel
        #expect(try SizeRequest.auto.target(for: model, upright: VideoSize(width: 4000, height: 3000)) == VideoSize(width: 1280, height: 720))
        #expect(try SizeRequest.auto.target(for: model, upright: VideoSize(width: 3000, height: 4000)) == VideoSize(width: 720, height: 1280))
        #expect(try SizeRequest.auto.target(for: model, upright: VideoSize(width: 3000, height: 3000)) == VideoSize(width: 720, height: 720))
        // A model with only square sizes makes any photo square.
        let square = OpenRouterModel(id: "x/square", supportedSizes: [VideoSize(width: 720, height: 720), VideoSize(width: 1080, height: 1080)]).videoModel
        #expect(try SizeRequest.auto.target(for: square, upright: VideoSize(width: 3000, height: 4000)) == VideoSize(width: 720, height: 720))
        #expect(try SizeRequest.max.target(for: square, upright: VideoSize(width: 4000, height: 3000)) == VideoSize(width: 1080, height: 1080))
        // OpenAI's tables are unchanged by it.
        #expect(try SizeRequest.auto.target(for: VideoModel(named: "sora-2-pro"), upright: VideoSize(width: 4000, height: 3000)) == VideoSize(width: 1280, height: 720))
    }

    @Test("a model the list names is sized from it; a built-in row keeps its table")
    func choice() throws {
        let catalogue = try Self.catalogue()
        let lite = catalogue.videoModel(for: VideoModel(named: "google/veo-3.1-lite", provider: .openrouter))
        #expect(lite.isKnown && lite.sizes.count == 4)
        let veo = catalogue.videoModel(for: VideoModel(named: "google/veo-3.1", provider: .openrouter))
        #expect(veo == VideoModel(named: "google/veo-3.1", provider: .openrouter))
        let unknown = catalogue.videoModel(for: VideoModel(named: "nobody/knows", provider: .openrouter))
        #expect(!unknown.isKnown)
        #expect(catalogue.facts.map(\.model.name) == ["google/veo-3.1", "google/veo-3.1-lite", "acme/text-only"])
        #expect(catalogue.facts.first { $0.model.name == "google/veo-3.1-lite" }?.assumed == true)
        #expect(catalogue.facts.first { $0.model.name == "acme/text-only" }?.firstFrame == false)
    }

    @Test("a photo for a model that takes no first frame is refused before anything is sent; durations must be whole and listed")
    func checks() throws {
        let catalogue = try Self.catalogue()
        let model = catalogue.videoModel(for: VideoModel(named: "acme/text-only", provider: .openrouter))
        var job = AnimateJob(prompt: "p", model: model, seconds: "5", size: .auto, image: "photo.jpg", output: nil)
        let refusal = try #require(throws: VideosError.self) { try OpenRouterCatalogue.check(job, catalogue: catalogue) }
        #expect(refusal.kind == .usage && refusal.exitStatus.rawValue == 64)
        #expect(refusal.message.contains("acme/text-only") && refusal.message.contains("no frame images"))
        #expect(refusal.hint?.contains("google/veo-3.1") == true)
        job.image = nil
        try OpenRouterCatalogue.check(job, catalogue: catalogue)
        job.seconds = "7"
        #expect(throws: VideosError.self) { try OpenRouterCatalogue.check(job, catalogue: catalogue) }
        job.seconds = "5.5"
        #expect(throws: VideosError.self) { try OpenRouterCatalogue.check(job, catalogue: catalogue) }
    }

    @Test("the cache: one file per base URL, written whole, read back, fresh for a day")
    func cache() throws {
        let folder = Paths.temporaryFolder()
        let environment = ["XDG_CACHE_HOME": folder.path, "HOME": folder.path]
        let catalogue = try Self.catalogue(baseURL: "http://127.0.0.1:9/api/v1")
        #expect(catalogue.save(environment: environment) == nil)
        let path = OpenRouterCatalogue.cachePath(for: catalogue.baseURL, environment: environment)
        #expect(path.hasPrefix(folder.path + "/soraimg/openrouter-models-") && path.hasSuffix(".json"))
        let read = try #require(OpenRouterCatalogue.cached(for: catalogue.baseURL, environment: environment))
        #expect(read.models == catalogue.models)
        #expect(abs(read.fetchedAt.timeIntervalSince(catalogue.fetchedAt)) < 1)
        #expect(OpenRouterCatalogue.cached(for: "http://127.0.0.1:10/api/v1", environment: environment) == nil)
        #expect(read.isFresh() && !read.isFresh(now: Date().addingTimeInterval(25 * 3600)) && !read.isFresh(now: Date().addingTimeInterval(-3600)))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        // A cache file that is not one is no cache, never an error.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        #expect(OpenRouterCatalogue.cached(for: catalogue.baseURL, environment: environment) == nil)
        #expect(OpenRouterCatalogue.cachePath(for: "u", environment: ["HOME": "/home/ana"]) .hasPrefix("/home/ana/.cache/soraimg/"))
    }

    @Test("an answer that is not a model list is an error naming the URL")
    func notAList() throws {
        #expect(throws: VideosError.self) { try OpenRouterCatalogue.parse(Array("<html></html>".utf8), baseURL: "b") }
        #expect(throws: VideosError.self) { try OpenRouterCatalogue.parse(Array(#"{"models": []}"#.utf8), baseURL: "b") }
    }
}
