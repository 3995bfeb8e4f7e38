import Foundation
import SoraImg

/// An OpenRouter `POST /api/v1/videos` body that passed the checks of OpenRouter's
/// `VideoGenerationRequest` (the OpenAPI spec in OpenRouterTeam/typescript-sdk and openrouter
/// 1.3.84's models): model, prompt, duration, the size, then the frame images.
struct OpenRouterRequest: Sendable {
    let model: OpenRouterModel
    let prompt: String
    let duration: Int
    let size: VideoSize
    /// The `first_frame` image, when one was sent.
    let firstFrame: ReferenceImage?

    init(_ request: HTTPRequest, rejectingFaces: Bool) throws(APIError) {
        guard request.mediaType == "application/json" else {
            throw Self.bad("Unsupported Content-Type '\(request.mediaType ?? "none")': send application/json.")
        }
        guard let body = JSONValue.parse(request.body), case .object = body else {
            throw Self.bad("The request body is not a JSON object.")
        }
        guard case .string(let modelName)? = body["model"] else { throw Self.bad("'model' is required: a string such as google/veo-3.1.") }
        guard let model = OpenRouterModel.named(modelName) else {
            throw Self.bad("'\(modelName)' is not a video model; GET /api/v1/videos/models lists them (\(OpenRouterModel.all.map(\.id).joined(separator: ", "))).")
        }
        self.model = model
        // The spec makes prompt optional only for image-only models; every model here needs one.
        guard case .string(let prompt)? = body["prompt"], !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Self.bad("'prompt' is required by \(model.id): a non-empty string.")
        }
        self.prompt = prompt
        switch body["duration"] {
        case nil, .null?: duration = model.defaultDuration
        case .int(let seconds)?:
            // OpenRouter's video skill: "An out-of-set value returns a 400".
            guard model.durations.contains(seconds) else {
                throw Self.bad("duration \(seconds) is not supported by \(model.id); supported durations: \(model.durations.map(String.init).joined(separator: ", ")).")
            }
            duration = seconds
        case let value?: throw Self.bad("'duration' must be an integer number of seconds, not \(value.typeDescription).")
        }
        size = try Self.size(body, model: model)
        firstFrame = try Self.frames(body["frame_images"], model: model, size: size, rejectingFaces: rejectingFaces)
    }

    /// The pixel size from `size` ("WxH") or `resolution` + `aspect_ratio` ("interchangeable"
    /// in the spec); when both are sent they must agree. With neither, 720p 16:9: Veo's default,
    /// assumed for OpenRouter, which documents no default.
    private static func size(_ body: JSONValue, model: OpenRouterModel) throws(APIError) -> VideoSize {
        let allowed = model.pixelSizes
        var fromSize: String?
        if let value = body["size"], value != .null {
            guard case .string(let text) = value, VideoSize(parsing: text) != nil else {
                throw bad("'size' must be a string \"WIDTHxHEIGHT\", such as \"1280x720\".")
            }
            guard allowed.contains(text) else { throw bad("size \(text) is not supported by \(model.id); supported sizes: \(allowed.joined(separator: ", ")).") }
            fromSize = text
        }
        let resolution = try optionalString(body["resolution"], "resolution")
        let aspect = try optionalString(body["aspect_ratio"], "aspect_ratio")
        var fromPair: String?
        if resolution != nil || aspect != nil || fromSize == nil {
            let resolution = resolution ?? "720p"
            let aspect = aspect ?? "16:9"
            if let supported = model.resolutions, !supported.contains(resolution) {
                throw bad("resolution \(resolution) is not supported by \(model.id); supported resolutions: \(supported.joined(separator: ", ")).")
            }
            if let supported = model.aspectRatios, !supported.contains(aspect) {
                throw bad("aspect_ratio \(aspect) is not supported by \(model.id); supported aspect ratios: \(supported.joined(separator: ", ")).")
            }
            guard let pixels = OpenRouterModel.assumedPixels[resolution]?[aspect], allowed.contains(pixels) else {
                throw bad("\(model.id) has no size for resolution \(resolution) at aspect_ratio \(aspect); send 'size', one of \(allowed.joined(separator: ", ")).")
            }
            fromPair = pixels
        }
        if let fromSize, let fromPair, fromSize != fromPair {
            throw bad("size \(fromSize) contradicts resolution and aspect_ratio (\(fromPair)); send one or the other.")
        }
        // One of the two is set: `fromPair` whenever `size` was absent.
        return VideoSize(parsing: fromSize ?? fromPair ?? "")!
    }

    /// Checks `frame_images`: each `{"type": "image_url", "image_url": {"url": DATA_URL},
    /// "frame_type": "first_frame" | "last_frame"}` that the model takes, each image exactly
    /// the size asked for. Returns the first frame.
    private static func frames(_ value: JSONValue?, model: OpenRouterModel, size: VideoSize, rejectingFaces: Bool) throws(APIError) -> ReferenceImage? {
        guard let value, value != .null else { return nil }
        guard case .array(let entries) = value else { throw bad("'frame_images' must be an array.") }
        var first: ReferenceImage?
        for (index, entry) in entries.enumerated() {
            let field = "frame_images[\(index)]"
            guard case .string(let frameType)? = entry["frame_type"], ["first_frame", "last_frame"].contains(frameType) else {
                throw bad("\(field).frame_type must be first_frame or last_frame.")
            }
            guard model.frameImages?.contains(frameType) == true else {
                throw bad("\(model.id) does not accept a \(frameType) image (supported_frame_images: \(model.frameImages?.joined(separator: ", ") ?? "none")).")
            }
            guard entry["type"] == "image_url", case .string(let url)? = entry["image_url"]?["url"] else {
                throw bad("\(field) must be {\"type\": \"image_url\", \"image_url\": {\"url\": ...}, \"frame_type\": ...}.")
            }
            // OpenRouter's video skill documents data URLs here; the sandbox fetches nothing.
            guard let decoded = ReferenceImage.decodeDataURL(url) else {
                throw bad("\(field).image_url.url must be a base64 data URL (data:image/jpeg;base64,...); the sandbox does not fetch URLs.")
            }
            let image: ReferenceImage
            do {
                image = try ReferenceImage.check(bytes: decoded.bytes, filename: nil, contentType: decoded.contentType, size: size, rejectingFaces: rejectingFaces)
            } catch {
                switch error {
                case .unsupportedType(let type): throw bad("\(field) has type \(type); send image/jpeg, image/png or image/webp.")
                case .undecodable: throw bad("\(field) could not be decoded as an image.")
                case .wrongSize(let actual):
                    throw bad("\(field) is \(actual.width)x\(actual.height) but the video is \(size.width)x\(size.height); the image must match the requested size.")
                case .face: throw bad("\(field) shows a human face, which this sandbox was told to refuse (reject-faces).")
                }
            }
            if frameType == "first_frame" && first == nil { first = image }
        }
        return first
    }

    private static func optionalString(_ value: JSONValue?, _ name: String) throws(APIError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let value?: throw bad("'\(name)' must be a string, not \(value.typeDescription).")
        }
    }

    /// OpenRouter's 400 for bad parameters.
    static func bad(_ message: String) -> APIError {
        APIError(status: 400, message: message)
    }
}
