/// The faults of a hostile server: answers that are well-formed HTTP and JSON but say things a
/// client must not trust blindly (ids that are paths or terminal escapes, absurd progress,
/// another model or prompt than asked, another client's job, a completed job with an error).
/// Job objects pass through `answer` on their way out, so each fault is applied in one place.
extension SandboxAPI {
    /// What ESC and BEL sequences the `control-chars` fault wraps around text: red, then reset,
    /// then the terminal bell.
    static let escapeOpen = "\u{1B}[31m"
    static let escapeClose = "\u{1B}[0m\u{07}"

    /// The message a job finished `completed` carries under `completed-with-error`.
    static let completedError = JSONValue.object([
        ("code", "internal_error"),
        ("message", "The server had an error while generating this video."),
    ])

    /// `job` as an answer shows it at `now`, or as a create answers when `now` is nil, after
    /// `echo-model`, `echo-prompt`, `progress`, `completed-with-error` and `control-chars`.
    func answer(_ job: VideoJob, at now: ContinuousClock.Instant? = nil) -> JSONValue {
        var object = now.map { job.object(at: $0) } ?? job.createdObject
        if let model = faults.echoModel { object = object.replacing("model", with: .string(model)) }
        if let prompt = faults.echoPrompt { object = object.replacing("prompt", with: .string(prompt)) }
        if let progress = faults.progress { object = object.replacing("progress", with: progress) }
        if faults.completedWithError, object["status"] == "completed" { object = object.replacing("error", with: Self.completedError) }
        if faults.controlChars {
            if case .string(let status)? = object["status"] { object = object.replacing("status", with: .string(Self.escaped(status))) }
            if case .string(let message)? = object["error"]?["message"], let error = object["error"] {
                object = object.replacing("error", with: error.replacing("message", with: .string(Self.escaped(message))))
            }
        }
        return object
    }

    /// An error answer, its message wrapped in escapes under `control-chars`.
    func disguised(_ error: APIError) -> APIError {
        guard faults.controlChars else { return error }
        var error = error
        error.message = Self.escaped(error.message)
        return error
    }

    /// `text` wrapped in escapes under `control-chars`, else as it is.
    func disguised(_ text: String) -> String {
        faults.controlChars ? Self.escaped(text) : text
    }

    private static func escaped(_ text: String) -> String {
        escapeOpen + text + escapeClose
    }
}

extension VideoJob {
    /// The same request made an hour earlier under another id, as another client sharing the
    /// key would have made it (`foreign-job`): by now it has long finished.
    func olderTwin() -> VideoJob {
        VideoJob(
            id: Identifier.video(), model: model, size: size, seconds: seconds, prompt: prompt, remixedFrom: nil,
            createdAt: createdAt - 3600, started: started - .seconds(3600), duration: duration, failure: nil)
    }
}

extension Identifier {
    /// A video id wrapped in a colour escape and a bell (`control-chars`), still unique.
    static func escapedVideo() -> String {
        SandboxAPI.escapeOpen + video() + "\u{07}"
    }
}

extension JSONValue {
    /// This object with member `key` set to `value` in place (appended when absent); any other
    /// value is returned unchanged.
    func replacing(_ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}
