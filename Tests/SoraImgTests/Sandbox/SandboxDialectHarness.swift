import Foundation
import SoraImgSandbox
import Testing

/// What the OpenRouter and Gemini dialect tests share: a sandbox of a dialect, JSON bodies, and
/// the prepared reference image in the forms those APIs carry it.
extension Sandbox {
    convenience init(_ dialect: SandboxDialect, _ faults: SandboxFault..., jobSeconds: Double = 0, key: String? = nil) throws {
        try self.init(SandboxConfiguration(key: key, jobSeconds: jobSeconds, faults: faults, dialect: dialect))
    }

    /// A JSON request to `server.baseURL + path` with the Gemini key header (or none).
    func gemini(_ method: String, _ path: String, key: String? = Sandbox.key, json: [String: Any]? = nil) async throws -> Reply {
        try await send(
            method, path, key: nil, headers: key.map { ["x-goog-api-key": $0] } ?? [:],
            body: try json.map { try JSONSerialization.data(withJSONObject: $0) }, contentType: json == nil ? nil : "application/json")
    }

    /// A JSON request to `server.baseURL + path` with a Bearer key (or none): OpenRouter's.
    func openRouter(_ method: String, _ path: String, key: String? = Sandbox.key, json: [String: Any]? = nil) async throws -> Reply {
        try await send(
            method, path, key: key, body: try json.map { try JSONSerialization.data(withJSONObject: $0) },
            contentType: json == nil ? nil : "application/json")
    }
}

extension Reply {
    /// The `error.code` number OpenRouter and Gemini bodies carry (the HTTP status).
    var errorNumber: Int? { error["code"] as? Int }
    /// Gemini's `error.status` (`INVALID_ARGUMENT`, ...).
    var errorStatus: String? { error["status"] as? String }
}

enum DialectBodies {

    /// The prepared 1280x720 JPEG as a data URL.
    static let landscapeDataURL = "data:image/jpeg;base64," + Data(ReferenceImages.landscape).base64EncodedString()

    /// An OpenRouter create for google/veo-3.1 with the landscape image as its first frame.
    static func openRouter(
        model: String = "google/veo-3.1", duration: Any = 8, resolution: String? = "720p", aspect: String? = "16:9", size: String? = nil,
        frameURL: String? = landscapeDataURL, frameType: String = "first_frame"
    ) -> [String: Any] {
        var body: [String: Any] = ["model": model, "prompt": "waves roll in", "duration": duration]
        if let resolution { body["resolution"] = resolution }
        if let aspect { body["aspect_ratio"] = aspect }
        if let size { body["size"] = size }
        if let frameURL { body["frame_images"] = [["type": "image_url", "image_url": ["url": frameURL], "frame_type": frameType]] }
        return body
    }

    /// A Gemini create body as google-genai 2.34.0 writes it, with the landscape image.
    static func gemini(aspect: String = "16:9", resolution: String = "720p", seconds: Any = 8, image: [String: Any]? = nil) -> [String: Any] {
        let image = image ?? ["bytesBase64Encoded": Data(ReferenceImages.landscape).base64EncodedString(), "mimeType": "image/jpeg"]
        return [
            "instances": [["prompt": "waves roll in", "image": image]],
            "parameters": ["aspectRatio": aspect, "resolution": resolution, "durationSeconds": seconds, "sampleCount": 1],
        ]
    }

    static let geminiCreate = "/models/veo-3.1-generate-preview:predictLongRunning"
}
