import Testing

@testable import SoraImgSandbox

/// Job timing as a pure function of elapsed time, without a server or a clock to wait on.
@Suite("Sandbox: job timing")
struct SandboxJobTimingTests {
    private func job(duration: Double, failure: JobFailure? = nil) -> (VideoJob, ContinuousClock.Instant) {
        let start = ContinuousClock.now
        let job = VideoJob(
            id: "video_1", model: "sora-2", size: "720x1280", seconds: "4", prompt: "p", remixedFrom: nil,
            createdAt: 1_700_000_000, started: start, duration: duration, failure: failure)
        return (job, start)
    }

    @Test("queued for the first tenth, then in_progress rising to 99, then completed at 100")
    func phases() {
        let (job, start) = job(duration: 10)
        let at = { (seconds: Double) in job.phase(at: start + .milliseconds(Int(seconds * 1000))) }
        #expect(at(0) == (.queued, 0))
        #expect(at(0.99) == (.queued, 0))
        #expect(at(1) == (.inProgress, 0))
        #expect(at(5.5) == (.inProgress, 50))
        #expect(at(9.99) == (.inProgress, 99))
        #expect(at(10) == (.completed, 100))
        #expect(at(1000) == (.completed, 100))
    }

    @Test("no job time: completed at once; a failure ends failed")
    func edges() {
        let (instant, start) = job(duration: 0)
        #expect(instant.phase(at: start) == (.completed, 100))
        let (failing, failStart) = job(duration: 1, failure: JobFailure(code: "moderation_blocked"))
        #expect(failing.phase(at: failStart + .seconds(2)) == (.failed, 100))
        #expect(failing.phase(at: failStart + .milliseconds(500)).phase == .inProgress)
    }

    @Test("completed_at is creation plus job time, and the content expires an hour later")
    func timestamps() {
        let (job, start) = job(duration: 4)
        let object = job.object(at: start + .seconds(5))
        #expect(object["completed_at"] == .int(1_700_000_004))
        #expect(object["expires_at"] == .int(1_700_003_604))
        #expect(object["status"] == "completed")
        #expect(job.createdObject["status"] == "queued")
        #expect(job.createdObject["completed_at"] == .null)
    }
}
