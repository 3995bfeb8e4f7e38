/// Reads the identifying tags of an EXIF (TIFF) block that libvips does not parse: a JPEG may
/// carry several APP1 EXIF segments, and libvips reads only the first, while exiftool and
/// photo managers read them all.
struct ExifReader {
    private let bytes: [UInt8]
    private let littleEndian: Bool

    /// `tiff` starts at the TIFF header (`II*\0` or `MM\0*`); nil when it does not.
    init?(tiff: some Collection<UInt8>) {
        bytes = Array(tiff)
        guard bytes.count >= 8 else { return nil }
        if bytes[0] == 0x49 && bytes[1] == 0x49 { littleEndian = true }
        else if bytes[0] == 0x4D && bytes[1] == 0x4D { littleEndian = false }
        else { return nil }
    }

    /// The findings, each detail ending with `source` (`EXIF segment 2`).
    func findings(source: String) -> [PrivacyFinding] {
        var found: [PrivacyFinding] = []
        var visited = Set<Int>()
        guard let first = u32(4) else { return [] }
        let ifd0 = entries(at: first, visited: &visited)
        found.append(PrivacyFinding(kind: .exif, detail: "EXIF block (\(source))"))
        let exif = pointer(0x8769, in: ifd0).map { entries(at: $0, visited: &visited) } ?? []
        let gps = pointer(0x8825, in: ifd0).map { entries(at: $0, visited: &visited) } ?? []

        if let latitude = degrees(2, in: gps), let longitude = degrees(4, in: gps) {
            let north = text(1, in: gps)?.hasPrefix("S") == true ? -1.0 : 1.0
            let east = text(3, in: gps)?.hasPrefix("W") == true ? -1.0 : 1.0
            found.append(PrivacyFinding(kind: .gps, detail: "latitude \(MetadataScan.format(latitude * north)), longitude \(MetadataScan.format(longitude * east)) (\(source))"))
        }
        let tagged: [(PrivacyKind, UInt16, String, [Entry])] = [
            (.cameraSerial, 0xA431, "BodySerialNumber", exif), (.cameraSerial, 0xA435, "LensSerialNumber", exif),
            (.owner, 0x013B, "Artist", ifd0), (.owner, 0x8298, "Copyright", ifd0), (.owner, 0xA430, "CameraOwnerName", exif),
            (.comment, 0x010E, "ImageDescription", ifd0), (.comment, 0x9286, "UserComment", exif),
        ]
        for (kind, tag, name, ifd) in tagged {
            if let value = text(tag, in: ifd), !value.isEmpty {
                found.append(PrivacyFinding(kind: kind, detail: "\(name): \(value) (\(source))"))
            }
        }
        if let next = nextIFD(after: first), entries(at: next, visited: &visited).contains(where: { $0.tag == 0x0201 }) {
            found.append(PrivacyFinding(kind: .thumbnail, detail: "embedded EXIF thumbnail of the uncropped original (\(source))"))
        }
        return found
    }

    // MARK: TIFF

    private struct Entry {
        let tag: UInt16
        let type: UInt16
        let count: Int
        /// Where the value's four bytes (or the offset to it) are.
        let field: Int
    }

    /// An IFD's entries; empty when it was seen before (a loop) or runs past the block.
    private func entries(at offset: Int, visited: inout Set<Int>) -> [Entry] {
        guard visited.insert(offset).inserted, let count = u16(offset) else { return [] }
        let fit = min(count, (bytes.count - offset - 2) / 12)
        return (0..<max(0, fit)).compactMap { index in
            let at = offset + 2 + index * 12
            guard let tag = u16(at), let type = u16(at + 2), let count = u32(at + 4) else { return nil }
            return Entry(tag: UInt16(tag), type: UInt16(type), count: count, field: at + 8)
        }
    }

    private func nextIFD(after offset: Int) -> Int? {
        guard let count = u16(offset), let next = u32(offset + 2 + count * 12), next != 0 else { return nil }
        return next
    }

    private func pointer(_ tag: UInt16, in ifd: [Entry]) -> Int? {
        ifd.first { $0.tag == tag }.flatMap { u32($0.field) }
    }

    /// The bytes of a value: in the entry itself when they fit in four, else at its offset.
    private func data(_ entry: Entry, size: Int) -> ArraySlice<UInt8>? {
        let length = entry.count * size
        guard entry.count >= 0, length <= bytes.count else { return nil }
        let start = length <= 4 ? entry.field : u32(entry.field) ?? -1
        guard start >= 0, start + length <= bytes.count else { return nil }
        return bytes[start..<(start + length)]
    }

    /// An ASCII value, or UNDEFINED text after UserComment's 8-byte character code.
    private func text(_ tag: UInt16, in ifd: [Entry]) -> String? {
        guard let entry = ifd.first(where: { $0.tag == tag }), entry.type == 2 || entry.type == 7, var value = data(entry, size: 1) else { return nil }
        if entry.type == 7 { value = value.dropFirst(8) }
        let text = value.prefix { $0 != 0 }
        return (String(validating: text, as: UTF8.self) ?? String(text.map { Character(Unicode.Scalar($0)) }))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Degrees from three RATIONALs: degrees, minutes, seconds.
    private func degrees(_ tag: UInt16, in ifd: [Entry]) -> Double? {
        guard let entry = ifd.first(where: { $0.tag == tag }), entry.type == 5, entry.count == 3, let value = data(entry, size: 8) else { return nil }
        let parts = (0..<3).compactMap { index -> Double? in
            guard let numerator = u32(value.startIndex + index * 8), let denominator = u32(value.startIndex + index * 8 + 4), denominator != 0 else { return nil }
            return Double(numerator) / Double(denominator)
        }
        return parts.count == 3 ? parts[0] + parts[1] / 60 + parts[2] / 3600 : nil
    }

    private func u16(_ at: Int) -> Int? {
        guard at >= 0, at + 2 <= bytes.count else { return nil }
        return littleEndian ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
    }

    private func u32(_ at: Int) -> Int? {
        guard at >= 0, at + 4 <= bytes.count else { return nil }
        let b = (0..<4).map { Int(bytes[at + $0]) }
        return littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
    }
}
