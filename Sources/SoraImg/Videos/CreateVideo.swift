import Foundation

/// What to create: the fields of `POST /videos`.
public struct CreateVideo: Sendable {
    public var prompt: String
    public var model: String
    /// Sent as a string ("4"), as the API requires.
    public var seconds: String
    public var size: VideoSize
    public var reference: Reference?
    /// An image the service already holds (a gateway that keeps uploaded files), sent as
    /// `input_reference: {"file_id": ...}` in a JSON body instead of a local reference.
    public var fileID: String?

    /// The reference image and how to send it.
    public struct Reference: Sendable {
        public var bytes: [UInt8]
        public var format: ImageFormat
        /// `multipart` streams a file part; `dataURL` sends JSON with a base64 data URL,
        /// for providers that want it.
        public var encoding: ReferenceEncoding
        /// Where the image was uploaded, for a provider that takes it by URL (fal's storage);
        /// nil until then.
        public var url: String?

        public init(bytes: [UInt8], format: ImageFormat, encoding: ReferenceEncoding = .multipart) {
            self.bytes = bytes
            self.format = format
            self.encoding = encoding
        }

        /// The image inline, as a `data:` URL with its MIME type and the bytes in base64.
        public var dataURL: String {
            "data:\(format.mimeType);base64,\(base64)"
        }

        /// The bytes in base64, as JSON bodies carry them.
        public var base64: String {
            Data(bytes).base64EncodedString()
        }
    }

    public init(prompt: String, model: String, seconds: String, size: VideoSize, reference: Reference? = nil) {
        self.prompt = prompt
        self.model = model
        self.seconds = seconds
        self.size = size
        self.reference = reference
    }

    /// The HTTP body: multipart with a streamed file part, or JSON.
    var body: HTTPRequest.Body {
        let fields = ["prompt": prompt, "model": model, "seconds": seconds, "size": size.description]
        guard let reference else { return .json(Self.json(fields, reference: fileID.map { ["file_id": $0] })) }
        switch reference.encoding {
        case .multipart:
            var parts = ["prompt", "model", "seconds", "size"].map { MultipartPart.field($0, fields[$0]!) }
            parts.append(.file(
                "input_reference", filename: "reference.\(reference.format.fileExtension)",
                contentType: reference.format.mimeType, data: reference.bytes))
            return .multipart(parts)
        case .dataURL:
            let url = reference.dataURL
            return .json(Self.json(fields, reference: ["image_url": url]))
        }
    }

    /// - Parameter reference: `{"image_url": DATA_URL}` or `{"file_id": ID}`.
    private static func json(_ fields: [String: String], reference: [String: String]? = nil) -> [UInt8] {
        var object: [String: Any] = fields
        if let reference { object["input_reference"] = reference }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }
}

public enum ReferenceEncoding: String, Sendable, CaseIterable {
    case multipart
    case dataURL = "data-url"
}

