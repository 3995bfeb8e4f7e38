import Foundation
import SoraImg

/// A Gemini API `POST /v1beta/models/{model}:predictLongRunning` body for Veo that passed the
/// checks: the shape google-genai 2.34.0 writes for the Developer API (`instances[0].prompt`,
/// `instances[0].image {bytesBase64Encoded, mimeType}`, `parameters {aspectRatio, resolution,
/// durationSeconds}`).
struct GeminiRequest: Sendable {
    let model: String
    let prompt: String
    let seconds: Int
    let size: VideoSize
    let image: ReferenceImage?

    /// The Veo models served: the one in Google's video docs sample, and its fast variant.
    static let models = ["veo-3.1-generate-preview", "veo-3.1-fast-generate-preview"]

    /// The pixel size of each `resolution` at each `aspectRatio`. Google does not publish them:
    /// assumed, the usual 720p/1080p frames (OpenRouter lists 1280x720 and 1920x1080 for Veo 3.1).
    static let assumedPixels: [String: [String: VideoSize]] = [
        "720p": ["16:9": VideoSize(width: 1280, height: 720), "9:16": VideoSize(width: 720, height: 1280)],
        "1080p": ["16:9": VideoSize(width: 1920, height: 1080), "9:16": VideoSize(width: 1080, height: 1920)],
    ]

    init(model: String, _ request: HTTPRequest, rejectingFaces: Bool) throws(APIError) {
        guard Self.models.contains(model) else {
            throw APIError(
                status: 404,
                message: "models/\(model) is not found for API version v1beta, or is not supported for predictLongRunning. The sandbox serves \(Self.models.joined(separator: ", ")).")
        }
        self.model = model
        guard let body = JSONValue.parse(request.body), case .object = body else { throw Self.invalid("Invalid JSON payload received: expected an object.") }
        guard case .array(let instances)? = body["instances"], let instance = instances.first, case .object = instance else {
            throw Self.invalid("instances must be a list holding one instance object.")
        }
        guard case .string(let prompt)? = instance["prompt"], !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Self.invalid("instances[0].prompt is required: a non-empty string.")
        }
        self.prompt = prompt
        let parameters = body["parameters"] ?? .object([])
        let aspect = try Self.choice(parameters["aspectRatio"], "aspectRatio", ["16:9", "9:16"], default: "16:9")
        let resolution = try Self.choice(parameters["resolution"], "resolution", ["720p", "1080p"], default: "720p")
        switch parameters["durationSeconds"] {
        case nil, .null?: seconds = 8
        case .int(let value)? where [4, 6, 8].contains(value): seconds = value
        case let value?: throw Self.invalid("durationSeconds must be 4, 6 or 8, not \(value.serialized()).")
        }
        // Whether 1080p needs 8 seconds is not documented by Google (a third-party gateway says
        // so); the sandbox assumes it does, the reading that never fails a client on the service.
        if resolution == "1080p" && seconds != 8 {
            throw Self.invalid("resolution 1080p needs durationSeconds 8, not \(seconds).")
        }
        size = Self.assumedPixels[resolution]![aspect]!
        image = try Self.image(instance["image"], size: size, rejectingFaces: rejectingFaces)
    }

    /// `instances[0].image`: `{bytesBase64Encoded, mimeType}`, raw base64 (no `data:` prefix),
    /// exactly the size asked for. The `inlineData` form is refused in the service's words, as
    /// reported by the fixes in nodetool-ai/nodetool and vercel/ai.
    private static func image(_ value: JSONValue?, size: VideoSize, rejectingFaces: Bool) throws(APIError) -> ReferenceImage? {
        guard let value, value != .null else { return nil }
        if value["inlineData"] != nil || value["inline_data"] != nil { throw invalid("`inlineData` isn't supported by this model.") }
        guard case .string(let base64)? = value["bytesBase64Encoded"], case .string(let mimeType)? = value["mimeType"] else {
            throw invalid("instances[0].image needs bytesBase64Encoded (the image as base64) and mimeType.")
        }
        guard !base64.hasPrefix("data:"), let bytes = Data(base64Encoded: base64) else {
            throw invalid("instances[0].image.bytesBase64Encoded is not base64 (send the bytes alone, without a data: prefix).")
        }
        do {
            return try ReferenceImage.check(bytes: Array(bytes), filename: nil, contentType: mimeType.lowercased(), size: size, rejectingFaces: rejectingFaces)
        } catch {
            switch error {
            case .unsupportedType(let type): throw invalid("Unsupported MIME type for instances[0].image: \(type). Use image/jpeg, image/png or image/webp.")
            case .undecodable: throw invalid("instances[0].image could not be decoded as an image.")
            case .wrongSize(let actual):
                throw invalid("instances[0].image is \(actual.width)x\(actual.height) but the video is \(size.width)x\(size.height); the image must match the requested size.")
            case .face: throw invalid("instances[0].image shows a human face, which this sandbox was told to refuse (reject-faces).")
            }
        }
    }

    private static func choice(_ value: JSONValue?, _ name: String, _ allowed: [String], default fallback: String) throws(APIError) -> String {
        switch value {
        case nil, .null?: return fallback
        case .string(let text)? where allowed.contains(text): return text
        case let value?: throw invalid("\(name) must be one of \(allowed.joined(separator: ", ")), not \(value.serialized()).")
        }
    }

    static func invalid(_ message: String) -> APIError {
        APIError(status: 400, message: message)
    }
}
