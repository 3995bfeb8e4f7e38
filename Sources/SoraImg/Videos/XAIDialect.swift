import Foundation

/// xAI's video API (`--provider xai`, grok-imagine-video), spoken as REST (xAI's own SDKs speak
/// gRPC; the REST shapes are those of the OpenAPI spec in xai-org/xai-sdk-ts): a create is
/// `POST {base}/videos/generations` answering `{request_id}`, polled at `GET
/// {base}/videos/{request_id}`, which answers 202 while pending (with or without a body, as the
/// TS SDK notes) and 200 once done, failed or expired. The finished answer names the video by
/// `video.url`, "valid for 24 hours" (xai-sdk-python `video.py`), usually on another host.
///
/// The service keeps no job list, so an unanswered create is never resent without the user's
/// word. The spec has no delete, no cancel and no remix (its edits and extensions make new
/// videos from a video URL, which soraimg does not offer), so soraimg offers none of them.
public struct XAIDialect: VideoDialect {
    public let provider = "xai"
    public let configuration: VideosConfiguration
    /// The service makes a video and nothing beside it.
    public let variants: [ContentVariant] = [.video]

    public init(configuration: VideosConfiguration) {
        self.configuration = configuration
    }

    private func request(_ method: HTTPRequest.Method, _ path: String, body: HTTPRequest.Body = .none, timeout: Double? = 120) -> HTTPRequest {
        HTTPRequest(method: method, url: configuration.url(path), headers: configuration.headers, body: body, timeout: timeout)
    }

    public func create(_ video: CreateVideo) -> HTTPRequest {
        request(.post, "/videos/generations", body: .json(XAIRequest.body(for: video)), timeout: 300)
    }

    /// A created job is pending, which soraimg shows as in progress (xAI has no queued state).
    public func created(from response: HTTPResponse) throws(VideosError) -> JobSnapshot {
        let created: XAICreated
        do {
            created = try JSONDecoder().decode(XAICreated.self, from: Data(response.body))
        } catch {
            throw unreadable(response, id: nil)
        }
        guard !created.requestID.isEmpty, created.requestID.utf8.count <= 512 else {
            throw hostile(response, "a request_id that is empty or absurdly long")
        }
        return JobSnapshot(id: created.requestID, status: .inProgress, providerStatus: "pending")
    }

    /// The id goes as one escaped path segment: a server's id never adds segments or climbs
    /// out of the API root.
    public func status(of id: String) -> HTTPRequest {
        request(.get, "/videos/\(ServiceURL.escaped(id))")
    }

    public func job(from response: HTTPResponse, id: String) throws(VideosError) -> JobSnapshot {
        // 202 is pending whatever the body says, and a body is optional (the TS SDK treats a
        // bodiless 202 as `{status: "pending"}`).
        if response.status == 202 {
            var job = JobSnapshot(id: id, status: .inProgress, providerStatus: "pending")
            if !response.body.isEmpty, let video = try? JSONDecoder().decode(XAIVideo.self, from: Data(response.body)) {
                job.progress = video.progress
            }
            return job
        }
        let video: XAIVideo
        do {
            video = try JSONDecoder().decode(XAIVideo.self, from: Data(response.body))
        } catch {
            throw unreadable(response, id: id)
        }
        guard let status = video.status else { throw unreadable(response, id: id) }
        return snapshot(video, status: status, id: id)
    }

    /// The finished answer as the engine sees it: done with a URL completes; done without one
    /// (the moderation withheld it: `respect_moderation: false` leaves the URL empty) fails;
    /// failed carries the service's error; expired is expired; pending runs; any other word is
    /// shown verbatim and treated as still running.
    func snapshot(_ video: XAIVideo, status: String, id: String) -> JobSnapshot {
        let word = redact(status).printable(limit: 60)
        var job = JobSnapshot(id: id, status: nil, providerStatus: word)
        job.progress = video.progress
        job.model = video.model.map { redact($0).printable(limit: 100) }
        let failure = video.error.flatMap { error -> JobSnapshot.Failure? in
            guard error.code != nil || error.message != nil else { return nil }
            return JobSnapshot.Failure(code: error.code.map { redact($0).printable(limit: 100) }, message: error.message.map { redact($0).printable(limit: 500) })
        }
        switch status {
        case "pending":
            job.status = .inProgress
        case "done":
            if let url = video.video?.url, !url.isEmpty {
                job.status = .completed
                job.videoSource = .url(url)
                job.failure = failure
            } else {
                job.status = .failed
                job.providerStatus = "moderated"
                job.failure = failure ?? JobSnapshot.Failure(
                    code: XAIErrors.moderatedCode,
                    message: video.video?.respectModeration == false
                        ? "the service's moderation withheld the video (respect_moderation: false)" : "the job finished without a video URL")
            }
        case "failed":
            job.status = .failed
            job.failure = failure ?? JobSnapshot.Failure(code: nil, message: "the job failed without saying why")
        case "expired":
            job.status = .expired
            job.failure = failure
        default:
            break
        }
        return job
    }

