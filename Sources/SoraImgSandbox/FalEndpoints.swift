import Foundation
import SoraImg

/// Which fal requests the faults tell apart. The queue sits at the origin root, beside
/// storage (`/storage/...`), the CDN's files (`/files/...`) and the sandbox's own reports.
enum FalRoutes {
    static func endpoint(method: String, components rest: [String]) -> SandboxEndpoint? {
        switch (method, rest.first, rest.count) {
        case (_, "sandbox", _): return nil
        case (_, "storage", _): return .other
        case ("GET", "files", 3) where FalRoutes.isVideoFile(rest[1]): return .content
        case (_, "files", _): return .other
        case ("POST", _, 2...): return .create
        case ("GET", _, 5) where rest[2] == "requests" && rest[4] == "status": return .status
        default: return .other
        }
    }

    /// A video's file id on the CDN: `v` and the hex of the job id's bytes (any chosen id fits
    /// in one path segment); uploaded files have plain hex ids.
    static func videoFileID(_ id: String) -> String { "v" + id.utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }

    static func isVideoFile(_ segment: String) -> Bool { segment.hasPrefix("v") }
}

/// fal's queue API (fal.ai/docs/api-reference/inference-api): `POST /{model_id}` answers
/// `request_id` with `status_url`, `response_url` and `cancel_url` under `/{owner}/{app}/requests/
/// {id}` (the model's subpath left out, as fal's docs say); statuses `IN_QUEUE` (with
/// `queue_position`), `IN_PROGRESS` and `COMPLETED` (with `logs`, which fal-client 1.0.3 reads
/// unconditionally); a failed job is `COMPLETED` with `error` and `error_type`, and its result
/// answers the model's error. The key is `Authorization: Key KEY`; storage uploads and the
/// CDN's files follow fal's two client protocols (`FalStorage`).
extension SandboxAPI {
    /// The models served and what each takes (fal-js `endpoints.ts` @ 381105e).
    private static let falVeo = "fal-ai/veo3.1/image-to-video"
    private static let falKling = "fal-ai/kling-video/v3/pro/image-to-video"

    func routeFal(_ request: HTTPRequest, _ rest: [String]) throws(APIError) -> HTTPReply {
        switch (request.method, rest.first, rest.count) {
        case ("POST", "storage", 3) where rest[1] == "upload" && rest[2] == "initiate":
            try authenticateFal(request)
            return .response(try initiateUpload(request))
        case ("PUT", "storage", 4) where rest[1] == "upload" && rest[2] == "signed":
            return .response(try signedUpload(token: rest[3], request))
        case ("POST", "storage", 3) where rest[1] == "auth" && rest[2] == "token":
            try authenticateFal(request)
            return .response(cdnToken())
        case ("POST", "files", 2) where rest[1] == "upload":
            return .response(try directUpload(request))
        case ("GET", "files", 3):
            return .response(try falFile(rest[1]))
        case ("GET", _, 5) where rest[2] == "requests" && rest[4] == "status":
            try authenticateFal(request)
            return .response(try falStatus(app: rest[0] + "/" + rest[1], id: rest[3]))
        case ("GET", _, 4) where rest[2] == "requests":
            try authenticateFal(request)
            return .response(try falResult(app: rest[0] + "/" + rest[1], id: rest[3]))
        case ("PUT", _, 5) where rest[2] == "requests" && rest[4] == "cancel":
            try authenticateFal(request)
            return .response(try falCancel(app: rest[0] + "/" + rest[1], id: rest[3]))
        case ("POST", _, 2...):
            try authenticateFal(request)
            return try submitFal(model: rest.joined(separator: "/"), request)
        default:
            throw APIError(status: 404, message: "Not Found (\(request.method) \(request.path))")
        }
    }

    /// The token of `Authorization: Key TOKEN`; nil when absent or empty.
    static func falKey(_ request: HTTPRequest) -> String? {
        guard let authorization = request.headers["authorization"] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0] == "Key" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    private func authenticateFal(_ request: HTTPRequest) throws(APIError) {
        guard let presented = Self.falKey(request) else {
            throw APIError(status: 401, message: "Missing or malformed credentials: send Authorization: Key YOUR_FAL_KEY.")
        }
        // The message never repeats the key: error bodies end up in logs.
        if let key, presented != key { throw APIError(status: 401, message: "Invalid key. This sandbox accepts only the key it was started with (--key).") }
    }

    // MARK: Storage

