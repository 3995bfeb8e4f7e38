/// A property name with its prefix resolved to the namespace it stands for.
///
/// XMP, like any XML, lets a file bind any prefix to a namespace: `e:GPSLatitude` is
/// `exif:GPSLatitude` when `e` is bound to the EXIF namespace. Readers that match prefixes miss
/// what the file spells differently, so names are compared by URI and local part.
struct XMPName: Hashable, Sendable {
    let namespace: String
    let local: String
}

/// One pass over an XMP packet's XML, handing each property value to a visitor with the names
/// of the properties that contain it.
///
/// Not a general XML parser: it knows elements, attributes, text, CDATA, comments and
/// processing instructions, which is all XMP uses, and skips anything else. Prefixes are
/// resolved through the `xmlns` declarations in scope; character references and the five
/// predefined entities are decoded. RDF's own structure (`rdf:Description`, `rdf:Bag`,
/// `rdf:li`, …) is left out of the paths, so `dc:creator`'s list items arrive as `[dc:creator]`
/// and a region's name as `[mwg-rs:Regions, mwg-rs:RegionList, mwg-rs:Name]`.
///
/// The packet comes from the file, so the work is bounded: one pass, nesting cut at
/// `maxDepth`, each value kept to `maxValueBytes`.
struct XMPReader {
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let meta = "adobe:ns:meta/"
    static let xml = "http://www.w3.org/XML/1998/namespace"

    /// Deeper than any real packet (a region list is about eight levels); past it the rest of
    /// the packet is not read.
    static let maxDepth = 64
    /// Longer than any name or place; a longer value is cut (a finding shows 300 characters).
    static let maxValueBytes = 4096

    /// Called with the enclosing property path and a value, or `nil` when a property element
    /// opens (so a region list with no names is still seen).
    typealias Visitor = (_ path: [XMPName], _ value: String?) -> Void

    static func read(_ packet: UnsafeRawBufferPointer, visit: Visitor) {
        withoutActuallyEscaping(visit) { visit in
            var reader = XMPReader(bytes: packet, visit: visit)
            reader.run()
        }
    }

    static func read(_ packet: [UInt8], visit: Visitor) {
        packet.withUnsafeBytes { read($0, visit: visit) }
    }

    private struct Element {
        let isProperty: Bool
        /// Namespace prefixes this element declared, undone when it closes.
        let declared: [(prefix: String, previous: String?)]
        var text: [UInt8] = []
        var hasChildren = false
    }

    private let bytes: UnsafeRawBufferPointer
    private let visit: Visitor
    private var index = 0
    private var prefixes: [String: String] = ["xml": XMPReader.xml]
    private var open: [Element] = []
    private var path: [XMPName] = []

    private init(bytes: UnsafeRawBufferPointer, visit: @escaping Visitor) {
        self.bytes = bytes
        self.visit = visit
    }

