import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// How soraimg reads OpenRouter's answers: job documents, polling URLs, error bodies.
@Suite("OpenRouter answers")
struct OpenRouterAnswerTests {
    private let base = OpenRouterRequestTests.base
    private let key = OpenRouterRequestTests.key

    private func dialect() throws -> OpenRouterDialect { try OpenRouterRequestTests.dialect() }

    private func answer(_ status: Int, _ json: String, headers: [String: String] = [:], url: String? = nil) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(json.utf8), url: url ?? base + "/videos")
    }

    @Test("each status maps to the common set; an unknown one is kept verbatim and counts as running", arguments: [
        ("pending", JobStatus.queued), ("in_progress", .inProgress), ("completed", .completed), ("failed", .failed),
        ("cancelled", .cancelled), ("expired", .expired), ("rendering", nil), ("Completed", nil),
    ])
    func statuses(word: String, expected: JobStatus?) throws {
        let job = try dialect().job(from: answer(200, #"{"id":"job-1","polling_url":"/api/v1/videos/job-1","status":"\#(word)"}"#), id: "job-1")
        #expect(job.status == expected)
        #expect(job.providerStatus == word)
        #expect(job.isFinished == (expected?.isFinal ?? false))
    }

    @Test("a create answered 202 with the spec's example: the id, the job queued")
    func created() throws {
        let job = try dialect().created(from: answer(202, #"{"id":"job-abc123","generation_id":"gen-xyz789","polling_url":"/api/v1/videos/job-abc123","status":"pending"}"#))
        #expect(job.id == "job-abc123" && job.status == .queued && job.failure == nil)
    }

    @Test("a failed job carries the service's reason (a plain string); a completed one its cost")
    func failureAndCost() throws {
        let failed = try dialect().job(from: answer(200, #"{"id":"j","polling_url":"x","status":"failed","error":"Content policy violation"}"#), id: "j")
        #expect(failed.failure?.message == "Content policy violation" && !failed.hasVideo)
        let error = try dialect().failure(of: failed)
        #expect(error.kind == .jobFailed && error.exitStatus.rawValue == 1 && error.message.contains("Content policy violation"))
        // An object where the spec has a string is read too.
        let object = try dialect().job(from: answer(200, #"{"id":"j","status":"failed","error":{"message":"upstream said no"}}"#), id: "j")
        #expect(object.failure?.message == "upstream said no")
        let done = try dialect().job(
            from: answer(200, #"{"id":"j","status":"completed","unsigned_urls":["https://openrouter.ai/api/v1/videos/j/content?index=0"],"usage":{"cost":2.5,"is_byok":false}}"#), id: "j")
        #expect(done.hasVideo && done.cost == 2.5)
        // A completed job that carries an error has no usable video.
        let broken = try dialect().job(from: answer(200, #"{"id":"j","status":"completed","error":"no output"}"#), id: "j")
        #expect(!broken.hasVideo)
    }

    @Test("absurd numbers and hostile text never crash and never reach the terminal raw")
    func hostileFields() throws {
        for cost in ["1e300", "-4", "\"NaN\"", "null", "\"2\""] {
            let job = try dialect().job(from: answer(200, #"{"id":"j","status":"completed","usage":{"cost":\#(cost)}}"#), id: "j")
            #expect(job.cost == nil, "\(cost)")
        }
        let escaped = try dialect().job(from: answer(200, #"{"id":"j","status":"fail\u001b[31med","error":"bad\u0007\u001b]0;title\u0007"}"#), id: "j")
        #expect(!escaped.providerStatus.contains("\u{1B}") && !(escaped.failure?.message ?? "").contains("\u{07}"))
        // The id asked about is the job's, whatever the answer names.
        let other = try dialect().job(from: answer(200, #"{"id":"someone-else","status":"completed"}"#), id: "j")
        #expect(other.id == "j")
        // An id of a megabyte is not an id: the answer is unreadable.
        let long = String(repeating: "a", count: 2000)
        #expect(throws: VideosError.self) { try dialect().created(from: answer(202, #"{"id":"\#(long)","status":"pending"}"#)) }
        #expect(throws: VideosError.self) { try dialect().created(from: answer(202, #"{"id":"","status":"pending"}"#)) }
        #expect(throws: VideosError.self) { try dialect().created(from: answer(202, "<html>hello</html>", headers: ["content-type": "text/html"])) }
    }

    @Test("polling_url: relative ones resolve against the base, another origin's is never used")
    func pollingURLs() throws {
        let dialect = try dialect()
        #expect(dialect.pollingURL("/api/v1/videos/job-1") == base + "/videos/job-1")
        #expect(dialect.pollingURL("videos/job-1") == base + "/videos/job-1")
        #expect(dialect.pollingURL(base + "/videos/job-1") == base + "/videos/job-1")
        #expect(dialect.pollingURL("https://openrouter.ai/api/v1/videos/job-1") == nil)
        #expect(dialect.pollingURL("http://localhost:9/api/v1/videos/job-1") == nil, "another host name is another origin")
        #expect(dialect.pollingURL("http://127.0.0.1:10/api/v1/videos/job-1") == nil, "another port is another origin")
        #expect(dialect.pollingURL("//evil.example/api/v1/videos/job-1") == nil)
        #expect(dialect.pollingURL("/elsewhere/job-1") == nil, "outside the API's path")
        #expect(dialect.pollingURL("/api/v1/videos/a b") == nil)
        #expect(dialect.pollingURL(nil) == nil && dialect.pollingURL("") == nil)

        // A create naming a foreign polling URL: polls still go to the base URL.
        _ = try dialect.created(from: answer(202, #"{"id":"job-2","polling_url":"https://evil.example/poll/job-2","status":"pending"}"#))
        #expect(dialect.status(of: "job-2").url == base + "/videos/job-2")
        // A relative one is followed, on the base's origin.
        _ = try dialect.created(from: answer(202, #"{"id":"job-3","polling_url":"/api/v1/videos/job-3?x=1","status":"pending"}"#))
        #expect(dialect.status(of: "job-3").url == base + "/videos/job-3")
        _ = try dialect.created(from: answer(202, #"{"id":"job-4","polling_url":"/api/v1/videos/job-4-poll","status":"pending"}"#))
        #expect(dialect.status(of: "job-4").url == base + "/videos/job-4-poll")
    }

    @Test("error bodies map to the error kinds, with hints naming what to fix", arguments: [
        (401, "User not found.", VideosError.Kind.auth, "OPENROUTER_API_KEY"),
        (402, "Insufficient credits", .auth, "credits"),
        (403, "Your key may not do this", .auth, "OPENROUTER_API_KEY"),
        (400, "duration must be one of 4, 6, 8", .invalidRequest, "supported_durations"),
        (400, "Invalid resolution", .invalidRequest, "--size"),
        (429, "Rate limit exceeded", .rateLimited, "rate limiting"),
        (502, "Provider returned error", .unavailable, "provider"),
        (503, "No available model provider that meets your routing requirements", .unavailable, "routing"),
    ])
    func errors(status: Int, message: String, kind: VideosError.Kind, hint: String) throws {
        let response = answer(status, #"{"error":{"code":\#(status),"message":"\#(message)","metadata":null},"user_id":null}"#)
        let error = try dialect().error(for: response, collection: true, id: nil)
        #expect(error.kind == kind)
        #expect(error.message == message && error.status == status && error.code == String(status))
        #expect(error.hint?.contains(hint) == true, "\(error.hint ?? "no hint")")
    }

    @Test("moderation on a 403 is the request's fault, with the reasons")
    func moderation() throws {
        let body = #"{"error":{"code":403,"message":"Input flagged","metadata":{"reasons":["violence"],"flagged_input":"...","provider_name":"x","model_slug":"m"}}}"#
        let error = try dialect().error(for: answer(403, body), collection: true, id: nil)
        #expect(error.kind == .invalidRequest && error.hint?.contains("violence") == true)
    }

    @Test("404: a model or endpoint on the collection, no such job on a job")
    func notFound() throws {
        let body = #"{"error":{"code":404,"message":"Model not found"}}"#
        #expect(try dialect().error(for: answer(404, body), collection: true, id: nil).kind == .endpointGone)
        let job = try dialect().error(for: answer(404, #"{"error":{"code":404,"message":"Job not found"}}"#), collection: false, id: "j")
        #expect(job.kind == .notFound && job.videoID == "j")
    }

    @Test("the service's error body proves nothing was made only where OpenRouter refused or routed nothing")
    func serviceErrors() throws {
        let dialect = try dialect()
        let body = #"{"error":{"code":429,"message":"Rate limit exceeded"}}"#
        #expect(dialect.isServiceError(answer(429, body)))
        #expect(dialect.isServiceError(answer(400, body)))
        #expect(dialect.isServiceError(answer(503, body)))
        #expect(!dialect.isServiceError(answer(500, body)))
        #expect(!dialect.isServiceError(answer(502, body)))
        #expect(!dialect.isServiceError(answer(504, body)))
        #expect(!dialect.isServiceError(answer(500, "<html>Bad gateway</html>")))
        #expect(!dialect.isServiceError(answer(500, #"{"error":"plain"}"#)))
    }

    @Test("a key the server echoes is redacted from every error")
    func redaction() throws {
        let body = #"{"error":{"code":401,"message":"bad key \#(key)","metadata":null}}"#
        let error = try dialect().error(for: answer(401, body, headers: ["x-request-id": "req-\(key)"]), collection: true, id: nil)
        #expect(!error.description.contains(key))
    }
}
