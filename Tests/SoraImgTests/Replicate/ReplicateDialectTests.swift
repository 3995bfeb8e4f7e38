import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// How the Replicate dialect builds its requests and reads predictions (pure).
@Suite("Replicate dialect (pure)")
struct ReplicateDialectTests {
    static let base = "https://api.replicate.com/v1"
    static let key = "r8_test_key_0123456789"

    private func dialect(base: String = base) throws -> ReplicateDialect {
        ReplicateDialect(configuration: try VideosConfiguration(provider: .replicate, baseURL: base, apiKey: Self.key))
    }

    private func answer(_ json: String, url: String = base + "/predictions/abc123") -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Array(json.utf8), url: url)
    }

    private func hasKey(_ request: HTTPRequest) -> Bool {
        request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(Self.key)" }
    }

    private func video(bytes: Int) -> CreateVideo {
        CreateVideo(
            prompt: "waves", model: "kwaivgi/kling-v2.5-turbo-pro", seconds: "5", size: VideoSize(width: 1280, height: 720),
            reference: CreateVideo.Reference(bytes: [UInt8](repeating: 7, count: bytes), format: .jpeg))
    }

    @Test("a small image goes inline as a data URL in input.start_image, with the duration as an integer and no upload")
    func inline() throws {
        let dialect = try dialect()
        let video = video(bytes: ReplicateDialect.inlineLimit)
        #expect(dialect.uploadStart(video.reference!) == nil)
        let request = dialect.create(video)
        #expect(request.method == .post && request.url == Self.base + "/models/kwaivgi/kling-v2.5-turbo-pro/predictions" && hasKey(request))
        guard case .json(let body) = request.body else { Issue.record("not JSON"); return }
        let input = try #require((try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["input"] as? [String: Any])
        #expect(input["prompt"] as? String == "waves" && input["duration"] as? Int == 5)
        #expect((input["start_image"] as? String)?.hasPrefix("data:image/jpeg;base64,") == true)
        #expect(input["aspect_ratio"] == nil)
    }

    @Test("a larger image is uploaded first (POST /files, the bytes in content) and its URL is the start_image")
    func uploaded() throws {
        let dialect = try dialect()
        let video = video(bytes: ReplicateDialect.inlineLimit + 1)
        let upload = try #require(dialect.uploadStart(video.reference!))
        #expect(upload.method == .post && upload.url == Self.base + "/files" && hasKey(upload))
        guard case .multipart(let parts) = upload.body else { Issue.record("not multipart"); return }
        #expect(parts.count == 1 && parts[0].name == "content" && parts[0].filename == "reference.jpg" && parts[0].contentType == "image/jpeg")
        let file = answer(#"{"id": "f1", "urls": {"get": "https://api.replicate.com/v1/files/f1"}}"#, url: Self.base + "/files")
        let (second, url) = try dialect.upload(video.reference!, after: file)
        #expect(second == nil, "the start carried the bytes: no second request")
        var named = video
        named.reference?.url = url
        let create = dialect.create(named)
        guard case .json(let body) = create.body else { Issue.record("not JSON"); return }
        #expect(String(decoding: body, as: UTF8.self).contains(#""start_image":"https://api.replicate.com/v1/files/f1""#))
        // An upload answer naming no http(s) URL is refused, never sent on.
        #expect(throws: VideosError.self) { try dialect.upload(video.reference!, after: answer(#"{"id": "f1", "urls": {"get": "file:///etc/passwd"}}"#)) }
    }

    @Test("statuses: starting, processing, succeeded, failed, canceled, aborted map to the common set; others stay running")
    func statuses() throws {
        let dialect = try dialect()
        let expected: [(String, JobStatus?)] = [
            ("starting", .queued), ("processing", .inProgress), ("succeeded", .completed), ("failed", .failed), ("canceled", .cancelled),
            ("aborted", .expired), ("pondering", nil),
        ]
        for (word, status) in expected {
            let output = word == "succeeded" ? #""https://replicate.delivery/xezq/abc/out.mp4""# : "null"
            let job = try dialect.job(from: answer(#"{"id": "abc123", "status": "\#(word)", "output": \#(output)}"#), id: "abc123")
            #expect(job.status == status && job.providerStatus == word, "\(word)")
        }
        let aborted = try dialect.job(from: answer(#"{"id": "abc123", "status": "aborted"}"#), id: "abc123")
        #expect(dialect.failure(of: aborted).message.contains("deadline"))
    }

    @Test("the key goes with an output only over https on replicate.delivery or under it")
    func outputKey() throws {
        let dialect = try dialect()
        let keyed = ["https://replicate.delivery/xezq/abc/out.mp4", "https://pbxt.replicate.delivery/abc/out.mp4"]
        let bare = [
            "https://replicate.delivery.example.com/out.mp4", "https://evilreplicate.delivery/out.mp4", "https://cdn.example.com/out.mp4",
            // Replicate serves no outputs at its API host: a URL there is someone else's answer.
            "https://api.replicate.com/v1/out.mp4",
        ]
        for url in keyed + bare {
            var job = JobSnapshot(id: "abc123", status: .completed, providerStatus: "succeeded")
            job.videoSource = .url(url)
            guard case .request(let request)? = try dialect.content(of: job, variant: .video) else { Issue.record("no request for \(url)"); continue }
            #expect(request.url == url && hasKey(request) == keyed.contains(url), "\(url)")
        }
        for url in ["http://replicate.delivery/out.mp4", "https://user:pw@replicate.delivery/out.mp4", "ftp://replicate.delivery/out.mp4"] {
            var job = JobSnapshot(id: "abc123", status: .completed, providerStatus: "succeeded")
            job.videoSource = .url(url)
            #expect(throws: VideosError.self, "\(url)") { try dialect.content(of: job, variant: .video) }
        }
    }

    @Test("polls and cancels by id at the base URL, never at a urls.get or urls.cancel a server wrote")
    func pollAndCancel() throws {
        let dialect = try dialect()
        #expect(dialect.status(of: "abc123").url == Self.base + "/predictions/abc123")
        let request = try dialect.cancel(JobSnapshot(id: "abc123", status: nil, providerStatus: "unknown"))
        let cancel = try #require(request)
        #expect(cancel.method == .post && cancel.url == Self.base + "/predictions/abc123/cancel" && hasKey(cancel))
        let job = try dialect.job(
            from: answer(#"{"id": "abc123", "status": "processing", "urls": {"get": "https://elsewhere.example/p", "cancel": "https://elsewhere.example/c"}}"#),
            id: "abc123")
        #expect(dialect.status(of: job.id).url == Self.base + "/predictions/abc123")
        // An id a person typed with a path in it stays one segment.
        #expect(dialect.status(of: "../files").url == Self.base + "/predictions/..%2Ffiles")
    }

    @Test("a prediction id with a path or control characters, or another prediction than asked, is refused")
    func hostileIDs() throws {
        let dialect = try dialect()
        #expect(throws: VideosError.self) { try dialect.created(from: answer(#"{"id": "../../x/y", "status": "starting"}"#)) }
        #expect(throws: VideosError.self) { try dialect.created(from: answer(#"{"id": "\u001b[31mabc\u0007", "status": "starting"}"#)) }
        #expect(throws: VideosError.self) { try dialect.job(from: answer(#"{"id": "other1", "status": "starting"}"#), id: "abc123") }
    }

    @Test("the list reads model, prompt, duration and created time, for finding an unanswered create")
    func list() throws {
        let dialect = try dialect()
        let page = answer(
            #"{"next": null, "previous": null, "results": [{"id": "abc123", "model": "kwaivgi/kling-v2.5-turbo-pro", "version": "hidden", "status": "starting", "input": {"prompt": "waves", "duration": 5}, "created_at": "2026-12-06T12:00:01.123456Z"}]}"#,
            url: Self.base + "/predictions")
        let jobs = try dialect.jobs(from: page)
        #expect(jobs.count == 1 && jobs[0].model == "kwaivgi/kling-v2.5-turbo-pro" && jobs[0].prompt == "waves" && jobs[0].seconds == "5")
        let created = try #require(jobs[0].createdAt)
        #expect(abs(created.timeIntervalSince1970 - 1_796_558_401.123) < 0.01)
    }

    @Test("sizes follow the image: 300 px a side at least, aspect 2:5 to 5:2")
    func sizes() throws {
        let model = VideoModel(named: "kwaivgi/kling-v2.5-turbo-pro", provider: .replicate)
        for text in ["1280x720", "720x1280", "300x300", "750x300", "300x750", "1920x1080"] {
            #expect(throws: Never.self, "\(text)") { try SizeRequest.exact(VideoSize(parsing: text)!).validate(for: model) }
        }
        for text in ["299x600", "751x300", "300x751", "1000x300"] {
            #expect(throws: PrepError.self, "\(text)") { try SizeRequest.exact(VideoSize(parsing: text)!).validate(for: model) }
        }
    }

    @Test("error answers: {detail} read, 401 names the token page, 429 is a rate limit")
    func errors() throws {
        let dialect = try dialect()
        let unauthorized = HTTPResponse(status: 401, headers: [:], body: Array(#"{"title": "Unauthenticated", "detail": "You did not pass a valid authentication token", "status": 401}"#.utf8), url: Self.base + "/predictions")
        #expect(dialect.isServiceError(unauthorized))
        let error = dialect.error(for: unauthorized, collection: true, id: nil)
        #expect(error.kind == .auth && error.message.contains("valid authentication token") && error.hint?.contains("replicate.com/account/api-tokens") == true)
        let limited = HTTPResponse(status: 429, headers: [:], body: Array(#"{"detail": "Request was throttled."}"#.utf8), url: Self.base + "/predictions")
        #expect(dialect.error(for: limited, collection: true, id: nil).kind == .rateLimited)
        #expect(!dialect.isServiceError(HTTPResponse(status: 502, headers: [:], body: Array("<html>bad gateway</html>".utf8), url: Self.base)))
    }
}
