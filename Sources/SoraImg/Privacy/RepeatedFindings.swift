/// Findings of one family (a PNG's text chunks, a JPEG's comments) listed one by one while
/// there are few, and summarised as a count with the first few quoted when a file repeats
/// them: a file with 20,000 text chunks gets one line, not 20,000. Only what is shown is kept,
/// so a file's count costs no memory.
struct RepeatedFindings {
    let kind: PrivacyKind
    /// What is counted, plural: `text chunks`.
    let family: String
    private(set) var count = 0
    private var kept: [(quote: String, detail: String)] = []

    /// Up to this many are listed one by one; more are summarised.
    static let listed = 5
    /// Quoted in a summary.
    static let quoted = 3

    init(kind: PrivacyKind, family: String) {
        self.kind = kind
        self.family = family
    }

    /// Counts one; its quote and detail are only made when it is kept.
    mutating func add(quote: @autoclosure () -> String, detail: (String) -> String) {
        count += 1
        if kept.count < Self.listed {
            let text = quote()
            kept.append((text, detail(text)))
        }
    }

    /// The quotes kept, in file order.
    var quotes: [String] { kept.map(\.quote) }

    var findings: [PrivacyFinding] {
        guard count > Self.listed else { return kept.map { PrivacyFinding(kind: kind, detail: $0.detail) } }
        let first = kept.prefix(Self.quoted).map { "\"\($0.quote.printable(limit: 40))\"" }
        return [PrivacyFinding(kind: kind, detail: "\(count) \(family), first: " + first.joined(separator: ", "))]
    }

    /// Any kind still reported more than `perKind` times (many EXIF segments, many XMP
    /// chunks) keeps its first findings and one line counting the rest.
    static func capped(_ findings: [PrivacyFinding], perKind: Int = 8) -> [PrivacyFinding] {
        var seen: [PrivacyKind: Int] = [:]
        var result: [PrivacyFinding] = []
        for finding in findings {
            seen[finding.kind, default: 0] += 1
            if seen[finding.kind]! <= perKind { result.append(finding) }
        }
        for kind in PrivacyKind.allCases where seen[kind, default: 0] > perKind {
            let more = seen[kind]! - perKind
            let at = (result.lastIndex { $0.kind == kind } ?? result.count - 1) + 1
            result.insert(PrivacyFinding(kind: kind, detail: "and \(more) more \(kind.rawValue) findings"), at: at)
        }
        return result
    }
}
