import Foundation
import SoraImg

/// A Replicate `POST /v1/models/{owner}/{name}/predictions` body for kwaivgi/kling-v2.5-turbo-pro
/// that passed the checks: `{"input": {"prompt", "duration"?, "start_image"?, "aspect_ratio"?}}`
/// (the model's API page on replicate.com). The video follows the start image, so the image's
/// own size is the video's, checked against the limits Kling states for its start image.
struct ReplicateRequest: Sendable {
    let model: String
    let prompt: String
    let seconds: Int
    let size: VideoSize
    let image: ReferenceImage?
    /// The input as the prediction echoes it: a data URL is left out (it can be megabytes, and
    /// every list answer would carry it again); a file URL is kept.
    let echoedInput: JSONValue

    /// The model served.
    static let models = ["kwaivgi/kling-v2.5-turbo-pro"]
    /// The durations the sandbox takes. Replicate's page does not list the enum: 5 and 10 are
    /// Kling's durations elsewhere, the reading soraimg's table assumes too.
    static let durations = [5, 10]
    /// The start image limits kwaivgi/kling-v4.0's page states (v2.5's states none).
    static let startImage = SizeRange(minimumSide: 300, narrowest: (2, 5), widest: (5, 2))
    /// The video size of a text-only prediction by `aspect_ratio` (16:9 by default, per the
    /// model's page); the pixels are assumed.
    static let textOnlySizes = [
        "16:9": VideoSize(width: 1280, height: 720), "9:16": VideoSize(width: 720, height: 1280), "1:1": VideoSize(width: 720, height: 720),
    ]

    /// - Parameter file: the bytes and type of a file uploaded to this sandbox, by the URL
    ///   `POST /v1/files` answered with; nil for any other URL.
    init(model: String, _ request: HTTPRequest, file: (String) -> StoredFile?, rejectingFaces: Bool) throws(APIError) {
        guard Self.models.contains(model) else {
            throw APIError(status: 404, message: "The requested model \(model) was not found; the sandbox serves \(Self.models.joined(separator: ", ")).")
        }
        self.model = model
        guard request.mediaType == "application/json" || request.mediaType == nil, let body = JSONValue.parse(request.body), case .object = body else {
            throw Self.invalid("The request body must be a JSON object with an input object.")
        }
        guard let input = body["input"], case .object(let members) = input else { throw Self.invalid("- input: input is required and must be an object") }
        guard case .string(let prompt)? = input["prompt"], !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Self.invalid("- input.prompt: prompt is required and must be a non-empty string")
        }
        self.prompt = prompt
        switch input["duration"] {
        case nil, .null?: seconds = 5
        case .int(let value)? where Self.durations.contains(value): seconds = value
        case let value?: throw Self.invalid("- input.duration: must be one of the following: 5, 10 (got \(value.serialized()))")
        }
        var echoed = members.filter { $0.key != "start_image" && $0.key != "image" }
        switch input["start_image"] {
        case nil, .null?:
            let aspect: String
            switch input["aspect_ratio"] {
            case nil, .null?: aspect = "16:9"
            case .string(let text)? where Self.textOnlySizes[text] != nil: aspect = text
            case let value?: throw Self.invalid("- input.aspect_ratio: must be one of the following: 16:9, 9:16, 1:1 (got \(value.serialized()))")
            }
            size = Self.textOnlySizes[aspect]!
            image = nil
        case .string(let url)?:
            let bytes: [UInt8]
            let contentType: String
            var filename: String?
            if url.hasPrefix("data:") {
                guard let decoded = ReferenceImage.decodeDataURL(url) else { throw Self.invalid("- input.start_image: not a valid base64 data URL") }
                (contentType, bytes) = decoded
            } else if let stored = file(url) {
                (contentType, bytes, filename) = (stored.contentType, stored.bytes, stored.filename)
                echoed.append(("start_image", .string(url)))
            } else {
                throw Self.invalid("- input.start_image: the sandbox fetches no URLs; give a data URL or the URL of a file uploaded here (POST /v1/files)")
            }
            (size, image) = try Self.image(bytes: bytes, contentType: contentType, filename: filename, rejectingFaces: rejectingFaces)
        case let value?:
            throw Self.invalid("- input.start_image: must be a string (a URL), not \(value.typeDescription)")
        }
        echoedInput = .object(echoed)
    }

    /// The start image, whose upright size becomes the video's: an accepted type, decodable,
    /// at least 300 px a side and between 2:5 and 5:2.
    private static func image(bytes: [UInt8], contentType: String, filename: String?, rejectingFaces: Bool) throws(APIError) -> (VideoSize, ReferenceImage) {
        var headersOnly = PrepOptions()
        headersOnly.faces = .ignore
        guard ReferenceImage.acceptedTypes.contains(contentType) else {
            throw invalid("- input.start_image: unsupported type \(contentType); use image/jpeg, image/png or image/webp")
        }
        guard let upright = try? ImageInspector.inspect(.bytes(bytes), options: headersOnly).source.upright else {
            throw invalid("- input.start_image: the image could not be decoded")
        }
        guard startImage.contains(upright) else {
            throw invalid("- input.start_image: the image is \(upright); it must be at least 300 px a side with an aspect ratio between 2:5 and 5:2")
        }
        do {
            let image = try ReferenceImage.check(bytes: bytes, filename: filename, contentType: contentType, size: upright, rejectingFaces: rejectingFaces)
            return (upright, image)
        } catch {
            switch error {
            case .face: throw invalid("- input.start_image: the image shows a human face, which this sandbox was told to refuse (reject-faces)")
            default: throw invalid("- input.start_image: the image could not be decoded")
            }
        }
    }

    /// Replicate refuses an input the model's schema does not take with 422 (its HTTP API docs:
    /// "Input validation failed").
    static func invalid(_ detail: String) -> APIError {
        APIError(status: 422, message: detail, code: "Input validation failed")
    }
}
