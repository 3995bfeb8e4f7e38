import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// The engine's decisions as tables: what each attempt's outcome leads to, when to poll, and
/// what a request's journal record says to do on a rerun. No I/O anywhere.
@Suite("job engine state machines")
struct JobMachineTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)
    typealias Outcome = RequestMachine.Outcome

    /// One attempt from a fresh machine.
    private func first(_ kind: RequestMachine.Kind, _ outcome: Outcome) -> RequestMachine.Next {
        var machine = RequestMachine(kind)
        return machine.next(after: outcome, now: now, jitter: 0)
    }

    @Test(
        "a request that changes nothing is retried on 408/409/429/5xx and lost connections, never on other answers",
        arguments: [
            (Outcome.answered(status: 200), RequestMachine.Next.done),
            (.answered(status: 404), .done),
            (.answered(status: 400), .done),
            (.answered(status: 429, retryAfter: "3"), .retry(after: 3)),
            (.answered(status: 503, retryAfterMilliseconds: "250"), .retry(after: 0.25)),
            (.answered(status: 500), .retry(after: 0.5)),
            (.answered(status: 502, provesNothingMade: false), .retry(after: 0.5)),
            (.transport(.connectionLost, bodySent: true), .retry(after: 0.5)),
            (.transport(.connect, bodySent: false), .retry(after: 0.5)),
            (.transport(.tls, bodySent: false), .fail),
            (.transport(.cancelled, bodySent: true), .interrupted),
            (.unreadable, .fail),
        ])
    func idempotent(outcome: Outcome, next: RequestMachine.Next) {
        #expect(first(.idempotent, outcome) == next)
    }

    @Test(
        "a create whose outcome is unknown is looked up, never resent blind; one the service refused is retried",
        arguments: [
            (Outcome.answered(status: 200), RequestMachine.Next.done),
            (.answered(status: 429, retryAfter: "1"), .retry(after: 1)),
            // The service's own error body proves nothing was made.
            (.answered(status: 500), .retry(after: 0.5)),
            // A proxy's page does not.
            (.answered(status: 502, provesNothingMade: false), .lookUp),
            (.transport(.connectionLost, bodySent: true), .lookUp),
            (.transport(.timeout, bodySent: true), .lookUp),
            (.transport(.connectionLost, bodySent: false), .retry(after: 0.5)),
            (.transport(.cancelled, bodySent: true), .lookUp),
            (.transport(.cancelled, bodySent: false), .interrupted),
            (.unreadable, .lookUp),
        ])
    func create(outcome: Outcome, next: RequestMachine.Next) {
        #expect(first(.acting(canLookUp: true), outcome) == next)
    }

    @Test(
        "without a job list an unknown outcome is unconfirmed: never resent automatically",
        arguments: [Outcome.transport(.connectionLost, bodySent: true), .unreadable, .answered(status: 502, provesNothingMade: false)])
    func noList(outcome: Outcome) {
        #expect(first(.acting(canLookUp: false), outcome) == .unconfirmed)
        // What the service refused is still retried.
        #expect(first(.acting(canLookUp: false), .answered(status: 429, retryAfter: "2")) == .retry(after: 2))
    }

    @Test("after a look-up: found is done; not found resends by the policy, except after an unreadable 2xx or Ctrl-C; an unreadable list is unconfirmed")
    func afterLookUp() {
        var machine = RequestMachine(.acting(canLookUp: true))
        #expect(machine.next(after: .transport(.connectionLost, bodySent: true), now: now, jitter: 0) == .lookUp)
        #expect(machine.next(after: .notFound, interrupted: false, now: now, jitter: 0) == .retry(after: 0.5))
        #expect(machine.attempt == 2)
        #expect(machine.next(after: .transport(.timeout, bodySent: true), now: now, jitter: 0) == .lookUp)
        #expect(machine.next(after: .found, interrupted: false, now: now, jitter: 0) == .done)

        var unreadable = RequestMachine(.acting(canLookUp: true))
        #expect(unreadable.next(after: .unreadable, now: now, jitter: 0) == .lookUp)
        #expect(unreadable.next(after: .notFound, interrupted: false, now: now, jitter: 0) == .fail)

        var interrupted = RequestMachine(.acting(canLookUp: true))
        #expect(interrupted.next(after: .transport(.cancelled, bodySent: true), now: now, jitter: 0) == .lookUp)
        #expect(interrupted.next(after: .notFound, interrupted: false, now: now, jitter: 0) == .interrupted)

        var listless = RequestMachine(.acting(canLookUp: true))
        #expect(listless.next(after: .transport(.connectionLost, bodySent: true), now: now, jitter: 0) == .lookUp)
        #expect(listless.next(after: .unreadable, interrupted: false, now: now, jitter: 0) == .unconfirmed)
    }

    @Test("attempts run out: five for failures, thirty for 429s")
    func attemptsRunOut() {
        var machine = RequestMachine(.idempotent)
        var retries = 0
        while case .retry = machine.next(after: .answered(status: 500), now: now, jitter: 0) { retries += 1 }
        #expect(retries == 4)
        var limited = RequestMachine(.acting(canLookUp: true))
        retries = 0
        while case .retry = limited.next(after: .answered(status: 429, retryAfter: "1"), now: now, jitter: 0) { retries += 1 }
        #expect(retries == 29)
    }

    @Test("polls at the service's interval or a growing one, never past the deadline, and stop when the job ends")
    func polling() {
        var schedule = PollSchedule()
        let running = JobSnapshot(id: "video_1", status: .inProgress, providerStatus: "in_progress")
        let deadline = now.addingTimeInterval(100)
        #expect(schedule.next(after: running, pollAfter: nil, now: now, deadline: deadline) == .poll(after: 2))
        #expect(schedule.next(after: running, pollAfter: nil, now: now, deadline: deadline) == .poll(after: 3))
        #expect(schedule.next(after: running, pollAfter: 0.5, now: now, deadline: deadline) == .poll(after: 0.5))
        #expect(schedule.next(after: running, pollAfter: 3600, now: now, deadline: deadline) == .poll(after: 60))
        var fresh = PollSchedule()
        #expect(fresh.next(after: running, pollAfter: .infinity, now: now, deadline: deadline) == .poll(after: 2))
        #expect(fresh.next(after: running, pollAfter: -.infinity, now: now, deadline: deadline) == .poll(after: 3))
        #expect(schedule.next(after: running, pollAfter: nil, now: now.addingTimeInterval(99), deadline: deadline) == .deadline)
        // A status outside the set is still running until the deadline.
        let unknown = JobSnapshot(id: "video_1", status: nil, providerStatus: "warming_up")
        #expect(schedule.next(after: unknown, pollAfter: 1, now: now, deadline: deadline) == .poll(after: 1))
        for status in [JobStatus.completed, .failed, .cancelled, .expired] {
            #expect(schedule.next(after: JobSnapshot(id: "v", status: status, providerStatus: status.rawValue), pollAfter: nil, now: now, deadline: deadline) == .finished)
        }
    }

    private func job(_ status: JobStatus?, created: Date, downloaded: Bool = false, gone: Bool = false) -> JournalIndex.Job {
        var job = JournalIndex.Job(id: "video_1", created: created, updated: created)
        job.status = status
        job.output = "./a.mp4"
        job.gone = gone
        if downloaded { job.downloads[.video] = "./a.mp4" }
        return job
    }

    private func pending(_ sent: Date) -> JournalIndex.PendingCreate {
        JournalIndex.PendingCreate(fingerprint: "f", sent: sent, unanswered: true, pid: nil, prompt: nil)
    }

    @Test("what a rerun does with the journal's record of the same request")
    func resume() {
        let earlier = now.addingTimeInterval(-600)
        func decide(_ job: JournalIndex.Job?, _ pending: JournalIndex.PendingCreate? = nil, inPlace: Bool = false, replacing: Bool = false, canLookUp: Bool = true, resend: Bool = false) -> ResumePlan {
            ResumePlan.decide(job: job, pending: pending, filesInPlace: inPlace, replacing: replacing, canLookUp: canLookUp, resendUnconfirmed: resend)
        }
        #expect(decide(nil) == .create)
        #expect(decide(job(.inProgress, created: earlier)) == .resume(id: "video_1"))
        #expect(decide(job(.completed, created: earlier, downloaded: true), inPlace: true) == .alreadyDone(id: "video_1", output: "./a.mp4"))
        // The file went, or --force asks for it again: downloaded again, never paid again.
        #expect(decide(job(.completed, created: earlier, downloaded: true), inPlace: false) == .resume(id: "video_1"))
        #expect(decide(job(.completed, created: earlier, downloaded: true), inPlace: true, replacing: true) == .resume(id: "video_1"))
        for ended in [JobStatus.failed, .cancelled, .expired] { #expect(decide(job(ended, created: earlier)) == .create) }
        #expect(decide(job(.completed, created: earlier, gone: true)) == .create)
        // An unsettled create newer than the last job: look for its job first.
        #expect(decide(nil, pending(now)) == .lookUp(since: now))
        #expect(decide(job(.failed, created: earlier), pending(now)) == .lookUp(since: now))
        #expect(decide(nil, pending(now), canLookUp: false) == .unconfirmed(since: now))
        #expect(decide(nil, pending(now), canLookUp: false, resend: true) == .create)
    }

    @Test("a listed job is this request's despite a dated model name or a reworded prompt's spacing and case; not another size, duration or source")
    func matching() {
        let request = JobRequest(
            provider: "openai", baseURL: "http://x/v1", model: "sora-2", size: "1280x720", seconds: "4", prompt: "Waves  roll in",
            input: "/a.jpg", referenceSHA256: "ab")
        func listed(model: String? = "sora-2", prompt: String? = "Waves  roll in", size: String? = "1280x720", seconds: String? = "4") -> JobSnapshot {
            var job = JobSnapshot(id: "video_2", status: .queued, providerStatus: "queued")
            job.model = model
            job.prompt = prompt
            job.size = size
            job.seconds = seconds
            return job
        }
        #expect(JobEngine.sameRequest(listed(), request))
        #expect(JobEngine.sameRequest(listed(model: "sora-2-2025-10-06"), request))
        #expect(JobEngine.sameRequest(listed(prompt: " waves roll\nin "), request))
        #expect(JobEngine.sameRequest(listed(model: nil, prompt: nil, size: nil, seconds: nil), request))
        #expect(!JobEngine.sameRequest(listed(model: "sora-2-pro"), request))
        #expect(!JobEngine.sameRequest(listed(prompt: "waves roll out"), request))
        #expect(!JobEngine.sameRequest(listed(size: "720x1280"), request))
        #expect(!JobEngine.sameRequest(listed(seconds: "8"), request))
    }

    @Test("the send time is read on the service's clock from its Date header")
    func serviceClock() {
        let sent = now
        let ahead = HTTPResponse(status: 200, headers: ["date": "Fri, 15 Jan 2027 08:00:00 GMT"], body: [], url: "u")
        let serviceNow = RetryPolicy.httpDate("Fri, 15 Jan 2027 08:00:00 GMT")!
        let local = serviceNow.addingTimeInterval(-3600)
        // The service's clock runs an hour ahead: the send happened an hour later by it.
        #expect(abs(JobEngine.serviceTime(of: sent, answer: ahead, now: local).timeIntervalSince(sent.addingTimeInterval(3600 - 3))) < 0.001)
        let none = HTTPResponse(status: 200, headers: [:], body: [], url: "u")
        #expect(JobEngine.serviceTime(of: sent, answer: none) == sent.addingTimeInterval(-60))
    }

    @Test("a fingerprint names the user's request: every field counts, and fields cannot run together")
    func fingerprint() {
        let base = JobRequest(
            provider: "openai", baseURL: "http://x/v1", model: "sora-2", size: "1280x720", seconds: "4", prompt: "p", input: "/a.jpg",
            referenceSHA256: "ab")
        var variants: [JobRequest] = []
        var changed = base
        changed.prompt = "q"; variants.append(changed)
        changed = base; changed.model = "sora-2-pro"; variants.append(changed)
        changed = base; changed.seconds = "8"; variants.append(changed)
        changed = base; changed.size = "720x1280"; variants.append(changed)
        changed = base; changed.referenceSHA256 = "cd"; variants.append(changed)
        changed = base; changed.baseURL = "http://y/v1"; variants.append(changed)
        changed = base; changed.action = .remix(of: "video_1"); variants.append(changed)
        changed = base; changed.action = .extend(of: "video_1"); variants.append(changed)
        changed = base; changed.action = .extend(of: "video_2"); variants.append(changed)
        changed = base; changed.action = .edit(of: "video_1"); variants.append(changed)
        changed = base; changed.prompt = ""; changed.input = "p/a.jpg"; variants.append(changed)
        #expect(Set(variants.map(\.fingerprint) + [base.fingerprint]).count == variants.count + 1)
        #expect(base.fingerprint == base.fingerprint && base.fingerprint.count == 64)
    }
}

@Suite("job engine causes")
struct JobEngineCauseTests {
    @Test("the library states causes and names no flag; the command line words them")
    func causes() throws {
        let folder = Paths.temporaryFolder()
        let existing = folder.file("v.mp4")
        #expect(FileManager.default.createFile(atPath: existing, contents: Data("mine".utf8)))
        let engine = JobEngine(
            dialect: OpenAIDialect(configuration: try VideosConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: "k")),
            journal: JobJournal(path: folder.file("state/jobs.jsonl")))
        do {
            try engine.download("video_1", variant: .video, to: existing, replacing: false)
            Issue.record("an existing file was not refused")
        } catch {
            #expect(error.cause == .outputExists(path: existing) && error.exitStatus == .cannotCreateOutput)
            #expect(!error.description.contains("--"), "\(error.description)")
        }
        #expect(engine.deadlineError(id: "video_1").cause == .resumable(id: "video_1"))
        #expect(!engine.deadlineError(id: "video_1").description.contains("soraimg"))
    }
}