    /// The service sends no poll interval; the TS SDK polls every 5 s, close to the engine's
    /// own schedule (2 s growing to 15 s).
    public func pollAfter(in response: HTTPResponse) -> Double? { nil }

    /// The video the finished answer named; nil until an answer naming it is at hand.
    public func content(of job: JobSnapshot, variant: ContentVariant) throws(VideosError) -> JobContent? {
        try namedVideo(of: job, variant: variant) { url throws(VideosError) in try download(url, id: job.id) }
    }

    /// The request for the video's URL. The key goes only to the base URL's origin; xAI's own
    /// links are on a storage host (`vidgen.x.ai` in the spec's example), which the SDKs fetch
    /// with no key at all, so one elsewhere is fetched without it (whether it needs any auth is
    /// undocumented; the SDKs' behaviour says not). An `http` URL under an `https` base, or one
    /// with credentials of its own, is refused.
    func download(_ url: String, id: String) throws(VideosError) -> HTTPRequest {
        try linkDownload(url, id: id)
    }

    /// No job list: an unanswered create cannot be looked up.
    public func list(limit: Int) -> HTTPRequest? { nil }
    public func jobs(from response: HTTPResponse) throws(VideosError) -> [JobSnapshot] { [] }
    /// The spec has no delete.
    public func delete(_ id: String) -> HTTPRequest? { nil }
    /// The spec has no remix.
    public func remix(_ id: String, prompt: String) -> HTTPRequest? { nil }

    public func isServiceError(_ response: HTTPResponse) -> Bool {
        (try? JSONDecoder().decode(XAIErrorBody.self, from: Data(response.body))) != nil
    }

    public func error(for response: HTTPResponse, collection: Bool, id: String?) -> VideosError {
        XAIErrors.error(for: response, configuration: configuration, collection: collection, id: id, redact: redact)
    }

    public func failure(of job: JobSnapshot) -> VideosError {
        XAIErrors.jobFailure(job)
    }

    /// What xAI cannot be asked for, refused before anything is sent: a duration outside 1 to
    /// 15 whole seconds (the spec's range, for any model), and a size outside 300 px a side and
    /// 2:5 to 5:2.
    public static func check(_ video: CreateVideo) throws(VideosError) {
        guard let seconds = Int(video.seconds), XAIRequest.seconds.contains(seconds) else {
            throw VideosError(.usage, "xai takes --seconds as a whole number from 1 to 15, not '\(video.seconds.printable(limit: 20))'")
        }
        guard XAIRequest.allows(video.size) else {
            throw VideosError(.usage, "xai takes \(XAIRequest.sizeRule), not \(video.size)")
        }
    }

    /// An answer that is not the API's (garbage, JSON cut short, a proxy's page): an error
    /// naming the URL and status with a sanitised excerpt.
    private func unreadable(_ response: HTTPResponse, id: String?) -> VideosError {
        let isJSON = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) != nil
        let what = response.isHTML ? "an HTML page" : isJSON ? "JSON that is not xAI's video API" : "something that is not complete JSON"
        let excerpt = response.excerpt(redacting: redact).map { ": \"\($0)\"" } ?? " (an empty body)"
        return VideosError(
            .unavailable, "\(response.url) answered with \(what)\(excerpt)", status: response.status,
            requestID: response.requestID.map { redact($0).printable(limit: 100) },
            hint: isJSON || response.isHTML
                ? "check --base-url: it should be xAI's API root, ending in /v1"
                : "the answer was garbled or cut short on the way; try again",
            videoID: id)
    }

    /// An answer no xAI API writes, refused rather than followed.
    private func hostile(_ response: HTTPResponse, _ what: String) -> VideosError {
        VideosError(
            .unavailable, "\(response.url) answered with \(what); soraimg does not follow it", status: response.status,
            requestID: response.requestID.map { redact($0).printable(limit: 100) })
    }
}
