import Foundation
import SoraImg

/// The Gemini API's Veo protocol under `/v1beta`: a long-running `predictLongRunning`
/// operation, polled by its name, and the video downloaded from the Files API. No job list,
/// no delete: google-genai 2.34.0 offers neither for video operations.
extension SandboxAPI {
    func routeGemini(_ request: HTTPRequest, _ components: [String]) throws(APIError) -> HTTPReply {
        try authenticateGemini(request)
        let rest = components.first == "v1beta" ? Array(components.dropFirst()) : []
        switch (request.method, rest.first, rest.count) {
        case ("POST", "models", 2) where rest[1].hasSuffix(":predictLongRunning"):
            return try createGemini(model: String(rest[1].dropLast(":predictLongRunning".count)), request)
        case ("GET", "models", 4) where rest[2] == "operations":
            return .response(try operationGemini(model: rest[1], id: rest[3]))
        case ("GET", "files", 2) where rest[1].hasSuffix(":download"):
            return .response(try downloadGemini(fileID: String(rest[1].dropLast(":download".count)), alt: request.query["alt"]))
        default:
            throw APIError(status: 404, message: "Method not found: \(request.method) \(request.path).")
        }
    }

    /// The key in `x-goog-api-key` (what google-genai 2.34.0 sends) or the `key` query parameter
    /// (which Google APIs take as well, per Google Cloud's "system parameters" page). The
    /// statuses are the service's: 403 PERMISSION_DENIED without a key, 400 INVALID_ARGUMENT for
    /// a wrong one (not 401).
    private func authenticateGemini(_ request: HTTPRequest) throws(APIError) {
        let presented = request.headers["x-goog-api-key"].flatMap { $0.isEmpty ? nil : $0 } ?? request.query["key"].flatMap { $0.isEmpty ? nil : $0 }
        guard let presented else {
            throw APIError(
                status: 403,
                message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
        }
        // The message never repeats the key: error bodies end up in logs.
        if let key, presented != key { throw APIError(status: 400, message: "API key not valid. Please pass a valid API key.") }
    }

    /// `POST /v1beta/models/{model}:predictLongRunning`: 200 with the operation's name.
    private func createGemini(model: String, _ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        let video = try GeminiRequest(model: model, request, rejectingFaces: faults.rejectFaces)
        let job = newJob(prompt: video.prompt, model: video.model, size: video.size.description, seconds: String(video.seconds))
        let upload = UploadRecord(
            videoID: job.id, prompt: job.prompt, model: job.model, seconds: job.seconds, size: job.size, reference: video.image)
        guard store.add(job, upload: upload, unlessRunning: faults.runningLimit) else {
            throw Self.tooManyRunning(limit: faults.runningLimit ?? 0)
        }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        return .response(.json(200, .object([("name", .string(Self.operationName(job)))])))
    }

    /// `GET /v1beta/models/{model}/operations/{id}`.
    private func operationGemini(model: String, id: String) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorStatuses) { throw APIError(status: 500, message: "Internal error encountered.") }
        guard let job = store.job(id), job.model == model else {
            throw APIError(status: 404, message: "Operation models/\(model)/operations/\(id) not found.")
        }
        return .json(200, geminiOperation(job, at: .now))
    }

    /// `GET /v1beta/files/{id}:download?alt=media`: the MP4 of a finished operation.
    private func downloadGemini(fileID: String, alt: String?) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorContents) { throw APIError(status: 503, message: "The service is currently unavailable.") }
        guard alt == "media" else { throw APIError(status: 400, message: "Downloading a file needs alt=media.") }
        guard let job = store.job(fileID: fileID, fileIDOf: Self.fileID), job.phase(at: .now).phase == .completed, !faults.raiFilter else {
            throw APIError(status: 404, message: "File files/\(fileID) not found.")
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "video/mp4")], body: SandboxContentData.video)
    }

    /// The operation at `now`: `{name}` while running; `done: true` with `response` (the video's
    /// `uri` on this origin), or `error` (`fail-job`), or a response without samples but with
    /// `raiMediaFilteredCount` and `raiMediaFilteredReasons` (`rai-filter`), as google-genai
    /// 2.34.0's `_GenerateVideosOperation_from_mldev` reads them.
    func geminiOperation(_ job: VideoJob, at now: ContinuousClock.Instant) -> JSONValue {
        let name: JSONValue = .string(Self.operationName(job))
        let phase = job.phase(at: now).phase
        guard phase == .completed || phase == .failed else { return .object([("name", name)]) }
        var members: [(key: String, value: JSONValue)] = [("name", name), ("done", true)]
        if phase == .failed, let failure = job.failure {
            let error = Self.googleError(failure)
            if case .string(let message)? = error["message"] {
                members.append(("error", error.replacing("message", with: .string(disguised(message)))))
            } else {
                members.append(("error", error))
            }
            return .object(members)
        }
        let videoResponse: JSONValue
        if faults.raiFilter {
            videoResponse = .object([
                ("raiMediaFilteredCount", 1),
                (
                    "raiMediaFilteredReasons",
                    .array([
                        "We encountered an issue with the image or prompt you provided. The sandbox was told to filter every video (rai-filter). You will not be charged for this request."
                    ])
                ),
            ])
        } else {
            let uri = published.origin + "/v1beta/files/" + Self.fileID(job.id) + ":download?alt=media"
            videoResponse = .object([("generatedSamples", .array([.object([("video", .object([("uri", .string(uri))]))])]))])
        }
        members.append(
            ("response", .object([("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse"), ("generateVideoResponse", videoResponse)])))
        if faults.completedWithError {
            members.append(("error", .object([("code", 13), ("message", "Internal error while generating the video."), ("status", "INTERNAL")])))
        }
        return .object(members)
    }

    /// `models/{model}/operations/{id}`, the operation's name and the job id a user sees.
    static func operationName(_ job: VideoJob) -> String {
        "models/\(job.model)/operations/\(job.id)"
    }

    /// The file id of a job's video: lowercase letters and digits, which is all google-genai
    /// 2.34.0's `files.download` extracts from a URI (`[a-z0-9]+` after `files/`). An id of
    /// other characters (`chosen-id`) is spelt as `x` and the hex of its bytes.
    static func fileID(_ id: String) -> String {
        if !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) { return id }
        return "x" + id.utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// A failed operation's `error`: a `google.rpc.Status` (`code` the canonical number,
    /// `message`) with the canonical `status` name beside it. `fail-job:CODE` takes a number
    /// (`3`), a name (`INVALID_ARGUMENT`), or any other word, which fails as INTERNAL with the
    /// word in the message.
    static func googleError(_ failure: JobFailure) -> JSONValue {
        let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
            "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ]
        let number = Int(failure.code).flatMap { names.indices.contains($0) ? $0 : nil } ?? names.firstIndex(of: failure.code) ?? 13
        let message = number == 13 && failure.code != "13" && failure.code != "INTERNAL" ? "Video generation failed (\(failure.code))." : "Video generation failed."
        return .object([("code", .int(number)), ("message", .string(message)), ("status", .string(names[number]))])
    }
}
