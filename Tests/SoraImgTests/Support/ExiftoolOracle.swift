import Foundation
import Testing

/// What exiftool finds in a file, mapped to soraimg's privacy kinds by exiftool's own tag names:
/// an oracle for the inspect tests that shares no code with soraimg's readers. It also writes
/// metadata into copies of fixtures, as a photo manager or camera would.
enum Exiftool {
    static let path = "/usr/bin/exiftool"

    /// Writes tags (`-XMP-dc:Creator=Robin Doe`) into the file in place.
    static func write(_ file: String, _ assignments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try runProcess(path, ["-q", "-overwrite_original"] + assignments + [file], timeLimit: 300)
        #expect(result.status == 0 && result.stderr.isEmpty, "exiftool \(assignments): \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// Every tag exiftool reads, duplicates included (`-a`), numbers as numbers (`-n`), as
    /// (group, name, value).
    static func tags(_ file: String) throws -> [Tag] {
        let result = try runProcess(path, ["-j", "-G1", "-a", "-n", "-struct", file], timeLimit: 300)
        let list = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        var tags: [Tag] = []
        for (key, value) in list.first ?? [:] {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            tags.append(Tag(group: parts[0], name: parts[1], value: value))
        }
        return tags
    }

    struct Tag: CustomStringConvertible {
        let group: String
        let name: String
        let value: Any

        /// The strings the tag holds: itself, a list's items, a structure's fields, all the way down.
        var strings: [String] { Self.strings(in: value) }
        var description: String { "\(group):\(name)=\(value)" }

        private static func strings(in value: Any) -> [String] {
            switch value {
            case let text as String: [text]
            case let list as [Any]: list.flatMap(strings(in:))
            case let fields as [String: Any]: fields.values.flatMap(strings(in:))
            default: []
            }
        }

        /// soraimg's kind for this tag, by exiftool's name for it; nil for tags that say
        /// nothing identifying (sizes, resolutions, the toolkit).
        var kind: String? {
            if ["ExifTool", "System", "File", "Composite"].contains(group) { return nil }
            if name.hasPrefix("Region") || name == "ImageRegion" { return "face-region" }
            if name == "ThumbnailImage" || name == "MPImage2" { return "thumbnail" }
            for (kind, names) in Self.identityNames where names.contains(name) { return kind }
            return nil
        }

        /// The tag names (exiftool's) of each identifying kind.
        static let identityNames: [(String, Set<String>)] = [
            ("gps", ["GPSLatitude", "GPSLongitude"]),
            ("camera-serial", ["SerialNumber", "BodySerialNumber", "LensSerialNumber", "InternalSerialNumber"]),
            ("owner", ["Artist", "Copyright", "OwnerName", "CameraOwnerName", "Creator", "Rights", "Credit", "Owner", "By-line", "CopyrightNotice"]),
            ("location", ["City", "State", "Province-State", "Country", "Country-PrimaryLocationName", "Sub-location", "Location", "CountryCode"]),
            ("person-name", ["PersonInImage"]),
            ("comment", ["Caption-Abstract", "ImageDescription", "UserComment", "Comment", "Description", "Title"]),
        ]
    }

    /// The kinds exiftool's tags call for, and each identifying tag with the strings it holds.
    static func expected(_ file: String) throws -> (kinds: Set<String>, tags: [Tag]) {
        let all = try tags(file)
        // EXIF keeps a coordinate's hemisphere apart (GPSLatitudeRef); XMP's is signed already.
        let tags = all.filter { $0.kind != nil }.map { tag -> Tag in
            guard tag.group == "GPS", let degrees = tag.value as? Double,
                let reference = all.first(where: { $0.group == "GPS" && $0.name == tag.name + "Ref" })?.value as? String
            else { return tag }
            return Tag(group: tag.group, name: tag.name, value: reference.hasPrefix("S") || reference.hasPrefix("W") ? -degrees : degrees)
        }
        var kinds = Set(tags.compactMap(\.kind))
        // A region that names someone names a person, as inspect reports it.
        if tags.contains(where: { $0.kind == "face-region" && !names(in: $0).isEmpty }) { kinds.insert("person-name") }
        return (kinds, tags)
    }

    /// The person names a region tag carries (MWG `Name`, Microsoft `PersonDisplayName`).
    static func names(in tag: Tag) -> [String] {
        func walk(_ value: Any, key: String?) -> [String] {
            switch value {
            case let text as String: ["Name", "RegionName", "PersonDisplayName", "RegionPersonDisplayName"].contains(key ?? "") ? [text] : []
            case let list as [Any]: list.flatMap { walk($0, key: key) }
            case let fields as [String: Any]: fields.flatMap { walk($0.value, key: $0.key) }
            default: []
            }
        }
        return walk(tag.value, key: tag.name)
    }
}

/// What `soraimg inspect --json` reports for one file.
struct Inspected {
    let status: Int32
    let image: [String: Any]
    let findings: [(kind: String, detail: String)]
    let stderr: String
    let errors: [[String: Any]]

    init(_ file: String, _ extra: [String] = ["--faces", "ignore"]) throws {
        let result = try soraimg(["inspect", "--json", file] + extra, timeLimit: 300)
        status = result.status
        stderr = result.stderr
        let document = try result.json()
        image = (document["images"] as? [[String: Any]])?.first ?? [:]
        errors = document["errors"] as? [[String: Any]] ?? []
        findings = (image["privacy"] as? [[String: String]] ?? []).map { (kind: $0["kind"] ?? "", detail: $0["detail"] ?? "") }
    }

    var kinds: Set<String> { Set(findings.map(\.kind)) }

    func details(_ kind: String) -> [String] { findings.filter { $0.kind == kind }.map(\.detail) }

    /// Checks inspect against exiftool for the same file: every kind exiftool's tags call for
    /// is reported, every name, serial and place it reads is quoted, and GPS agrees to 1e-4°.
    func agrees(withExiftoolOn file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (kinds, tags) = try Exiftool.expected(file)
        #expect(kinds.isSubset(of: self.kinds), "exiftool finds \(kinds.subtracting(self.kinds).sorted()) that inspect does not: exiftool \(tags), inspect \(findings)", sourceLocation: sourceLocation)
        for tag in tags {
            guard let kind = tag.kind else { continue }
            let quoted = kind == "face-region" ? Exiftool.names(in: tag) : ["owner", "location", "camera-serial", "person-name"].contains(kind) ? tag.strings : []
            for text in quoted {
                #expect(details(kind).contains { $0.contains(text) }, "exiftool's \(tag) is not quoted in \(details(kind))", sourceLocation: sourceLocation)
            }
            if kind == "gps", let degrees = tag.value as? Double {
                let numbers = details("gps").flatMap(Self.numbers(in:))
                #expect(numbers.contains { abs(abs($0) - abs(degrees)) < 1e-4 && ($0 < 0) == (degrees < 0) }, "exiftool's \(tag) is not in \(details("gps"))", sourceLocation: sourceLocation)
            }
        }
    }

    private static func numbers(in text: String) -> [Double] {
        text.split(whereSeparator: { !"-.0123456789".contains($0) }).compactMap { Double($0) }
    }
}
