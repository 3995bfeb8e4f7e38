/// What XMP says about who and where: GPS, serial numbers, owners, places, face and person
/// regions with the names they carry, and descriptions. One scan may read several packets
/// (a JPEG's main packet and its Extended XMP), whose findings are reported together.
struct XMPScan {
    private var latitude: Double?
    private var longitude: Double?
    /// Properties found, in the order first seen, with their distinct values.
    private var properties: [(kind: PrivacyKind, label: String, values: [String])] = []
    private var propertyIndex: [XMPName: Int] = [:]
    private var regionNames: [[String]] = Array(repeating: [], count: XMPScan.regionSchemas.count)
    private var regionSeen = Array(repeating: false, count: XMPScan.regionSchemas.count)
    private var people: [String] = []

    /// How many distinct values of one property are kept: enough to name everyone in a group
    /// photo, few enough that a packet listing a million names costs nothing.
    static let valuesKept = 50

    mutating func read(_ packet: [UInt8]) {
        XMPReader.read(packet) { path, value in visit(path, value) }
    }

    mutating func read(_ packet: UnsafeRawBufferPointer) {
        XMPReader.read(packet) { path, value in visit(path, value) }
    }

    private mutating func visit(_ path: [XMPName], _ value: String?) {
        guard let last = path.last else { return }
        guard let value else {
            for (index, schema) in Self.regionSchemas.enumerated() where schema.container == last { regionSeen[index] = true }
            return
        }
        for (index, schema) in Self.regionSchemas.enumerated() where schema.names.contains(last) && path.contains(schema.container) {
            Self.add(value, to: &regionNames[index])
            Self.add(value, to: &people)
        }
        if last == XMPName(namespace: NS.iptcExt, local: "PersonInImage") { Self.add(value, to: &people) }
        if last == XMPName(namespace: NS.exif, local: "GPSLatitude") { latitude = Self.coordinate(value) ?? latitude }
        if last == XMPName(namespace: NS.exif, local: "GPSLongitude") { longitude = Self.coordinate(value) ?? longitude }
        if let rule = Self.rules[last] {
            if let index = propertyIndex[last] {
                Self.add(value, to: &properties[index].values)
            } else {
                propertyIndex[last] = properties.count
                properties.append((rule.kind, rule.label, [value]))
            }
        }
    }

    private static func add(_ value: String, to list: inout [String]) {
        if list.count < valuesKept, !list.contains(value) { list.append(value) }
    }

    var findings: [PrivacyFinding] {
        var found: [PrivacyFinding] = []
        if latitude != nil || longitude != nil {
            let parts = [latitude.map { "latitude \(MetadataScan.format($0))" }, longitude.map { "longitude \(MetadataScan.format($0))" }]
            found.append(PrivacyFinding(kind: .gps, detail: parts.compactMap { $0 }.joined(separator: ", ") + " (XMP)"))
        }
        for property in properties {
            found.append(PrivacyFinding(kind: property.kind, detail: "XMP \(property.label): " + property.values.joined(separator: ", ")))
        }
        for (index, schema) in Self.regionSchemas.enumerated() where regionSeen[index] || !regionNames[index].isEmpty {
            let names = regionNames[index]
            found.append(PrivacyFinding(kind: .faceRegion, detail: "\(schema.name) regions" + (names.isEmpty ? " (no names)" : ": " + names.joined(separator: ", "))))
        }
        if !people.isEmpty {
            found.append(PrivacyFinding(kind: .personName, detail: people.sorted().joined(separator: ", ")))
        }
        return found
    }

