import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// How the Gemini dialect reads operations, error answers and hostile names (pure).
@Suite("Gemini answers (pure)")
struct GeminiAnswerTests {
    private let base = GeminiRequestTests.base
    private let key = GeminiRequestTests.key
    private let name = "models/veo-3.1-generate-preview/operations/abc123"

    private func dialect() throws -> GeminiDialect { try GeminiRequestTests.dialect() }

    private func answer(_ json: String, status: Int = 200, url: String? = nil) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(json.utf8), url: url ?? base + "/" + name)
    }

    private func job(_ json: String) throws -> JobSnapshot {
        try dialect().job(from: answer(json), id: name)
    }

    @Test("a create answer names the operation, which is the job's id; it runs until done")
    func created() throws {
        let job = try dialect().created(from: answer(#"{"name": "\#(name)", "metadata": {"@type": "x"}}"#))
        #expect(job.id == name && job.status == .inProgress && !job.isFinished)
        #expect(try self.job(#"{"name": "\#(name)", "done": false}"#).status == .inProgress)
        #expect(JobFileName.stem(forID: job.id) == "abc123")
    }

    @Test("the poll is GET {base}/{name}, with the key")
    func poll() throws {
        let request = try dialect().status(of: name)
        #expect(request.method == .get && request.url == base + "/" + name)
        #expect(request.headers.contains { $0.name == "x-goog-api-key" && $0.value == key })
    }

    @Test("done with an error: failed, with its message and code")
    func doneWithError() throws {
        let job = try self.job(#"{"name": "\#(name)", "done": true, "error": {"code": 3, "message": "The prompt could not be used."}}"#)
        #expect(job.status == .failed && !job.hasVideo)
        #expect(job.failure?.code == "INVALID_ARGUMENT" && job.failure?.message == "The prompt could not be used.")
        let error = try dialect().failure(of: job)
        #expect(error.kind == .jobFailed && error.exitStatus.rawValue == 1)
        #expect(error.message.contains("The prompt could not be used.") && error.code == "INVALID_ARGUMENT")
    }

    @Test("done with a sample: completed, the video at its URI")
    func doneWithSample() throws {
        let uri = base + "/files/f1:download?alt=media"
        let job = try self.job(
            #"{"name": "\#(name)", "done": true, "response": {"@type": "type.googleapis.com/x", "generateVideoResponse": {"generatedSamples": [{"video": {"uri": "\#(uri)"}}]}}}"#)
        #expect(job.status == .completed && job.hasVideo && job.videoSource == .url(uri))
        guard case .request(let request) = try dialect().content(of: job, variant: .video) else {
            Issue.record("no request for the video")
            return
        }
        #expect(request.url == uri && request.method == .get)
        // The base URL's origin: the key goes with it, as google-genai's files.download sends it.
        #expect(request.headers.contains { $0.name == "x-goog-api-key" && $0.value == key })
        #expect(throws: VideosError.self) { try dialect().content(of: job, variant: .thumbnail) }
    }

    @Test("a video URI on another origin is fetched without the key; a downgrade or credentials are refused")
    func otherOrigin() throws {
        for uri in ["https://storage.googleapis.com/bucket/v.mp4?sig=1", "https://generativelanguage.googleapis.com:8443/v1beta/files/f", "https://evil.example/x"] {
            var job = JobSnapshot(id: name, status: .completed, providerStatus: "done")
            job.videoSource = .url(uri)
            guard case .request(let request) = try dialect().content(of: job, variant: .video) else {
                Issue.record("no request for \(uri)")
                continue
            }
            #expect(request.url == uri)
            #expect(request.headers.isEmpty, "\(uri): \(request.headers.map(\.name))")
        }
        for uri in ["http://generativelanguage.googleapis.com/v1beta/files/f", "https://user:pw@storage.example/v.mp4", "file:///etc/passwd", "ftp://x/y", "//evil.example/x", "not a url"] {
            var job = JobSnapshot(id: name, status: .completed, providerStatus: "done")
            job.videoSource = .url(uri)
            #expect(throws: VideosError.self, "\(uri)") { try dialect().content(of: job, variant: .video) }
        }
    }

    @Test("done, no sample, videos filtered: a content-policy failure with the reasons shown")
    func filtered() throws {
        let job = try self.job(
            #"{"name": "\#(name)", "done": true, "response": {"generateVideoResponse": {"raiMediaFilteredCount": 1, "raiMediaFilteredReasons": ["Veo could not generate 1 videos based on the prompt provided. Support codes: 42237218"]}}}"#)
        #expect(job.status == .failed && !job.hasVideo)
        #expect(job.failure?.code == GeminiErrors.filteredCode)
        let error = try dialect().failure(of: job)
        #expect(error.kind == .jobFailed)
        #expect(error.message.contains("Support codes: 42237218"), "\(error)")
        #expect(error.hint?.contains("safety filters") == true, "\(error)")

        let empty = try self.job(#"{"name": "\#(name)", "done": true, "response": {"generateVideoResponse": {}}}"#)
        #expect(empty.status == .failed && empty.failure?.message?.contains("without a video") == true)
    }

    @Test("an inline encodedVideo becomes the bytes, with no request; bad base64 is refused")
    func inline() throws {
        let bytes: [UInt8] = Array("....ftypisom-not-really-a-video".utf8)
        let job = try self.job(
            #"{"name": "\#(name)", "done": true, "response": {"generateVideoResponse": {"generatedSamples": [{"video": {"encodedVideo": "\#(Data(bytes).base64EncodedString())", "encoding": "video/mp4"}}]}}}"#)
        #expect(job.status == .completed && job.videoSource == .bytes(bytes))
        guard case .bytes(let content) = try dialect().content(of: job, variant: .video) else {
            Issue.record("the inline video was not taken as bytes")
            return
        }
        #expect(content == bytes)
        #expect(throws: VideosError.self) {
            try self.job(#"{"done": true, "response": {"generateVideoResponse": {"generatedSamples": [{"video": {"encodedVideo": "%%%"}}]}}}"#)
        }
    }

    @Test("a job known only by its id has no content yet: the engine reads its status first")
    func contentNeedsStatus() throws {
        #expect(try dialect().content(of: JobSnapshot(id: name, status: nil, providerStatus: "unknown"), variant: .video) == nil)
    }

    static let hostileNames = [
        "../../x", "models/a/operations/../../b", "models/a/operations/./b", "https://evil.example/operations/x", "//evil.example/x",
        "/models/a/operations/b", "models/a/operations/b/", "models//a", "models/a/operations/b?alt=media", "models/a/operations/b#x",
        "models/a%2F..%2Fb", "models/a\u{1B}[31m/operations/b", "models/a\n/operations/b", "models/a /operations/b", "", "..",
        "models/veo:predictLongRunning", String(repeating: "a", count: 600),
    ]

    @Test("hostile operation names are refused, not escaped", arguments: hostileNames)
    func hostileName(_ hostile: String) throws {
        #expect(!OperationName.isValid(hostile))
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["name": hostile]), as: UTF8.self)
        let error = try #require(throws: VideosError.self) { try dialect().created(from: answer(json)) }
        #expect(!error.message.unicodeScalars.contains { $0.value < 0x20 }, "\(error.message.debugDescription)")
        #expect(throws: VideosError.self) { try dialect().job(from: answer(json), id: name) }
    }

    @Test("plain operation names are valid", arguments: [
        "models/veo-3.1-generate-preview/operations/abc123", "operations/x", "models/veo_3.1/operations/A-b_c.9",
    ])
    func plainName(_ name: String) {
        #expect(OperationName.isValid(name))
    }

    @Test("an id a person typed that is not a plain path is polled as one escaped segment")
    func typedID() throws {
        #expect(try dialect().status(of: "../../x").url == base + "/..%2F..%2Fx")
        #expect(try dialect().status(of: "..").url == base + "/%2E%2E")
        #expect(try dialect().status(of: "https://evil.example/x").url.hasPrefix(base + "/https%3A%2F%2Fevil.example"))
    }

    @Test("garbage, an HTML page or a create answer without a name is an error, never a job")
    func unreadable() throws {
        for body in ["not json", "<html><body>502</body></html>", #"{"done": false}"#, #"{"name": 5}"#] {
            #expect(throws: VideosError.self, "\(body)") { try dialect().created(from: answer(body)) }
        }
    }
}

/// The Gemini API's error answers become the kinds, exit codes and hints every provider uses.
@Suite("Gemini errors (pure)")
struct GeminiErrorTests {
    private let dialect = try! GeminiRequestTests.dialect()

    private func error(_ status: Int, _ json: String, collection: Bool = false) -> VideosError {
        let response = HTTPResponse(status: status, headers: [:], body: Array(json.utf8), url: GeminiRequestTests.base + "/x")
        #expect(dialect.isServiceError(response), "\(json)")
        return dialect.error(for: response, collection: collection, id: collection ? nil : "models/m/operations/o")
    }

    @Test("a bad key (400 API_KEY_INVALID, 401, 403) is an auth error naming both variables")
    func badKey() {
        let invalid = error(
            400,
            #"{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}"#,
            collection: true)
        #expect(invalid.kind == .auth && invalid.exitStatus.rawValue == 77 && invalid.code == "API_KEY_INVALID")
        #expect(invalid.hint?.contains("GOOGLE_API_KEY") == true && invalid.hint?.contains("GEMINI_API_KEY") == true, "\(invalid)")
        for status in [401, 403] {
            let refused = error(status, #"{"error": {"code": \#(status), "message": "Permission denied", "status": "PERMISSION_DENIED"}}"#)
            #expect(refused.kind == .auth && refused.hint?.contains("GOOGLE_API_KEY") == true)
        }
    }

    @Test("429 RESOURCE_EXHAUSTED is a rate limit; 5xx unavailable; 404 on the create an unknown model, on a poll no such job")
    func kinds() {
        let limited = error(429, #"{"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}}"#, collection: true)
        #expect(limited.kind == .rateLimited && limited.exitStatus.rawValue == 75 && limited.code == "RESOURCE_EXHAUSTED")
        #expect(error(500, #"{"error": {"code": 500, "message": "Internal error", "status": "INTERNAL"}}"#).kind == .unavailable)
        let model = error(404, #"{"error": {"code": 404, "message": "models/veo-9 is not found", "status": "NOT_FOUND"}}"#, collection: true)
        #expect(model.kind == .endpointGone && model.exitStatus.rawValue == 69)
        #expect(error(404, #"{"error": {"code": 404, "message": "Operation not found", "status": "NOT_FOUND"}}"#).kind == .notFound)
        let file = HTTPResponse(
            status: 404, headers: [:], body: Array(#"{"error": {"code": 404, "message": "File not found", "status": "NOT_FOUND"}}"#.utf8),
            url: GeminiRequestTests.base + "/files/vid1:download?alt=media")
        #expect(dialect.error(for: file, collection: false, id: "models/m/operations/o").kind == .expired)
        let person = error(
            400, #"{"error": {"code": 400, "message": "allow_adult for personGeneration is currently not supported.", "status": "INVALID_ARGUMENT"}}"#,
            collection: true)
        #expect(person.kind == .invalidRequest && person.exitStatus.rawValue == 65 && person.hint?.contains("person") == true)
    }

    @Test("a key the server echoes is redacted from the message")
    func echoedKey() {
        let echoed = error(400, #"{"error": {"code": 400, "message": "bad key \#(GeminiRequestTests.key) here", "status": "INVALID_ARGUMENT"}}"#)
        #expect(!echoed.description.contains(GeminiRequestTests.key) && echoed.description.contains("[redacted]"))
    }

    @Test("a proxy's page is not the service's error: it proves nothing about a create")
    func proxyPage() {
        let page = HTTPResponse(status: 502, headers: ["content-type": "text/html"], body: Array("<html>bad gateway</html>".utf8), url: "u")
        #expect(!dialect.isServiceError(page))
        #expect(!dialect.isServiceError(HTTPResponse(status: 500, headers: [:], body: Array(#"{"error": {}}"#.utf8), url: "u")))
    }
}
