import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// The xAI client against the hand-written REST shapes: the create it builds has the shape of
/// `create-request.json`, and it reads every answer fixture as the spec means it (pure).
@Suite("xAI client against the REST fixtures (pure)")
struct XAIClientFixtureTests {
    private let image: [UInt8] = (0..<1000).map { UInt8($0 % 256) }

    private func video(seconds: String = "8", size: VideoSize = VideoSize(width: 1280, height: 720)) -> CreateVideo {
        CreateVideo(
            prompt: "waves roll in", model: "grok-imagine-video", seconds: seconds, size: size,
            reference: .init(bytes: image, format: .jpeg, encoding: .dataURL))
    }

    private func body(_ request: HTTPRequest) throws -> [UInt8] {
        guard case .json(let bytes) = request.body else {
            Issue.record("the create is not JSON")
            return []
        }
        return bytes
    }

    @Test("the create: POST {base}/videos/generations with the key, in the fixture's exact shape, the image a data URL, duration an integer")
    func create() throws {
        let request = try XAIFixtures.dialect().create(video())
        #expect(request.method == .post && request.url == XAIFixtures.base + "/videos/generations")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(XAIFixtures.key)" && $0.isCredential })
        let bytes = try body(request)
        let mismatches = try JSONShape(bytes).mismatches(against: try XAIFixtures.shape("create-request"), exactly: true)
        #expect(mismatches.isEmpty, "\(mismatches)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(json["model"] as? String == "grok-imagine-video" && json["prompt"] as? String == "waves roll in")
        #expect(json["duration"] as? Int == 8 && json["resolution"] as? String == "720p")
        let url = try #require((json["image"] as? [String: Any])?["url"] as? String)
        #expect(url.hasPrefix("data:image/jpeg;base64,"))
        #expect(Data(base64Encoded: String(url.dropFirst("data:image/jpeg;base64,".count))).map(Array.init) == image)
    }

