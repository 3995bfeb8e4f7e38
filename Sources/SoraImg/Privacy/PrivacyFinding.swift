/// A family of metadata that can identify a person or a place (the kinds `inspect` reports, listed in the README).
public enum PrivacyKind: String, Sendable, Codable, CaseIterable, Comparable {
    case gps
    /// City, state, country and other place names.
    case location
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

    /// `detail` quotes the file (a comment, an artist's name, a text chunk's keyword), and
    /// whoever wrote the file chose those bytes: it is made printable here, once, so no
    /// terminal escape or control character reaches a report, however the finding is shown.
    public init(kind: PrivacyKind, detail: String) {
        self.kind = kind
        self.detail = detail.printable(limit: Self.detailLimit)
    }

    /// Long enough for a region's list of names, short enough for one line of a report.
    static let detailLimit = 300
}

extension Array where Element == PrivacyFinding {
    /// The distinct kinds, in the report's order.
    public var kinds: [PrivacyKind] { Set(map { $0.kind }).sorted() }
}
