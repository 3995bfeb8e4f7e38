/// `GET /v1/videos/{id}/content`: the embedded MP4, WebP thumbnail or JPEG spritesheet.
extension SandboxAPI {
    /// The variants the service offers, their MIME types and the bytes served for each.
    static let variants: [(name: String, contentType: String, bytes: [UInt8])] = [
        ("video", "video/mp4", SandboxContentData.video),
        ("thumbnail", "image/webp", SandboxContentData.thumbnail),
        ("spritesheet", "image/jpeg", SandboxContentData.spritesheet),
    ]

    func content(_ id: String, variant name: String?) throws(APIError) -> HTTPResponse {
        if store.takeFault(\.errorContents) {
            throw APIError(status: 503, message: "The service is temporarily unavailable. Please try again later.", type: "server_error")
        }
        let name = name ?? "video"
        guard let variant = Self.variants.first(where: { $0.name == name }) else {
            throw APIError.invalidValue("variant", name, allowed: Self.variants.map(\.name))
        }
        guard let job = store.job(id) else { throw APIError.videoNotFound(id) }
        // No documented answer for content that is not ready was found; 404 with its own code
        // lets a client tell "not yet" from "no such video".
        let phase = job.phase(at: .now).phase
        guard phase == .completed else {
            let message =
                phase == .failed
                ? "Video '\(id)' has status 'failed', so it has no content."
                : "Video '\(id)' has status '\(phase.rawValue)', so it has no content yet; download it once its status is 'completed'."
            throw APIError(status: 404, message: message, param: "video_id", code: "video_not_ready")
        }
        if faults.expire {
            throw APIError(status: 404, message: "The content for this video has expired.", param: "video_id", code: "video_expired")
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", variant.contentType)], body: variant.bytes)
    }
}
