import Foundation

/// Reads the identifying metadata libvips attached to a decoded header: EXIF (libexif's parsed
/// fields), XMP, IPTC, ICC and PNG text. Everything found here is what prep strips.
enum MetadataScan {
    /// `moreXMP`: packets libvips does not attach (a JPEG's Extended XMP, a PNG's XMP text
    /// chunk), read together with its own so one region list is reported once.
    static func findings(in image: VipsImage, moreXMP: [[UInt8]] = []) -> [PrivacyFinding] {
        var found: [PrivacyFinding] = []
        let fields = image.fieldNames

        if image.hasField("exif-data") {
            found.append(PrivacyFinding(kind: .exif, detail: "EXIF block (\(fields.filter { $0.hasPrefix("exif-ifd") }.count) tags)"))
        }
        if let gps = gpsPosition(image) {
            found.append(PrivacyFinding(kind: .gps, detail: gps))
        }
        for field in fields where field.hasPrefix("exif-ifd") && field.hasSuffix("SerialNumber") {
            if let value = ExifValue.human(image.string(field)), !value.isEmpty {
                found.append(PrivacyFinding(kind: .cameraSerial, detail: "\(ExifValue.tagName(field)): \(value)"))
            }
        }
        for field in ["exif-ifd0-Artist", "exif-ifd0-Copyright", "exif-ifd2-CameraOwnerName"] {
            if let value = ExifValue.human(image.string(field)), !value.isEmpty {
                found.append(PrivacyFinding(kind: .owner, detail: "\(ExifValue.tagName(field)): \(value)"))
            }
        }
        for field in ["exif-ifd0-ImageDescription", "exif-ifd2-UserComment"] {
            if let value = ExifValue.human(image.string(field)), !value.isEmpty {
                found.append(PrivacyFinding(kind: .comment, detail: "\(ExifValue.tagName(field)): \(value)"))
            }
        }
        if let thumbnail = image.blob("jpeg-thumbnail-data") {
            found.append(PrivacyFinding(kind: .thumbnail, detail: "embedded EXIF thumbnail (\(thumbnail.count) bytes) of the uncropped original"))
        }
        var xmp = XMPScan()
        if let packet = image.blob("xmp-data") {
            found.append(PrivacyFinding(kind: .xmp, detail: "XMP packet (\(packet.count) bytes)"))
            xmp.read(packet)
        }
        for packet in moreXMP { xmp.read(packet) }
        found += xmp.findings
        if let iptc = image.blob("iptc-data") {
            found.append(PrivacyFinding(kind: .iptc, detail: "IPTC block (\(iptc.count) bytes)"))
        }
        if let icc = image.blob("icc-profile-data") {
            found.append(PrivacyFinding(kind: .icc, detail: "ICC profile (\(icc.count) bytes)"))
        }
        return found
    }

    /// The position in decimal degrees, when the GPS IFD carries one.
    private static func gpsPosition(_ image: VipsImage) -> String? {
        guard let latitude = ExifValue.degrees(image.string("exif-ifd3-GPSLatitude")),
            let longitude = ExifValue.degrees(image.string("exif-ifd3-GPSLongitude"))
        else { return nil }
        let north = ExifValue.human(image.string("exif-ifd3-GPSLatitudeRef"))?.hasPrefix("S") == true ? -1.0 : 1.0
        let east = ExifValue.human(image.string("exif-ifd3-GPSLongitudeRef"))?.hasPrefix("W") == true ? -1.0 : 1.0
        return "latitude \(format(latitude * north)), longitude \(format(longitude * east))"
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 100_000).rounded() / 100_000
        return "\(scaled)"
    }
}

/// libvips gives each EXIF tag as `RAW (HUMAN, Type, N components, M bytes)`.
enum ExifValue {
    /// `exif-ifd0-Artist` → `Artist`.
    static func tagName(_ field: String) -> String {
        String(field.split(separator: "-").last ?? Substring(field))
    }

    /// The human-readable part of a tag's string form.
    static func human(_ text: String?) -> String? {
        guard var text, text.hasSuffix(")") else { return nil }
        text.removeLast()
        // Drop ", Type, N components, M bytes" from the right.
        var parts = text.components(separatedBy: ", ")
        guard parts.count >= 4 else { return nil }
        parts.removeLast(3)
        let rest = parts.joined(separator: ", ")
        guard let open = rest.range(of: " (") else { return nil }
        return String(rest[open.upperBound...]).trimmingCharacters(in: .whitespaces)
    }

    /// Degrees from a GPS rational triple, whose human form is `43, 28, 2.81400000`.
    static func degrees(_ text: String?) -> Double? {
        guard let human = human(text) else { return nil }
        let numbers = human.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 3 else { return nil }
        return numbers[0] + numbers[1] / 60 + numbers[2] / 3600
    }
}
