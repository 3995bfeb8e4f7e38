import Foundation
import SoraImg

/// A `POST /v1/videos` request that passed every check the service makes, in its order:
/// prompt, model, seconds, size, then the reference image.
struct CreateRequest: Sendable {
    let prompt: String
    let model: VideoModel
    let seconds: String
    let size: VideoSize
    let reference: ReferenceImage?

    /// The model families and published snapshots, for the "supported values" message; other
    /// dated snapshots of a family are accepted too.
    static let publishedModels = ["sora-2", "sora-2-pro", "sora-2-2025-10-06", "sora-2-pro-2025-10-06", "sora-2-2025-12-08"]

    /// Where the reference image came from.
    private enum ReferenceSource {
        case part(MultipartPart)
        case json(JSONValue)
    }

    /// Reads and checks a create sent as multipart/form-data or JSON; with `rejectingFaces`
    /// (the `reject-faces` fault) a reference image that shows a face is refused too.
    /// - Parameter file: a file uploaded to `POST /v1/files`, by id, for `input_reference.file_id`.
    init(_ request: HTTPRequest, rejectingFaces: Bool = false, file: (String) -> StoredFile? = { _ in nil }) throws(APIError) {
        var fields: [String: JSONValue] = [:]
        var source: ReferenceSource?
        switch request.mediaType {
        case "multipart/form-data":
            let boundary = try Multipart.boundary(in: request.headers["content-type"] ?? "")
            for part in try Multipart.parse(request.body, boundary: boundary) {
                if part.name == "input_reference" {
                    if source == nil { source = .part(part) }
                } else if fields[part.name] == nil {
                    if part.filename != nil && ["prompt", "model", "seconds", "size"].contains(part.name) {
                        throw APIError.invalid("Invalid type for '\(part.name)': expected a string, but got a file instead.", param: part.name, code: "invalid_type")
                    }
                    fields[part.name] = .string(part.text)
                }
            }
        case "application/json":
            let body = try Self.jsonObject(request.body)
            for (key, value) in body where fields[key] == nil {
                if key == "input_reference" {
                    if case .null = value {} else { source = .json(value) }
                } else if case .null = value {
                    continue  // null means "use the default", as the SDKs' omitted values do
                } else {
                    fields[key] = value
                }
            }
        default:
            throw APIError(
                status: 415, message: "Unsupported Content-Type '\(request.mediaType ?? "none")': send multipart/form-data or application/json.",
                param: nil, code: "unsupported_content_type")
        }

        prompt = try Self.prompt(fields["prompt"])
        let modelName = try Self.string(fields["model"], param: "model", default: "sora-2", expected: "a string")
        model = VideoModel(named: modelName)
        guard model.isKnown else { throw APIError.invalidValue("model", modelName, allowed: Self.publishedModels) }
        seconds = try Self.string(fields["seconds"], param: "seconds", default: "4", expected: "one of \(APIError.quotedList(model.seconds, conjunction: "or"))")
        guard model.seconds.contains(seconds) else { throw APIError.invalidValue("seconds", seconds, allowed: model.seconds) }
        let sizeText = try Self.string(fields["size"], param: "size", default: "720x1280", expected: "a string")
        let allowedSizes = model.sizes.map(\.description)
        guard allowedSizes.contains(sizeText), let size = VideoSize(parsing: sizeText) else {
            throw APIError.invalidValue("size", sizeText, allowed: allowedSizes)
        }
        self.size = size
        switch source {
        case .part(let part): reference = try ReferenceImage.validate(part: part, size: size, rejectingFaces: rejectingFaces)
        case .json(let value): reference = try ReferenceImage.validate(json: value, size: size, rejectingFaces: rejectingFaces, file: file)
        case nil: reference = nil
        }
    }

    /// The members of a JSON object body, or the service's 400.
    static func jsonObject(_ body: [UInt8]) throws(APIError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = JSONValue.parse(body) else {
            throw APIError.invalid("We could not parse the JSON body of your request: expected a JSON object.", param: nil)
        }
        return members
    }

    /// `prompt`: a required, non-empty string.
    static func prompt(_ value: JSONValue?) throws(APIError) -> String {
        guard let value else {
            throw APIError.invalid("Missing required parameter: 'prompt'.", param: "prompt", code: "missing_required_parameter")
        }
        guard case .string(let prompt) = value else { throw APIError.invalidType("prompt", expected: "a string", got: value) }
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.invalid(
                "Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an empty string instead.",
                param: "prompt", code: "empty_string")
        }
        return prompt
    }

    private static func string(_ value: JSONValue?, param: String, default fallback: String, expected: String) throws(APIError) -> String {
        guard let value else { return fallback }
        guard case .string(let text) = value else { throw APIError.invalidType(param, expected: expected, got: value) }
        return text
    }
}
