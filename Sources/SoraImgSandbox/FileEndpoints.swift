import Foundation

/// A file kept by `POST /v1/files`, as gateways that keep uploaded files do, so a create can
/// name it with `input_reference: {"file_id": ...}`.
struct StoredFile: Sendable {
    let id: String
    let filename: String
    let contentType: String
    let bytes: [UInt8]
}

extension SandboxAPI {
    /// `POST /v1/files`, multipart with `file` and `purpose` (OpenAI's Files API shape): the
    /// file kept in memory and answered as a File object.
    func upload(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard request.mediaType == "multipart/form-data" else {
            throw APIError(
                status: 415, message: "Unsupported Content-Type '\(request.mediaType ?? "none")': send multipart/form-data.", param: nil,
                code: "unsupported_content_type")
        }
        let parts = try Multipart.parse(request.body, boundary: try Multipart.boundary(in: request.headers["content-type"] ?? ""))
        guard let part = parts.first(where: { $0.name == "file" }), let filename = part.filename else {
            throw APIError.invalid("Missing required parameter: 'file'.", param: "file", code: "missing_required_parameter")
        }
        guard let purpose = parts.first(where: { $0.name == "purpose" })?.text, !purpose.isEmpty else {
            throw APIError.invalid("Missing required parameter: 'purpose'.", param: "purpose", code: "missing_required_parameter")
        }
        let contentType = part.contentType.map(HTTPHeaders.mediaType) ?? "application/octet-stream"
        let file = StoredFile(id: Identifier.file(), filename: filename, contentType: contentType, bytes: part.body)
        store.keep(file)
        return .json(
            200,
            .object([
                ("id", .string(file.id)), ("object", "file"), ("bytes", .int(file.bytes.count)),
                ("created_at", .int(Int(Date.now.timeIntervalSince1970))), ("filename", .string(filename)), ("purpose", .string(purpose)),
            ]))
    }
}
