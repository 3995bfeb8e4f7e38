import Foundation
import SoraImg

/// An xAI `POST /v1/videos/generations` body that passed the checks of `GenerateVideoRequest`
/// in the REST OpenAPI spec of xai-org/xai-sdk-ts (`spec/openapi.json`): model, prompt, the
/// image as `image.url` (a data URL: the sandbox fetches nothing), duration and resolution.
struct XAIRequest: Sendable {
    let model: String
    let prompt: String
    let seconds: Int
    /// The video's frame: the image's own size (the spec: the aspect "is always derived from
    /// the input image"), or for a text-only job the resolution at the aspect ratio.
    let size: VideoSize
    let image: ReferenceImage?

    static let models = ["grok-imagine-video"]
    static let resolutions = ["480p", "720p", "1080p"]
    static let aspectRatios = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"]

    init(_ request: HTTPRequest, rejectingFaces: Bool) throws(APIError) {
        guard request.mediaType == "application/json" else {
            throw Self.invalid("Unsupported Content-Type '\(request.mediaType ?? "none")': send application/json.")
        }
        guard let body = JSONValue.parse(request.body), case .object = body else {
            throw Self.invalid("The request body is not a JSON object.")
        }
        // The spec: 422 for missing fields.
        guard case .string(let model)? = body["model"] else { throw Self.missing("model") }
        guard Self.models.contains(model) else {
            throw APIError(status: 404, message: "The model \(model) does not exist or your team does not have access to it.", code: "not_found")
        }
        self.model = model
        // "Also accepts `input_reference` for compatibility"; `url` also as `image_url`.
        let imageValue = [body["image"], body["input_reference"]].compactMap { $0 }.first { $0 != .null }
        switch body["prompt"] {
        case .string(let text)?: prompt = text
        case nil, .null?:
            // "Optional for image-to-video"; a text-only job needs one.
            guard imageValue != nil else { throw Self.missing("prompt") }
            prompt = ""
        case let value?: throw Self.invalid("'prompt' must be a string, not \(value.typeDescription).")
        }
        seconds = try Self.duration(body["duration"] ?? body["seconds"])
        let resolution = try Self.choice(body["resolution"], "resolution", Self.resolutions)
        let aspect = try Self.choice(body["aspect_ratio"], "aspect_ratio", Self.aspectRatios)
        if let imageValue {
            let checked = try Self.image(imageValue, resolution: resolution, rejectingFaces: rejectingFaces)
            image = checked
            size = checked.upright
        } else {
            image = nil
            size = Self.frame(resolution: resolution ?? "720p", aspect: aspect ?? "16:9")
        }
    }

    /// `duration`: an integer from 1 to 15, default 8; "accepts both number (8) and string ("8")".
    private static func duration(_ value: JSONValue?) throws(APIError) -> Int {
        let seconds: Int
        switch value {
        case nil, .null?: return 8
        case .int(let number)?: seconds = number
        case .string(let text)?:
            guard let number = Int(text) else { throw invalid("duration must be an integer from 1 to 15, not \"\(text)\".") }
            seconds = number
        case let value?: throw invalid("duration must be an integer from 1 to 15, not \(value.serialized()).")
        }
        guard (1...15).contains(seconds) else { throw invalid("duration must be between 1 and 15 seconds, not \(seconds).") }
        return seconds
    }

    /// `image {url}` (or `image_url`): a base64 data URL of a JPEG, PNG or WebP, checked as the
    /// video's frame. xAI documents no pixel sizes; the sandbox reads `resolution` as the class
    /// of the frame's shorter side (480p up to 480 px, 720p up to 720, 1080p above) and holds
    /// the image to at least 300 px a side and an aspect from 2:5 to 5:2, so a client whose
    /// image and resolution disagree is caught here rather than paid for.
    private static func image(_ value: JSONValue, resolution: String?, rejectingFaces: Bool) throws(APIError) -> ReferenceImage {
        guard case .object = value else { throw invalid("'image' must be an object with 'url' or 'file_id'.") }
        if value["file_id"] != nil && value["url"] == nil {
            throw invalid("The sandbox does not store files, so image.file_id is not supported; send image.url as a base64 data URL.")
        }
        guard case .string(let url)? = value["url"] ?? value["image_url"] else { throw missing("image.url") }
        guard let decoded = ReferenceImage.decodeDataURL(url) else {
            throw invalid("image.url must be a base64 data URL (data:image/jpeg;base64,...); the sandbox does not fetch URLs.")
        }
        // The size is checked below against the image's own: `check` is given it to pass.
        let header: InspectReport
        do {
            var headersOnly = PrepOptions()
            headersOnly.faces = .ignore
            header = try ImageInspector.inspect(.bytes(decoded.bytes), options: headersOnly)
        } catch {
            throw invalid("image.url could not be decoded as an image.")
        }
        let upright = header.source.upright
        let checked: ReferenceImage
        do {
            checked = try ReferenceImage.check(bytes: decoded.bytes, filename: nil, contentType: decoded.contentType, size: upright, rejectingFaces: rejectingFaces)
        } catch {
            switch error {
            case .unsupportedType(let type): throw invalid("image.url has type \(type); send image/jpeg, image/png or image/webp.")
            case .undecodable, .wrongSize: throw invalid("image.url could not be decoded as an image.")
            case .face: throw invalid("image.url shows a human face, which this sandbox was told to refuse (reject-faces).")
            }
        }
        let aspect = Double(upright.width) / Double(upright.height)
        guard min(upright.width, upright.height) >= 300, aspect >= 0.4, aspect <= 2.5 else {
            throw invalid("The image is \(upright.width)x\(upright.height); the video follows it, so it needs at least 300 px a side and an aspect from 2:5 to 5:2.")
        }
        if let resolution, resolution != Self.resolution(of: upright) {
            throw invalid("The image is \(upright.width)x\(upright.height), a \(Self.resolution(of: upright)) frame, but resolution is \(resolution); the image must match the requested size.")
        }
        return checked
    }

    /// The resolution class of a frame, by its shorter side.
    static func resolution(of size: VideoSize) -> String {
        switch min(size.width, size.height) {
        case ...480: "480p"
        case ...720: "720p"
        default: "1080p"
        }
    }

    /// A text-only video's frame: the shorter side the resolution's, the longer by the aspect
    /// ratio, rounded to an even number of pixels.
    static func frame(resolution: String, aspect: String) -> VideoSize {
        let short = Int(resolution.dropLast()) ?? 720
        let parts = aspect.split(separator: ":").compactMap { Double($0) }
        let (across, down) = parts.count == 2 ? (parts[0], parts[1]) : (16, 9)
        let long = Int((Double(short) * max(across, down) / min(across, down) / 2).rounded()) * 2
        return across >= down ? VideoSize(width: long, height: short) : VideoSize(width: short, height: long)
    }

    private static func choice(_ value: JSONValue?, _ name: String, _ allowed: [String]) throws(APIError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)? where allowed.contains(text): return text
        case let value?: throw invalid("\(name) must be one of \(allowed.joined(separator: ", ")), not \(value.serialized()).")
        }
    }

    static func invalid(_ message: String) -> APIError {
        APIError(status: 400, message: message, code: "invalid_argument")
    }

    static func missing(_ field: String) -> APIError {
        APIError(status: 422, message: "Failed to deserialize the JSON body into the target type: missing field `\(field)`.", code: "invalid_argument")
    }
}