    /// Protocol A: `POST /storage/upload/initiate?storage_type=fal-cdn-v3` (or `gcs`, as
    /// fal-client's fallback asks) with `{content_type, file_name}`: a signed upload URL and the
    /// file's public URL.
    private func initiateUpload(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard let body = JSONValue.parse(request.body), case .object = body, case .string(let type)? = body["content_type"] else {
            throw APIError(status: 422, message: "content_type is required.", param: "content_type", code: "missing")
        }
        var name = "upload.bin"
        if case .string(let given)? = body["file_name"], Self.isFileName(given) { name = given }
        let (token, fileID) = falStorage.open(name: name, contentType: type)
        return .json(200, .object([
            ("upload_url", .string(published.origin + "/storage/upload/signed/" + token + "?signature=" + FalStorage.newID())),
            ("file_url", .string(published.origin + "/files/" + fileID + "/" + name)),
        ]))
    }

    /// The signed `PUT`: the signature is the credential. An `Authorization` header is taken
    /// (fal-client 1.0.3 sends its key here) but noted, so tests can tell who sent one.
    private func signedUpload(token: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard request.query["signature"] != nil,
            falStorage.complete(token: token, bytes: request.body, contentType: request.mediaType, authorized: request.headers["authorization"] != nil) != nil
        else {
            throw APIError(status: 403, message: "The signed upload URL is not valid (unknown, used already, or without its signature).")
        }
        return HTTPResponse(status: 200)
    }

    /// Protocol B: `POST /storage/auth/token?storage_type=fal-cdn-v3` gives a token for the CDN.
    private func cdnToken() -> HTTPResponse {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        // `+00:00` rather than `Z`: fal-client parses it with datetime.fromisoformat.
        let expires = formatter.string(from: Date().addingTimeInterval(3600)).replacingOccurrences(of: "Z", with: "+00:00")
        return .json(200, .object([
            ("token", .string(falStorage.issueToken())), ("token_type", "Bearer"), ("base_url", .string(published.origin)),
            ("expires_at", .string(expires)),
        ]))
    }

    /// Protocol B's upload: `POST /files/upload` with the token, the file's type and
    /// `X-Fal-File-Name`; answers `{access_url}`.
    private func directUpload(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard let token = Self.bearer(request), falStorage.isToken(token) else {
            throw APIError(status: 401, message: "A CDN token from /storage/auth/token is needed (Authorization: Bearer TOKEN).")
        }
        let given = request.headers["x-fal-file-name"] ?? "upload.bin"
        let name = Self.isFileName(given) ? given : "upload.bin"
        let id = falStorage.store(FalStorage.File(
            name: name, contentType: request.mediaType ?? "application/octet-stream", bytes: request.body, authorized: nil))
        return .json(200, .object([("access_url", .string(published.origin + "/files/" + id + "/" + name))]))
    }

    /// The CDN: public, no key. A video (`error-content` answers 503 there) or an uploaded file.
    private func falFile(_ id: String) throws(APIError) -> HTTPResponse {
        if FalRoutes.isVideoFile(id) {
            if store.takeFault(\.errorContents) { throw APIError(status: 503, message: "Service Unavailable") }
            guard let job = store.job(fileID: id, fileIDOf: FalRoutes.videoFileID), job.phase(at: .now).phase == .completed else {
                throw APIError(status: 404, message: "File not found.")
            }
            return HTTPResponse(status: 200, headers: [("Content-Type", "video/mp4")], body: SandboxContentData.video)
        }
        guard let file = falStorage.file(id) else { throw APIError(status: 404, message: "File not found.") }
        return HTTPResponse(status: 200, headers: [("Content-Type", file.contentType)], body: file.bytes)
    }

    private static func isFileName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name != "." && name != ".."
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    // MARK: Queue

