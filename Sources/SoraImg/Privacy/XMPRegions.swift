import Foundation

/// Face and person regions in XMP, in the three schemas cameras and photo managers write:
/// MWG (`mwg-rs:Regions`), Microsoft Photo (`MP:RegionInfo`) and IPTC Extension
/// (`Iptc4xmpExt:ImageRegion`, `Iptc4xmpExt:PersonInImage`).
enum XMPRegions {
    static func findings(in xmp: String) -> [PrivacyFinding] {
        var found: [PrivacyFinding] = []
        let schemas: [(marker: String, name: String, nameTags: [String])] = [
            ("mwg-rs:Regions", "MWG", ["mwg-rs:Name"]),
            ("MP:RegionInfo", "Microsoft Photo", ["MPReg:PersonDisplayName"]),
            ("Iptc4xmpExt:ImageRegion", "IPTC Extension", ["Iptc4xmpExt:Name", "Iptc4xmpExt:PersonName"]),
        ]
        for schema in schemas where xmp.contains(schema.marker) {
            let names = schema.nameTags.flatMap { values(of: $0, in: xmp) }
            let detail = "\(schema.name) regions" + (names.isEmpty ? " (no names)" : ": " + names.joined(separator: ", "))
            found.append(PrivacyFinding(kind: .faceRegion, detail: detail))
        }
        var people = Set<String>()
        for tag in ["mwg-rs:Name", "MPReg:PersonDisplayName", "Iptc4xmpExt:PersonInImage", "Iptc4xmpExt:PersonName"] {
            people.formUnion(values(of: tag, in: xmp))
        }
        if !people.isEmpty {
            found.append(PrivacyFinding(kind: .personName, detail: people.sorted().joined(separator: ", ")))
        }
        return found
    }

    /// Every value of `tag`, written as an attribute (`tag="v"`), an element (`<tag>v</tag>`)
    /// or a list (`<tag><rdf:Bag><rdf:li>v</rdf:li>…`).
    static func values(of tag: String, in xmp: String) -> [String] {
        var values: [String] = []
        var rest = Substring(xmp)
        while let range = rest.range(of: tag) {
            let after = rest[range.upperBound...]
            let before = rest[..<range.lowerBound]
            if after.hasPrefix("=\"") || after.hasPrefix("='") {
                let quote = after[after.index(after.startIndex, offsetBy: 1)]
                let body = after.dropFirst(2)
                if let end = body.firstIndex(of: quote) { values.append(decode(body[..<end])) }
            } else if before.hasSuffix("<"), after.hasPrefix(">") {
                let body = after.dropFirst()
                if let close = body.range(of: "</\(tag)>") {
                    let content = body[..<close.lowerBound]
                    if content.contains("<rdf:li") {
                        values += listItems(content)
                    } else {
                        values.append(decode(content))
                    }
                }
            }
            rest = rest[range.upperBound...]
        }
        return values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    private static func listItems(_ content: Substring) -> [String] {
        var items: [String] = []
        var rest = content
        while let open = rest.range(of: "<rdf:li") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: ">") else { break }
            let body = afterOpen[afterOpen.index(after: close)...]
            guard let end = body.range(of: "</rdf:li>") else { break }
            items.append(decode(body[..<end.lowerBound]))
            rest = body[end.upperBound...]
        }
        return items
    }

    private static func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'")
    }
}