    @Test("resolution follows the size's shorter side: 480p, 720p, 1080p", arguments: [
        (VideoSize(width: 854, height: 480), "480p"), (VideoSize(width: 300, height: 750), "480p"), (VideoSize(width: 720, height: 1280), "720p"),
        (VideoSize(width: 1000, height: 1000), "1080p"), (VideoSize(width: 1920, height: 1080), "1080p"),
    ])
    func resolution(size: VideoSize, expected: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(try body(try XAIFixtures.dialect().create(video(size: size))))) as? [String: Any]
        #expect(json?["resolution"] as? String == expected)
    }

    @Test("the create's answer: its request_id is the job, pending (shown in progress)")
    func created() throws {
        let job = try XAIFixtures.dialect().created(from: try XAIFixtures.answer("create-answer", url: XAIFixtures.base + "/videos/generations"))
        #expect(job.id == "d97415a1-5796-b7ec-379f-4e6819e08fdf" && job.status == .inProgress && job.providerStatus == "pending")
        #expect(JobFileName.stem(forID: job.id) == job.id)
    }

    @Test("the poll is GET {base}/videos/{request_id} with the key; an id that is a path stays one segment")
    func poll() throws {
        let dialect = try XAIFixtures.dialect()
        let request = dialect.status(of: "d97415a1")
        #expect(request.method == .get && request.url == XAIFixtures.base + "/videos/d97415a1")
        #expect(request.headers.contains { $0.name == "Authorization" })
        #expect(dialect.status(of: "../../files/x?y").url == XAIFixtures.base + "/videos/..%2F..%2Ffiles%2Fx%3Fy")
    }

    @Test("202 is pending with its body or without one")
    func pending() throws {
        let dialect = try XAIFixtures.dialect()
        let withBody = try dialect.job(from: try XAIFixtures.answer("status-pending", status: 202), id: "r1")
        #expect(withBody.status == .inProgress && withBody.providerStatus == "pending" && withBody.progress == 42 && !withBody.isFinished)
        let bare = try dialect.job(from: HTTPResponse(status: 202, headers: [:], body: [], url: XAIFixtures.base + "/videos/r1"), id: "r1")
        #expect(bare.status == .inProgress && bare.progress == nil)
    }

    @Test("done: completed, the video at its link, fetched without the key from another origin and with it from the base URL's")
    func done() throws {
        let dialect = try XAIFixtures.dialect()
        let job = try dialect.job(from: try XAIFixtures.answer("status-done"), id: "r1")
        let link = "https://vidgen.x.ai/xai-vidgen-bucket/xai-video-d97415a1-5796-b7ec-379f-4e6819e08fdf.mp4"
        #expect(job.status == .completed && job.hasVideo && job.videoSource == .url(link) && job.progress == 100)
        guard case .request(let request)? = try dialect.content(of: job, variant: .video) else {
            Issue.record("no request for the video")
            return
        }
        #expect(request.url == link && request.headers.isEmpty)
        var here = job
        here.videoSource = .url(XAIFixtures.base + "/files/v.mp4")
        guard case .request(let keyed)? = try dialect.content(of: here, variant: .video) else {
            Issue.record("no request for the video")
            return
        }
        #expect(keyed.headers.contains { $0.name == "Authorization" })
        #expect(throws: VideosError.self) { try dialect.content(of: job, variant: .thumbnail) }
        // An http link under an https base, and one with credentials, are not fetched.
        here.videoSource = .url("http://vidgen.x.ai/v.mp4")
        #expect(throws: VideosError.self) { try dialect.content(of: here, variant: .video) }
        here.videoSource = .url("https://user:pass@vidgen.x.ai/v.mp4")
        #expect(throws: VideosError.self) { try dialect.content(of: here, variant: .video) }
    }

    @Test("done with respect_moderation false and an empty url: failed as moderated, exit 1")
    func moderated() throws {
        let dialect = try XAIFixtures.dialect()
        let job = try dialect.job(from: try XAIFixtures.answer("status-done-moderated"), id: "r1")
        #expect(job.status == .failed && !job.hasVideo && job.failure?.code == "moderated")
        let error = dialect.failure(of: job)
        #expect(error.kind == .jobFailed && error.exitStatus.rawValue == 1 && error.hint?.contains("moderation") == true)
    }

    @Test("failed: the spec's error code and message, exit 1")
    func failed() throws {
        let dialect = try XAIFixtures.dialect()
        let job = try dialect.job(from: try XAIFixtures.answer("status-failed"), id: "r1")
        #expect(job.status == .failed && job.failure?.code == "failed_precondition" && job.failure?.message == "Video generation failed.")
        let error = dialect.failure(of: job)
        #expect(error.kind == .jobFailed && error.code == "failed_precondition" && error.message.contains("Video generation failed."))
    }

    @Test("expired: the expired status, reported as expired (66)")
    func expired() throws {
        let dialect = try XAIFixtures.dialect()
        let job = try dialect.job(from: try XAIFixtures.answer("status-expired"), id: "r1")
        #expect(job.status == .expired && job.isFinished && !job.hasVideo)
        #expect(dialect.failure(of: job).kind == .expired)
    }

    @Test("an unknown status is kept verbatim and treated as running; a 200 without status is not xAI's")
    func unknownStatus() throws {
        let dialect = try XAIFixtures.dialect()
        let odd = HTTPResponse(status: 200, headers: [:], body: Array(#"{"status": "thinking\u001b[2J"}"#.utf8), url: XAIFixtures.base + "/videos/r1")
        let job = try dialect.job(from: odd, id: "r1")
        #expect(job.status == nil && !job.providerStatus.contains("\u{1B}"))
        let bare = HTTPResponse(status: 200, headers: [:], body: Array("{}".utf8), url: XAIFixtures.base + "/videos/r1")
        #expect(throws: VideosError.self) { try dialect.job(from: bare, id: "r1") }
        let empty = HTTPResponse(status: 200, headers: [:], body: Array(#"{"request_id": ""}"#.utf8), url: XAIFixtures.base + "/videos/generations")
        #expect(throws: VideosError.self) { try dialect.created(from: empty) }
    }

    @Test("both error bodies the TS SDK reads are the service's; a refused key (400) is an auth error naming XAI_API_KEY", arguments: ["error-flat", "error-nested"])
    func errorBodies(fixture: String) throws {
        let dialect = try XAIFixtures.dialect()
        let answer = try XAIFixtures.answer(fixture, status: 400, url: XAIFixtures.base + "/videos/generations")
        #expect(dialect.isServiceError(answer))
        let error = dialect.error(for: answer, collection: true, id: nil)
        #expect(error.kind == .auth && error.message == "Incorrect API key provided." && error.code == "invalid_argument")
        #expect(error.hint?.contains("XAI_API_KEY") == true && error.hint?.contains("console.x.ai") == true)
    }

    @Test("statuses map to the shared kinds: 404 on a job, 404 on the collection, 429, 529, and a link gone")
    func statuses() throws {
        let dialect = try XAIFixtures.dialect()
        let body = try XAIFixtures.data("error-flat")
        func error(_ status: Int, url: String, collection: Bool = false, id: String? = "r1") -> VideosError {
            dialect.error(for: HTTPResponse(status: status, headers: [:], body: body, url: url), collection: collection, id: id)
        }
        #expect(error(404, url: XAIFixtures.base + "/videos/r1").kind == .notFound)
        #expect(error(404, url: XAIFixtures.base + "/videos/generations", collection: true, id: nil).kind == .endpointGone)
        #expect(error(429, url: XAIFixtures.base + "/videos/generations", collection: true, id: nil).kind == .rateLimited)
        #expect(error(529, url: XAIFixtures.base + "/videos/r1").kind == .unavailable)
        #expect(error(403, url: "https://vidgen.x.ai/xai-vidgen-bucket/v.mp4").kind == .expired)
        #expect(error(404, url: "https://vidgen.x.ai/xai-vidgen-bucket/v.mp4").kind == .expired)
        // A base URL with a query keeps it on every request: a job's 404 is still "no such job".
        let gateway = try XAIFixtures.dialect(base: "https://gw.example/xai/v1?api-version=1")
        let missing = gateway.error(
            for: HTTPResponse(status: 404, headers: [:], body: body, url: "https://gw.example/xai/v1/videos/r1?api-version=1"), collection: false, id: "r1")
        #expect(missing.kind == .notFound)
        #expect(gateway.status(of: "r1").url == "https://gw.example/xai/v1/videos/r1?api-version=1")
    }

    @Test("refused before sending: a duration outside 1 to 15, and a size outside 300 px a side or 2:5 to 5:2, for any model")
    func checks() throws {
        let refused: [(String, VideoSize)] = [
            ("0", VideoSize(width: 1280, height: 720)), ("16", VideoSize(width: 1280, height: 720)), ("8.5", VideoSize(width: 1280, height: 720)),
            ("8", VideoSize(width: 1600, height: 600)), ("8", VideoSize(width: 299, height: 700)), ("8", VideoSize(width: 400, height: 1100)),
        ]
        for (seconds, size) in refused {
            #expect(throws: VideosError.self, "\(seconds) s at \(size)") { try Provider.xai.check(video(seconds: seconds, size: size)) }
        }
        for (seconds, size) in [("1", VideoSize(width: 1500, height: 600)), ("15", VideoSize(width: 600, height: 1500)), ("8", VideoSize(width: 300, height: 300))] {
            try Provider.xai.check(video(seconds: seconds, size: size))
        }
        let model = VideoModel(named: "grok-imagine-video", provider: .xai)
        #expect(model.allows(VideoSize(width: 1000, height: 1000)) && !model.allows(VideoSize(width: 1000, height: 300)))
        #expect(model.defaultSeconds == "8" && model.seconds == (1...15).map(String.init))
        #expect(model.pricePerSecond(at: VideoSize(width: 1280, height: 720)) == nil)
    }

    @Test("no job list, delete or remix")
    func absent() throws {
        let dialect = try XAIFixtures.dialect()
        #expect(dialect.list(limit: 10) == nil && dialect.delete("r1") == nil && dialect.remix("r1", prompt: "x") == nil)
        #expect(dialect.variants == [.video])
    }
}
