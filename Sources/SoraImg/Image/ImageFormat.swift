/// The three image formats the Videos API accepts as a reference, for input and output.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp

    /// The file extension soraimg writes.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }

    /// The Content-Type of an upload part.
    public var mimeType: String { "image/\(rawValue)" }

    /// The name people know it by, for messages.
    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        }
    }

    /// The format an output file name asks for, from its extension (`.jpg`, `.jpeg`, `.png`, `.webp`).
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "jpg", "jpeg": self = .jpeg
        case "png": self = .png
        case "webp": self = .webp
        default: return nil
        }
    }
}

/// What the first bytes of a file say it is, whatever its name.
enum SniffedFormat: Equatable {
    case supported(ImageFormat)
    /// A format recognised by name that soraimg does not read.
    case unsupported(name: String)
    case unknown

    init(_ bytes: UnsafeRawBufferPointer) {
        func starts(with prefix: [UInt8], at offset: Int = 0) -> Bool {
            guard bytes.count >= offset + prefix.count else { return false }
            return prefix.indices.allSatisfy { bytes[offset + $0] == prefix[$0] }
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(with: Array(text.utf8), at: offset) }

        if starts(with: [0xFF, 0xD8, 0xFF]) { self = .supported(.jpeg); return }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .supported(.png); return }
        if ascii("RIFF") && ascii("WEBP", at: 8) { self = .supported(.webp); return }

        if ascii("ftyp", at: 4) {
            // ISO base media: the major brand says which family.
            let brand = bytes.count >= 12 ? String(decoding: bytes[8..<12], as: UTF8.self) : ""
            switch brand {
            case "avif", "avis": self = .unsupported(name: "AVIF")
            case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1": self = .unsupported(name: "HEIC")
            case "crx ": self = .unsupported(name: "Canon CR3 raw")
            case "jxl ": self = .unsupported(name: "JPEG XL")
            default: self = .unsupported(name: "MP4/QuickTime video")
            }
            return
        }
        if ascii("GIF87a") || ascii("GIF89a") { self = .unsupported(name: "GIF"); return }
        if ascii("BM") && bytes.count >= 14 { self = .unsupported(name: "BMP"); return }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || starts(with: [0x49, 0x49, 0x2B, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2B])
        {
            self = .unsupported(name: "TIFF (or a camera raw file)"); return
        }
        if ascii("%PDF") { self = .unsupported(name: "PDF"); return }
        if ascii("PK\u{03}\u{04}") { self = .unsupported(name: "ZIP archive"); return }
        if starts(with: [0xFF, 0x0A]) || starts(with: [0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) {
            self = .unsupported(name: "JPEG XL"); return
        }
        if starts(with: [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20]) || starts(with: [0xFF, 0x4F, 0xFF, 0x51]) {
            self = .unsupported(name: "JPEG 2000"); return
        }
        if ascii("8BPS") { self = .unsupported(name: "Photoshop PSD"); return }
        if starts(with: [0, 0, 1, 0]) && bytes.count > 6 { self = .unsupported(name: "ICO"); return }
        if ascii("qoif") { self = .unsupported(name: "QOI"); return }
        if ascii("\u{76}\u{2F}\u{31}\u{01}") { self = .unsupported(name: "OpenEXR"); return }
        if ascii("SIMPLE  =") { self = .unsupported(name: "FITS"); return }
        if SniffedFormat.looksLikeSVG(bytes) { self = .unsupported(name: "SVG"); return }
        self = .unknown
    }

    /// SVG is text: look for an `<svg` element near the start, after any XML prologue.
    private static func looksLikeSVG(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<svg")
    }

    /// The refusal for anything but a supported format. Photos (HEIC, AVIF, raw) are best
    /// exported as JPEG, so the advice names that one choice for them.
    var refusal: String {
        switch self {
        case .supported: return ""
        case .unknown: return "not an image soraimg can read (JPEG, PNG or WebP expected)"
        case .unsupported(let name):
            let photoFormats = ["HEIC", "AVIF", "Canon CR3 raw", "TIFF (or a camera raw file)", "JPEG XL", "JPEG 2000"]
            let advice = photoFormats.contains(name) ? "JPEG" : "JPEG, PNG or WebP"
            return "\(name) is not supported; export it as \(advice)"
        }
    }
}