    private mutating func run() {
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                index = find(UInt8(ascii: "<"), from: index) ?? bytes.count
                appendText(start..<index)
            } else if starts(with: "<!--") {
                index = end(of: "-->", from: index + 4)
            } else if starts(with: "<![CDATA[") {
                let start = index + 9
                index = end(of: "]]>", from: start)
                appendText(start..<max(start, index - 3), raw: true)
            } else if starts(with: "<?") {
                index = end(of: "?>", from: index + 2)
            } else if starts(with: "<!") {
                index = end(of: ">", from: index + 2)  // a DOCTYPE: XMP allows none, nothing in it is used
            } else if starts(with: "</") {
                index = end(of: ">", from: index + 2)
                close()
            } else if !startTag() {
                return
            }
        }
    }

    // MARK: Tags

    /// Reads `<name attr="v" …>` or `<… />`; false when the packet ends inside it or nests too deep.
    private mutating func startTag() -> Bool {
        index += 1
        let name = readName()
        var attributes: [(name: String, value: String)] = []
        while true {
            skipSpace()
            guard index < bytes.count else { return false }
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") { break }
            let attribute = readName()
            guard !attribute.isEmpty else { index += 1; continue }  // stray byte: step over it
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipSpace()
            guard index < bytes.count else { return false }
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { continue }
            let valueStart = index + 1
            guard let valueEnd = find(quote, from: valueStart) else { return false }
            attributes.append((attribute, Self.decode(bytes[valueStart..<min(valueEnd, valueStart + Self.maxValueBytes)])))
            index = valueEnd + 1
        }
        let selfClosing = bytes[index] == UInt8(ascii: "/")
        index = end(of: ">", from: index)
        guard open.count < Self.maxDepth else { return false }

        // Declarations first: they apply to the element's own name and attributes.
        var declared: [(prefix: String, previous: String?)] = []
        for attribute in attributes where attribute.name == "xmlns" || attribute.name.hasPrefix("xmlns:") {
            let prefix = attribute.name == "xmlns" ? "" : String(attribute.name.dropFirst(6))
            declared.append((prefix, prefixes[prefix]))
            prefixes[prefix] = attribute.value
        }
        if !open.isEmpty { open[open.count - 1].hasChildren = true }
        let element = resolve(name, isAttribute: false)
        let isProperty = element.namespace != Self.rdf && element.namespace != Self.meta
        open.append(Element(isProperty: isProperty, declared: declared))
        if isProperty {
            path.append(element)
            visit(path, nil)
        }
        for attribute in attributes where !(attribute.name == "xmlns" || attribute.name.hasPrefix("xmlns:")) {
            let qualified = resolve(attribute.name, isAttribute: true)
            // RDF's own attributes (about, parseType), the toolkit's and xml:lang are structure.
            guard !qualified.namespace.isEmpty, ![Self.rdf, Self.meta, Self.xml].contains(qualified.namespace) else { continue }
            visit(path + [qualified], attribute.value)
        }
        if selfClosing { close() }
        return true
    }

    private mutating func close() {
        guard let element = open.popLast() else { return }
        if element.isProperty {
            if !element.hasChildren {
                let value = Self.decode(element.text[...]).trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { visit(path, value) }
            }
            path.removeLast()
        } else if !element.hasChildren, !element.text.isEmpty, !path.isEmpty {
            // An rdf:li or rdf:value holds the value of the property around it.
            let value = Self.decode(element.text[...]).trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { visit(path, value) }
        }
        for declaration in element.declared.reversed() { prefixes[declaration.prefix] = declaration.previous }
    }

    private func resolve(_ name: String, isAttribute: Bool) -> XMPName {
        guard let colon = name.firstIndex(of: ":") else {
            // Unprefixed attributes belong to no namespace; unprefixed elements to the default one.
            return XMPName(namespace: isAttribute ? "" : prefixes[""] ?? "", local: name)
        }
        let prefix = String(name[..<colon])
        return XMPName(namespace: prefixes[prefix] ?? "", local: String(name[name.index(after: colon)...]))
    }

    // MARK: Bytes

    private mutating func appendText(_ range: Range<Int>, raw: Bool = false) {
        guard !open.isEmpty, !range.isEmpty else { return }
        let room = Self.maxValueBytes - open[open.count - 1].text.count
        guard room > 0 else { return }
        var slice = Array(bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + room)])
        if raw {
            // CDATA is literal: protect its ampersands from the reference decoding to come.
            slice = slice.flatMap { $0 == UInt8(ascii: "&") ? Array("&amp;".utf8) : [$0] }
        }
        open[open.count - 1].text += slice
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || Self.isSpace(byte) { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipSpace() {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return (0..<count).allSatisfy { bytes[index + $0] == text.utf8Start[$0] }
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes[start...].firstIndex(of: byte)
    }

    /// The index just past `terminator`, or the end of the packet.
    private func end(of terminator: StaticString, from start: Int) -> Int {
        let first = terminator.utf8Start[0]
        let count = terminator.utf8CodeUnitCount
        var position = start
        while let found = find(first, from: position) {
            if found + count <= bytes.count, (0..<count).allSatisfy({ bytes[found + $0] == terminator.utf8Start[$0] }) {
                return found + count
            }
            position = found + 1
        }
        return bytes.count
    }

    /// Text with its character references (`&#83;`, `&#x53;`) and the predefined entities
    /// (`&amp;` and the rest) decoded; any other `&…;` is kept as written.
    static func decode(_ text: Slice<UnsafeRawBufferPointer>) -> String {
        decode(Array(text)[...])
    }

    static func decode(_ text: ArraySlice<UInt8>) -> String {
        let raw = String(decoding: text, as: UTF8.self)
        guard raw.contains("&") else { return raw }
        var result = ""
        var rest = Substring(raw)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let entity = after[..<semicolon]
            if let scalar = character(entity) {
                result.unicodeScalars.append(scalar)
                rest = after[after.index(after: semicolon)...]
            } else {
                result += "&"
                rest = after
            }
        }
        return result + rest
    }

    private static let predefined: [Substring: Unicode.Scalar] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]

    private static func character(_ entity: Substring) -> Unicode.Scalar? {
        if let named = predefined[entity] { return named }
        guard entity.hasPrefix("#") else { return nil }
        let digits = entity.dropFirst()
        let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        // A reference to NUL or a surrogate is not text; shown as the replacement character.
        guard let value else { return nil }
        return Unicode.Scalar(value).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}"
    }
}
