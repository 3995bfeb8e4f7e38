import Foundation

extension VideosClient {
    /// Polls a job until it ends: at the service's `openai-poll-after-ms` when given, else
    /// every 2 s growing by half each time up to 15 s.
    /// - Parameters:
    ///   - deadline: past it, throws `.deadline` with the id (resume with `soraimg wait`).
    ///   - update: each status seen.
    /// - Returns: the finished job, whatever its status; a failed one is for the caller to report.
    public func wait(for id: String, until deadline: Date, update: (Video) -> Void = { _ in }) throws(VideosError) -> Video {
        var interval = 2.0
        while true {
            if Interruption.isRequested { throw VideosError(.interrupted, "interrupted while job \(id) runs", videoID: id) }
            let (video, pollAfter) = try retrieve(id)
            update(video)
            if video.isFinished { return video }
            let next = min(60, max(0.1, pollAfter ?? interval))
            interval = min(15, interval * 1.5)
            if Date().addingTimeInterval(next) > deadline {
                throw VideosError(
                    .deadline, "the deadline passed while job \(id) is \(video.status)",
                    hint: "the job goes on; resume with: soraimg wait \(id)", videoID: id)
            }
            sleep(next)
        }
    }

    /// Downloads a variant of a finished job to `path`: into a temporary file beside it, checked
    /// to be what it claims (an MP4 starts with an `ftyp` box), then renamed into place.
    public func download(
        _ id: String, variant: ContentVariant, to path: String, replacing: Bool,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(VideosError) {
        if !replacing && FileManager.default.fileExists(atPath: path) {
            throw VideosError(.cannotWrite, "\(path) already exists; use --force to replace it", videoID: id)
        }
        let file: TemporaryFile
        do {
            file = try TemporaryFile(beside: path)
        } catch {
            throw VideosError(.cannotWrite, error.message, videoID: id)
        }
        let request = request(.get, "/videos/\(Self.escape(id))/content?variant=\(variant.rawValue)", timeout: nil)
        let report: @Sendable (TransferProgress) -> Bool = { value in
            progress?(value.downloaded, value.downloadTotal)
            return !Interruption.isRequested
        }
        var attempt = 1
        while true {
            let outcome: RetryPolicy.Outcome
            switch Result(catching: { () throws(HTTPTransportError) in try http.download(request, to: file.descriptor, progress: report) }) {
            case .success(let response) where (200..<300).contains(response.status):
                guard variant.matches(file.prefix(12)) else {
                    throw VideosError(
                        .badContent, "the \(variant.rawValue) of \(id) is not what it claims to be (\(variant == .video ? "no MP4 ftyp box" : "wrong format"))",
                        status: response.status, requestID: response.requestID.map(redact), videoID: id)
                }
                do {
                    try file.commit(to: path, replacing: replacing)
                } catch {
                    throw VideosError(.cannotWrite, error.message, videoID: id)
                }
                return
            case .success(let response):
                outcome = .status(response.status, retryAfterMilliseconds: response.header("retry-after-ms"), retryAfter: response.header("retry-after"))
                if retry.delay(after: attempt, outcome, now: Date(), jitter: 0) == nil {
                    throw ErrorCatalogue.error(for: response, configuration: configuration, collection: false, videoID: id, redact: redact)
                }
            case .failure(let error):
                outcome = .transport(error.kind)
                if retry.delay(after: attempt, outcome, now: Date(), jitter: 0) == nil { throw transportFailure(error, videoID: id) }
            }
            sleep(retry.delay(after: attempt, outcome, now: Date(), jitter: Double.random(in: 0...1)) ?? 0)
            if Interruption.isRequested { throw VideosError(.interrupted, "interrupted while downloading \(id)", videoID: id) }
            attempt += 1
        }
    }
}
