/// A family of metadata that can identify a person or a place (DESIGN.md §2, `inspect`).
public enum PrivacyKind: String, Sendable, Codable, CaseIterable, Comparable {
    case gps
    case cameraSerial = "camera-serial"
    case owner
    case faceRegion = "face-region"
    case personName = "person-name"
    case thumbnail
    case comment
    case icc
    case xmp
    case iptc
    case exif

    public static func < (lhs: PrivacyKind, rhs: PrivacyKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One piece of identifying metadata found in an image, with a human description.
public struct PrivacyFinding: Sendable, Codable, Equatable {
    public let kind: PrivacyKind
    public let detail: String

    public init(kind: PrivacyKind, detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

extension Array where Element == PrivacyFinding {
    /// The distinct kinds, in the report's order.
    public var kinds: [PrivacyKind] { Set(map { $0.kind }).sorted() }
}
