/// The IPTC IIM records in a JPEG's APP13 segment (Photoshop's image resource block 0x0404):
/// who took the photo, where (city, state, country, sub-location) and its caption. libvips
/// only attaches the block as a whole, so it is read here.
struct IPTCRecords {
    /// Datasets of the application record (2) that identify someone or somewhere, with the
    /// kind and the name IPTC gives them.
    static let datasets: [UInt8: (kind: PrivacyKind, name: String)] = [
        80: (.owner, "By-line"),
        110: (.owner, "Credit"),
        116: (.owner, "Copyright Notice"),
        90: (.location, "City"),
        92: (.location, "Sub-location"),
        95: (.location, "Province-State"),
        100: (.location, "Country Code"),
        101: (.location, "Country"),
        105: (.comment, "Headline"),
        120: (.comment, "Caption"),
    ]

    static let signature = Array("Photoshop 3.0".utf8) + [0]

    /// Values found, in file order, as (dataset, raw bytes); at most `valuesKept`.
    private var values: [(dataset: UInt8, bytes: ArraySlice<UInt8>)] = []
    /// Record 1's coded character set says UTF-8 (`ESC % G`).
    private var isUTF8 = false

    static let valuesKept = 200

    /// Takes one APP13 body; false when it is not Photoshop's resource block.
    mutating func add(segment body: ArraySlice<UInt8>) -> Bool {
        guard body.starts(with: Self.signature) else { return false }
        var index = body.startIndex + Self.signature.count
        // Image resources: type (8BIM), id, a Pascal name padded to even, size, data padded to even.
        while index + 12 <= body.endIndex {
            guard body[index..<(index + 4)].elementsEqual("8BIM".utf8) else { break }
            let id = Int(body[index + 4]) << 8 | Int(body[index + 5])
            let nameLength = Int(body[index + 6])
            let sizeAt = index + 6 + (nameLength + 2) & ~1
            guard sizeAt + 4 <= body.endIndex else { break }
            let size = body[sizeAt..<(sizeAt + 4)].reduce(0) { $0 << 8 | Int($1) }
            let dataAt = sizeAt + 4
            guard size >= 0, dataAt + size <= body.endIndex else { break }
            if id == 0x0404 { readRecords(body[dataAt..<(dataAt + size)]) }
            index = dataAt + size + (size & 1)
        }
        return true
    }

    /// IIM datasets: tag 0x1C, record, dataset, a 2-byte length (or, with its top bit set,
    /// the count of the length bytes that follow), the value.
    private mutating func readRecords(_ data: ArraySlice<UInt8>) {
        var index = data.startIndex
        while index + 5 <= data.endIndex, data[index] == 0x1C {
            let record = data[index + 1], dataset = data[index + 2]
            var length = Int(data[index + 3]) << 8 | Int(data[index + 4])
            var valueAt = index + 5
            if length & 0x8000 != 0 {
                let count = length & 0x7FFF
                guard count <= 4, valueAt + count <= data.endIndex else { return }
                length = data[valueAt..<(valueAt + count)].reduce(0) { $0 << 8 | Int($1) }
                valueAt += count
            }
            guard valueAt + length <= data.endIndex else { return }
            let value = data[valueAt..<(valueAt + length)]
            if record == 1 && dataset == 90 { isUTF8 = value.elementsEqual([0x1B, 0x25, 0x47]) }
            if record == 2, Self.datasets[dataset] != nil, values.count < Self.valuesKept { values.append((dataset, value)) }
            index = valueAt + length
        }
    }

    var findings: [PrivacyFinding] {
        var grouped: [(dataset: UInt8, texts: [String])] = []
        for (dataset, bytes) in values {
            let text = decode(bytes).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            if let index = grouped.firstIndex(where: { $0.dataset == dataset }) {
                if !grouped[index].texts.contains(text) { grouped[index].texts.append(text) }
            } else {
                grouped.append((dataset, [text]))
            }
        }
        return grouped.compactMap { group in
            Self.datasets[group.dataset].map { PrivacyFinding(kind: $0.kind, detail: "IPTC \($0.name): " + group.texts.joined(separator: ", ")) }
        }
    }

    /// UTF-8 when declared or when the bytes are valid UTF-8; otherwise Latin-1, which older
    /// writers used without saying so.
    private func decode(_ bytes: ArraySlice<UInt8>) -> String {
        if isUTF8 { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
