import Foundation
import SoraImg

/// An `input_reference` image that passed the service's checks, with what the sandbox learnt
/// about it for `/sandbox/uploads`.
struct ReferenceImage: Sendable {
    /// The part's file name; nil for a JSON data URL, which has none.
    let filename: String?
    let contentType: String
    let byteCount: Int
    /// The size as displayed, after the EXIF orientation.
    let upright: VideoSize
    /// The privacy kinds found in the file (`exif`, `gps`, ...), in the report's order.
    let metadata: [String]

    /// The MIME types the service accepts for `input_reference`.
    static let acceptedTypes = ["image/jpeg", "image/png", "image/webp"]

    /// Checks an uploaded part: a file, of an image type, decodable, exactly `size`.
    static func validate(part: MultipartPart, size: VideoSize, rejectingFaces: Bool = false) throws(APIError) -> ReferenceImage {
        guard let filename = part.filename else {
            throw APIError.invalid(
                "Invalid type for 'input_reference': expected a file, but got a string instead.",
                param: "input_reference", code: "invalid_type")
        }
        // A file part without a Content-Type is application/octet-stream (RFC 7578 §4.4).
        let contentType = part.contentType.map(HTTPHeaders.mediaType) ?? "application/octet-stream"
        return try validate(bytes: part.body, filename: filename, contentType: contentType, size: size, rejectingFaces: rejectingFaces)
    }

    /// Checks a JSON `input_reference`: `{"image_url": "data:image/png;base64,..."}`.
    /// `{"file_id": ID}` names a file uploaded to this sandbox's `POST /v1/files`.
    static func validate(
        json value: JSONValue, size: VideoSize, rejectingFaces: Bool = false, file: (String) -> StoredFile? = { _ in nil }
    ) throws(APIError) -> ReferenceImage {
        guard case .object = value else {
            throw APIError.invalidType("input_reference", expected: "an object with 'image_url' or 'file_id'", got: value)
        }
        if let id = value["file_id"] {
            guard case .string(let id) = id else { throw APIError.invalidType("input_reference.file_id", expected: "a string", got: id) }
            guard let stored = file(id) else {
                throw APIError(status: 404, message: "No such File object: \(id)", param: "input_reference.file_id", code: "file_not_found")
            }
            return try validate(bytes: stored.bytes, filename: stored.filename, contentType: stored.contentType, size: size, rejectingFaces: rejectingFaces)
        }
        guard case .string(let url) = value["image_url"] ?? .null else {
            throw APIError.invalid("input_reference needs 'image_url' (a data URL) or 'file_id'.", param: "input_reference")
        }
        guard url.hasPrefix("data:") else {
            throw APIError.invalid(
                "The sandbox does not fetch URLs; give input_reference.image_url as a base64 data URL (data:image/jpeg;base64,...).",
                param: "input_reference.image_url", code: "unsupported_value")
        }
        guard let decoded = decodeDataURL(url) else {
            throw APIError.invalid("Invalid base64 data URL in input_reference.image_url.", param: "input_reference.image_url", code: "invalid_value")
        }
        return try validate(bytes: decoded.bytes, filename: nil, contentType: decoded.contentType, size: size, rejectingFaces: rejectingFaces)
    }

    /// The media type and bytes of `data:[<mediatype>][;base64],<data>`; nil unless it is a
    /// base64 data URL (`text/plain` when the type is left out, RFC 2397).
    static func decodeDataURL(_ url: String) -> (contentType: String, bytes: [UInt8])? {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        let parameters = header.split(separator: ";").map { $0.lowercased() }
        guard parameters.last == "base64", let bytes = Data(base64Encoded: String(url[url.index(after: comma)...])) else { return nil }
        return (parameters.count > 1 ? parameters[0] : "text/plain", Array(bytes))
    }

    /// Why an image was refused, for each dialect to word as its service does.
    enum Problem: Error {
        case unsupportedType(String)
        case undecodable
        /// The image's upright size, which is not the size asked for.
        case wrongSize(VideoSize)
        case face
    }

    /// The checks every dialect makes: an accepted image type, decodable, exactly `size`
    /// once upright, and (with `rejectingFaces`) no human face.
    static func check(bytes: [UInt8], filename: String?, contentType: String, size: VideoSize, rejectingFaces: Bool) throws(Problem) -> ReferenceImage {
        guard acceptedTypes.contains(contentType) else { throw .unsupportedType(contentType) }
        let report: InspectReport
        do {
            var headersOnly = PrepOptions()
            headersOnly.faces = .ignore
            report = try ImageInspector.inspect(.bytes(Array(bytes)), options: headersOnly)
        } catch {
            throw .undecodable
        }
        guard report.source.upright == size else { throw .wrongSize(report.source.upright) }
        if rejectingFaces, let faces = try? FaceDetection.faces(inImage: bytes), !faces.isEmpty { throw .face }
        return ReferenceImage(
            filename: filename, contentType: contentType, byteCount: bytes.count, upright: report.source.upright,
            metadata: report.privacy.kinds.map(\.rawValue))
    }

    private static func validate(bytes: [UInt8], filename: String?, contentType: String, size: VideoSize, rejectingFaces: Bool) throws(APIError) -> ReferenceImage {
        do {
            return try check(bytes: bytes, filename: filename, contentType: contentType, size: size, rejectingFaces: rejectingFaces)
        } catch {
            switch error {
            case .unsupportedType(let contentType):
                throw APIError.invalid(
                    "Invalid file 'input_reference': unsupported mimetype ('\(contentType)'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
                    param: "input_reference", code: "unsupported_file")
            case .undecodable: throw APIError.invalid("Invalid image", param: "input_reference", code: "invalid_image")
            case .wrongSize: throw APIError.invalid("Inpaint image must match the requested width and height", param: nil, code: nil)
            case .face: throw APIError.invalid("Input images with faces of humans are currently rejected.", param: "input_reference", code: nil)
            }
        }
    }
}
