import Foundation

/// One video job: what was asked for, when, and how it ends. Its status is not stored but
/// computed from the time elapsed, so a job advances without any timer thread.
struct VideoJob: Sendable {
    let id: String
    let model: String
    let size: String
    let seconds: String
    let prompt: String
    let remixedFrom: String?
    /// Wall-clock creation time, for `created_at`.
    let createdAt: Double
    /// Monotonic creation time, for progress (immune to clock changes).
    let started: ContinuousClock.Instant
    /// How long the job takes to finish.
    let duration: Double
    /// How it fails when it finishes, if it does (the `fail-job` fault).
    let failure: JobFailure?
    /// How many extensions made it from the original video (0 for one not extended).
    var extensions = 0

    enum Phase: String {
        case queued
        case inProgress = "in_progress"
        case completed
        case failed
    }

    /// The phase and progress (0–100) at `now`: queued for the first tenth of the job time,
    /// then in progress rising to 99, then completed (or failed) at 100.
    func phase(at now: ContinuousClock.Instant) -> (phase: Phase, progress: Int) {
        let elapsed = (now - started) / .seconds(1)
        if elapsed >= duration { return (failure == nil ? .completed : .failed, 100) }
        let queuedFor = duration / 10
        guard elapsed >= queuedFor else { return (.queued, 0) }
        return (.inProgress, min(99, Int((elapsed - queuedFor) / (duration - queuedFor) * 100)))
    }

    /// Whether the job has finished successfully, so its content exists.
    func isCompleted(at now: ContinuousClock.Instant) -> Bool {
        phase(at: now).phase == .completed
    }

    /// How long finished content stays downloadable, as `expires_at` says.
    static let contentLifetime = 3600

    /// The video object the API returns, at `now`.
    func object(at now: ContinuousClock.Instant) -> JSONValue {
        object(phase(at: now))
    }

    /// The object a create answers with: always queued, even when the job time is 0 (such a
    /// job completes at the first poll, as `--job-seconds 0` promises).
    var createdObject: JSONValue { object((.queued, 0)) }

    private func object(_ state: (phase: Phase, progress: Int)) -> JSONValue {
        let (phase, progress) = state
        let finished = phase == .completed || phase == .failed
        let completedAt = finished ? Int((createdAt + duration).rounded()) : nil
        return .object([
            ("id", .string(id)),
            ("object", "video"),
            ("model", .string(model)),
            ("status", .string(phase.rawValue)),
            ("progress", .int(progress)),
            ("created_at", .int(Int(createdAt))),
            ("completed_at", .optional(completedAt)),
            ("expires_at", .optional(phase == .completed ? completedAt.map { $0 + Self.contentLifetime } : nil)),
            ("size", .string(size)),
            ("seconds", .string(seconds)),
            ("prompt", .string(prompt)),
            ("remixed_from_video_id", .optional(remixedFrom)),
            ("error", phase == .failed ? failure?.object ?? .null : .null),
        ])
    }
}

/// Why a job failed: a code and the service's message for it.
struct JobFailure: Sendable {
    let code: String
    let message: String

    init(code: String) {
        self.code = code
        switch code {
        case "moderation_blocked": message = "Your request was blocked by our moderation system."
        case "input_moderation": message = "The reference image was rejected by our moderation system."
        default: message = "Video generation failed (\(code))."
        }
    }

    var object: JSONValue { .object([("code", .string(code)), ("message", .string(message))]) }
}

/// Random identifiers in the service's shapes.
enum Identifier {
    /// `video_` and 24 hex digits.
    static func video() -> String { "video_" + hex(bytes: 12) }
    /// `gen-vid-<unix seconds>-<20 alphanumerics>`, the job id format openrouter 1.3.84
    /// documents on `VideoGenerationResponse.id`.
    static func openRouterJob() -> String {
        "gen-vid-\(Int(Date.now.timeIntervalSince1970))-" + alphanumerics(20, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    }
    /// 12 lowercase letters and digits: the last segment of a Gemini operation name.
    static func operation() -> String { alphanumerics(12, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789") }
    /// `file-` and 24 hex digits, for `POST /v1/files`.
    static func file() -> String { "file-" + hex(bytes: 12) }
    /// `req_` and 32 hex digits, for `x-request-id`.
    static func request() -> String { "req_" + hex(bytes: 16) }

    private static func alphanumerics(_ count: Int, alphabet: String) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in characters.randomElement(using: &generator)! })
    }

    private static func hex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
