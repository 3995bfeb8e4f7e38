import Foundation

extension VideosClient {
    /// `POST /videos`, never creating a second billed job.
    ///
    /// An answer with an error body created nothing, so a 429 or 5xx is resent by the retry
    /// policy. When the body went out and no answer came back (or a proxy answered a 5xx
    /// without the service's error body), the outcome is unknown: the recent jobs are listed
    /// and one with the same prompt, model, size and seconds created since the first attempt
    /// (and not in `known`) is taken as this one. Only when none matches is the request sent
    /// again; when the list itself fails, nothing is resent and the error says so.
    ///
    /// - Parameters:
    ///   - known: ids already accounted for (the journal's), never taken as a match.
    ///   - uploadProgress: bytes of the body sent so far, and in all.
    public func create(
        _ video: CreateVideo, known: Set<String> = [], uploadProgress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(VideosError) -> Video {
        let started = Date()
        let request = request(.post, "/videos", body: video.body, timeout: 300)
        let progress: @Sendable (TransferProgress) -> Bool = { value in
            uploadProgress?(value.uploaded, value.uploadTotal)
            return !Interruption.isRequested
        }
        var attempt = 1
        while true {
            let outcome: RetryPolicy.Outcome
            var outcomeUnknown = false
            switch Result(catching: { () throws(HTTPTransportError) in try http.send(request, progress: progress) }) {
            case .success(let response):
                if (200..<300).contains(response.status) { return try createdVideo(from: response, video, since: started, known: known) }
                outcome = .status(response.status, retryAfterMilliseconds: response.header("retry-after-ms"), retryAfter: response.header("retry-after"))
                let hasErrorBody = (try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))) != nil
                outcomeUnknown = response.status >= 500 && !hasErrorBody
                if !outcomeUnknown && retry.delay(after: attempt, outcome, now: Date(), jitter: 0) == nil {
                    throw ErrorCatalogue.error(for: response, configuration: configuration, collection: true, redact: redact)
                }
            case .failure(let error):
                outcome = .transport(error.kind)
                outcomeUnknown = error.bodySent
                if error.kind == .cancelled && !error.bodySent { throw VideosError(.interrupted, "interrupted before the job was created") }
                if !outcomeUnknown && retry.delay(after: attempt, outcome, now: Date(), jitter: 0) == nil {
                    throw transportFailure(error, videoID: nil)
                }
            }
            if outcomeUnknown {
                if let match = try reconcile(video, since: started, known: known) { return match }
                if Interruption.isRequested { throw VideosError(.interrupted, "interrupted; no job was created") }
            }
            guard let delay = retry.delay(after: attempt, outcome, now: Date(), jitter: Double.random(in: 0...1)) else {
                throw VideosError(
                    .unavailable, "could not create the job at \(configuration.baseURL) after \(attempt) attempts",
                    hint: "no job was found on the service for this request; try again later")
            }
            sleep(delay)
            if Interruption.isRequested { throw VideosError(.interrupted, "interrupted; no job was created") }
            attempt += 1
        }
    }

    /// The job a successful create answer names. When the answer cannot be read (garbled or
    /// cut short on the way), the job was most likely made: it is looked up in the service's
    /// list rather than lost, and never created again.
    private func createdVideo(from response: HTTPResponse, _ video: CreateVideo, since started: Date, known: Set<String>) throws(VideosError) -> Video {
        let unreadable: VideosError
        do {
            return try decode(Video.self, from: response)
        } catch {
            unreadable = error
        }
        if let match = try reconcile(video, since: started, known: known) { return match }
        var failure = unreadable
        failure.hint = "the create was accepted but its answer could not be read, and no matching job is in the service's list; run `soraimg list` before trying again, so a job is not paid for twice"
        throw failure
    }

    /// The job an unanswered create made, if the service lists one.
    func reconcile(_ video: CreateVideo, since started: Date, known: Set<String>) throws(VideosError) -> Video? {
        let recent: [Video]
        do {
            recent = try list(limit: 50, cancellable: false)
        } catch {
            var unknown = VideosError(
                .unavailable, "the create request was sent but not answered, and the job list could not be read to check whether it made a job: \(error.message)")
            unknown.hint = "run `soraimg list` before trying again, so a job is not paid for twice"
            unknown.mayHaveCreated = true
            throw unknown
        }
        // Allow for a service clock a minute behind ours.
        let earliest = Int(started.timeIntervalSince1970) - 60
        return recent.first { job in
            !known.contains(job.id) && job.prompt == video.prompt && job.size == video.size.description
                && (job.seconds == nil || job.seconds == video.seconds)
                && (job.model == nil || job.model == video.model) && (job.createdAt ?? earliest) >= earliest
        }
    }

    /// `POST /videos/{id}/remix`. Not retried on an unknown outcome: the service's list is
    /// checked for a remix of this video made since, as for a create.
    public func remix(_ id: String, prompt: String, known: Set<String> = []) throws(VideosError) -> Video {
        let started = Date()
        let body = (try? JSONSerialization.data(withJSONObject: ["prompt": prompt])) ?? Data()
        let request = request(.post, "/videos/\(Self.escape(id))/remix", body: .json(Array(body)))
        switch Result(catching: { () throws(HTTPTransportError) in try http.send(request, progress: Self.continueUnlessInterrupted) }) {
        case .success(let response):
            guard (200..<300).contains(response.status) else {
                throw ErrorCatalogue.error(for: response, configuration: configuration, collection: false, videoID: id, redact: redact)
            }
            return try decode(Video.self, from: response)
        case .failure(let error):
            if error.bodySent, let match = try? list(limit: 50, cancellable: false).first(where: {
                !known.contains($0.id) && $0.remixedFromVideoId == id && $0.prompt == prompt
                    && ($0.createdAt ?? 0) >= Int(started.timeIntervalSince1970) - 60
            }) {
                return match
            }
            throw transportFailure(error, videoID: id)
        }
    }
}