    /// `POST /{model_id}`: the input validated as the model's schema has it, the image fetched
    /// from this sandbox's own storage and checked against the size asked for.
    private func submitFal(model: String, _ request: HTTPRequest) throws(APIError) -> HTTPReply {
        try rateLimit()
        guard model == Self.falVeo || model == Self.falKling else {
            throw APIError(status: 404, message: "Application '\(model)' not found. The sandbox serves \(Self.falVeo) and \(Self.falKling).")
        }
        guard let body = JSONValue.parse(request.body), case .object = body else {
            throw APIError(status: 422, message: "Input should be a valid JSON object.", param: "body", code: "model_attributes_type")
        }
        guard case .string(let prompt)? = body["prompt"], !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(status: 422, message: "Field required: a non-empty prompt.", param: "prompt", code: "missing")
        }
        let veo = model == Self.falVeo
        let imageField = veo ? "image_url" : "start_image_url"
        let durations = veo ? ["4s", "6s", "8s"] : (3...15).map(String.init)
        let duration = try Self.falChoice(body["duration"], "duration", durations, default: veo ? "8s" : "5")
        let file = try uploadedImage(body[imageField], field: imageField)
        let size: VideoSize
        if veo {
            let resolution = try Self.falChoice(body["resolution"], "resolution", ["720p", "1080p"], default: "720p")
            var aspect = try Self.falChoice(body["aspect_ratio"], "aspect_ratio", ["auto", "16:9", "9:16"], default: "auto")
            if aspect == "auto" { aspect = (try? Self.uprightSize(file.bytes))?.isPortrait == true ? "9:16" : "16:9" }
            size = GeminiRequest.assumedPixels[resolution]![aspect]!
        } else {
            // Kling's video follows the image: any upright size it takes (fal's Kling v4
            // page: 300 px a side at least, aspect 0.4 to 2.5).
            guard let upright = try? Self.uprightSize(file.bytes), min(upright.width, upright.height) >= 300,
                (0.4...2.5).contains(Double(upright.width) / Double(upright.height))
            else {
                throw APIError(status: 422, message: "The image must be at least 300 px a side, aspect 0.4 to 2.5.", param: imageField, code: "image_too_small")
            }
            size = upright
        }
        let reference: ReferenceImage
        do {
            reference = try ReferenceImage.check(
                bytes: file.bytes, filename: file.name, contentType: file.contentType, size: size, rejectingFaces: faults.rejectFaces)
        } catch {
            switch error {
            case .unsupportedType(let type): throw APIError(status: 422, message: "Unsupported file type \(type); use JPEG, PNG or WebP.", param: imageField, code: "invalid_file_type")
            case .undecodable: throw APIError(status: 422, message: "The image could not be decoded.", param: imageField, code: "invalid_image")
            case .wrongSize(let actual):
                throw APIError(
                    status: 422, message: "The image is \(actual.width)x\(actual.height) but the video is \(size.width)x\(size.height); the image must match the requested size.",
                    param: imageField, code: "image_size_mismatch")
            case .face: throw APIError(status: 422, message: "The image shows a human face, which this sandbox was told to refuse (reject-faces).", param: imageField, code: "content_policy_violation")
            }
        }
        let seconds = duration.hasSuffix("s") ? String(duration.dropLast()) : duration
        let job = newJob(prompt: prompt, model: model, size: size.description, seconds: seconds)
        var upload = UploadRecord(videoID: job.id, prompt: job.prompt, model: job.model, seconds: job.seconds, size: job.size, reference: reference)
        upload.uploadAuthorized = file.authorized
        guard store.add(job, upload: upload, unlessRunning: faults.runningLimit) else {
            throw Self.tooManyRunning(limit: faults.runningLimit ?? 0)
        }
        if store.takeFault(\.dropCreates) { return .dropConnection }
        var members = falHandles(job)
        members.append(("status", "IN_QUEUE"))
        members.append(("queue_position", 0))
        return .response(.json(200, .object(members)))
    }

    /// The image field: a URL of a file in this sandbox's own storage (the sandbox fetches
    /// nothing from elsewhere).
    private func uploadedImage(_ value: JSONValue?, field: String) throws(APIError) -> FalStorage.File {
        guard case .string(let url)? = value else {
            throw APIError(status: 422, message: "Field required: \(field), the URL of the image.", param: field, code: "missing")
        }
        let prefix = published.origin + "/files/"
        let rest = url.hasPrefix(prefix) ? url.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false) : []
        guard rest.count == 2, let file = falStorage.file(String(rest[0])) else {
            throw APIError(
                status: 422, message: "The sandbox fetches only files uploaded to its own storage (\(prefix)...); upload the image first.",
                param: field, code: "file_download_error")
        }
        return file
    }

    private static func uprightSize(_ bytes: [UInt8]) throws -> VideoSize {
        var headersOnly = PrepOptions()
        headersOnly.faces = .ignore
        return try ImageInspector.inspect(.bytes(bytes), options: headersOnly).source.upright
    }

    private static func falChoice(_ value: JSONValue?, _ name: String, _ allowed: [String], default fallback: String) throws(APIError) -> String {
        switch value {
        case nil, .null?: return fallback
        case .string(let text)? where allowed.contains(text): return text
        case let value?:
            throw APIError(
                status: 422, message: "Input should be \(allowed.map { "'\($0)'" }.joined(separator: ", ")), not \(value.serialized()).",
                param: name, code: "literal_error")
        }
    }

    /// `request_id` and the three URLs, under the model's owner and app.
    private func falHandles(_ job: VideoJob) -> [(key: String, value: JSONValue)] {
        let app = job.model.split(separator: "/").prefix(2).joined(separator: "/")
        let base = published.origin + "/" + app + "/requests/" + Self.pathSegment(job.id)
        return [
            ("request_id", .string(job.id)), ("response_url", .string(base)), ("status_url", .string(base + "/status")),
            ("cancel_url", .string(base + "/cancel")),
        ]
    }

    private func falJob(app: String, id: String) throws(APIError) -> VideoJob {
        guard let job = store.job(id), job.model.split(separator: "/").prefix(2).joined(separator: "/") == app else {
            throw APIError(status: 404, message: "Request \(id) not found.")
        }
        return job
    }

    /// What ended the job, when something did: the `fail-job` code, a cancel, or (the
    /// `completed-with-error` fault) an error beside a finished video.
    private func falError(_ job: VideoJob, phase: VideoJob.Phase) -> (message: String, type: String)? {
        if falStorage.isCancelled(job.id) { return ("The request was cancelled.", "request_cancelled") }
        if phase == .failed, let failure = job.failure { return (failure.message, failure.code) }
        if phase == .completed && faults.completedWithError { return ("The model failed while generating the video.", "internal_server_error") }
        return nil
    }

    /// `GET …/requests/{id}/status`.
    private func falStatus(app: String, id: String) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorStatuses) { throw APIError(status: 500, message: "Internal Server Error") }
        let job = try falJob(app: app, id: id)
        let phase = job.phase(at: .now).phase
        var members = falHandles(job)
        switch phase {
        case .queued where !falStorage.isCancelled(id):
            members += [("status", "IN_QUEUE"), ("queue_position", 0)]
            return .json(202, .object(members))
        case .inProgress where !falStorage.isCancelled(id):
            members += [("status", "IN_PROGRESS"), ("logs", .array([]))]
            return .json(202, .object(members))
        default:
            members += [("status", "COMPLETED"), ("logs", .array([])), ("metrics", .object([("inference_time", .double(job.duration))]))]
            if let error = falError(job, phase: phase) {
                members += [("error", .string(disguised(error.message))), ("error_type", .string(error.type))]
            }
            return .json(200, .object(members))
        }
    }

    /// `GET …/requests/{id}`: the model's output once completed; a failed model's error as
    /// the model answered it (422 with `detail`).
    private func falResult(app: String, id: String) throws(APIError) -> HTTPResponse {
        let job = try falJob(app: app, id: id)
        let phase = job.phase(at: .now).phase
        guard phase == .completed || phase == .failed || falStorage.isCancelled(id) else {
            throw APIError(status: 400, message: "Request is still in progress.")
        }
        if let error = falError(job, phase: phase), !(phase == .completed && faults.completedWithError && !falStorage.isCancelled(id)) {
            throw APIError(status: 422, message: disguised(error.message), param: "body", code: error.type, headers: [("X-Fal-Error-Type", error.type)])
        }
        let url = published.origin + "/files/" + FalRoutes.videoFileID(job.id) + "/output.mp4"
        return .json(200, .object([
            ("video", .object([
                ("url", .string(url)), ("content_type", "video/mp4"), ("file_name", "output.mp4"), ("file_size", .int(SandboxContentData.video.count)),
            ]))
        ]))
    }

    /// `PUT …/requests/{id}/cancel`: fal's words `CANCELLATION_REQUESTED`, `ALREADY_COMPLETED`,
    /// `NOT_FOUND`. Their HTTP codes are not documented: 202, 400 and 404 here.
    private func falCancel(app: String, id: String) throws(APIError) -> HTTPResponse {
        guard let job = try? falJob(app: app, id: id) else { return .json(404, .object([("status", "NOT_FOUND")])) }
        let phase = job.phase(at: .now).phase
        if phase == .completed || phase == .failed || falStorage.isCancelled(id) {
            return .json(400, .object([("status", "ALREADY_COMPLETED"), ("detail", "The request has already completed.")]))
        }
        falStorage.cancel(id)
        return .json(202, .object([("status", "CANCELLATION_REQUESTED")]))
    }
}