    /// Degrees from XMP's GPS form, `DDD,MM.mmk` or `DDD,MM,SSk` (k one of N, S, E, W), or a
    /// plain decimal.
    static func coordinate(_ text: String) -> Double? {
        var body = text.trimmingCharacters(in: .whitespaces)
        var sign = 1.0
        if let direction = body.last, "NSEWnsew".contains(direction) {
            sign = "SWsw".contains(direction) ? -1 : 1
            body.removeLast()
        }
        let numbers = body.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !numbers.isEmpty, numbers.count <= 3, numbers.allSatisfy({ $0 != nil }) else { return nil }
        let parts = numbers.compactMap { $0 }
        let degrees = parts[0] + (parts.count > 1 ? parts[1] / 60 : 0) + (parts.count > 2 ? parts[2] / 3600 : 0)
        return degrees.isFinite ? degrees * sign : nil
    }

    // MARK: What is looked for

    /// Namespace URIs, which is what identifies a schema; the prefixes in labels are only the
    /// conventional ones, whatever the file used.
    enum NS {
        static let exif = "http://ns.adobe.com/exif/1.0/"
        static let aux = "http://ns.adobe.com/exif/1.0/aux/"
        static let exifEX = "http://cipa.jp/exif/1.0/"
        static let tiff = "http://ns.adobe.com/tiff/1.0/"
        static let dc = "http://purl.org/dc/elements/1.1/"
        static let photoshop = "http://ns.adobe.com/photoshop/1.0/"
        static let xmpRights = "http://ns.adobe.com/xap/1.0/rights/"
        static let iptcCore = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
        static let iptcExt = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
        static let mwgRegions = "http://www.metadataworkinggroup.com/schemas/regions/"
        static let microsoftPhoto = "http://ns.microsoft.com/photo/1.2/"
        static let microsoftRegion = "http://ns.microsoft.com/photo/1.2/t/Region#"
    }

    /// Face and person regions in the three schemas cameras and photo managers write: the
    /// property that holds the regions, and the ones that name who is in them.
    static let regionSchemas: [(name: String, container: XMPName, names: [XMPName])] = [
        ("MWG", XMPName(namespace: NS.mwgRegions, local: "Regions"), [XMPName(namespace: NS.mwgRegions, local: "Name")]),
        ("Microsoft Photo", XMPName(namespace: NS.microsoftPhoto, local: "RegionInfo"),
         [XMPName(namespace: NS.microsoftRegion, local: "PersonDisplayName")]),
        ("IPTC Extension", XMPName(namespace: NS.iptcExt, local: "ImageRegion"),
         [XMPName(namespace: NS.iptcExt, local: "Name"), XMPName(namespace: NS.iptcExt, local: "PersonName")]),
    ]

    private static let rules: [XMPName: (kind: PrivacyKind, label: String)] = {
        let table: [(String, String, [String], PrivacyKind)] = [
            (NS.aux, "aux", ["SerialNumber", "LensSerialNumber"], .cameraSerial),
            (NS.exifEX, "exifEX", ["BodySerialNumber", "LensSerialNumber"], .cameraSerial),
            (NS.exifEX, "exifEX", ["CameraOwnerName"], .owner),
            (NS.aux, "aux", ["OwnerName"], .owner),
            (NS.tiff, "tiff", ["Artist", "Copyright"], .owner),
            (NS.dc, "dc", ["creator", "rights"], .owner),
            (NS.photoshop, "photoshop", ["Credit", "AuthorsPosition"], .owner),
            (NS.xmpRights, "xmpRights", ["Owner"], .owner),
            (NS.photoshop, "photoshop", ["City", "State", "Country"], .location),
            (NS.iptcCore, "Iptc4xmpCore", ["Location", "CountryCode"], .location),
            (NS.iptcExt, "Iptc4xmpExt", ["City", "ProvinceState", "CountryName", "Sublocation", "LocationName"], .location),
            (NS.dc, "dc", ["description", "title"], .comment),
            (NS.tiff, "tiff", ["ImageDescription"], .comment),
            (NS.exif, "exif", ["UserComment"], .comment),
        ]
        var rules: [XMPName: (kind: PrivacyKind, label: String)] = [:]
        for (namespace, prefix, locals, kind) in table {
            for local in locals { rules[XMPName(namespace: namespace, local: local)] = (kind, "\(prefix):\(local)") }
        }
        return rules
    }()
}
