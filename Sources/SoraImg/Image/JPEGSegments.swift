import Foundation

/// A walk over a JPEG's marker segments up to the image data, for what libvips does not
/// report: comment (COM) segments, multi-picture (MPF) blocks holding further images,
/// Extended XMP, the IPTC records in every APP13 segment, and EXIF segments after the first
/// (libvips parses only the first).
struct JPEGSegments {
    private(set) var comments = RepeatedFindings(kind: .comment, family: "JPEG comments")
    private(set) var hasMultiPicture = false
    private var extended = ExtendedXMP()
    private var iptc = IPTCRecords()
    /// The TIFF blocks of the APP1 EXIF segments, in file order.
    private var exifBlocks: [ArraySlice<UInt8>] = []
    /// The Extended XMP packets, each joined from its pieces.
    var extendedXMP: [[UInt8]] { extended.packets }

    init(_ bytes: UnsafeRawBufferPointer) {
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xDA || marker == 0xD9 { break }  // image data or end
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            let body = bytes[(offset + 4)..<(offset + 2 + length)]
            if marker == 0xFE {
                let text = String(decoding: body.prefix { $0 != 0 }.prefix(200), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { comments.add(quote: text) { "JPEG comment: \($0)" } }
            } else if marker == 0xE2, body.starts(with: Array("MPF\0".utf8)) {
                hasMultiPicture = true
            } else if marker == 0xE1 {
                let segment = ArraySlice(body)
                if segment.starts(with: Array("Exif\0\0".utf8)) {
                    exifBlocks.append(segment.dropFirst(6))
                } else {
                    _ = extended.add(segment: segment)
                }
            } else if marker == 0xED {
                _ = iptc.add(segment: ArraySlice(body))
            }
            offset += 2 + length
        }
    }

    /// Whether the file ends before the image does: its marker walk reaches the image data
    /// (SOS) and no end-of-image marker (FF D9) follows. Inside entropy-coded data an FF byte is
    /// always followed by 00 or a restart marker, so FF D9 there can only be the real end; one
    /// inside an EXIF thumbnail, before SOS, does not count. libjpeg reports such a file only
    /// as a warning, which libvips 8.14 let through about once in fifty decodes under parallel
    /// load; this check does not depend on it. A walk that cannot reach SOS says nothing here
    /// (libvips then refuses the header itself).
    static func endsBeforeImageEnd(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if marker == 0xD9 { return false }
            if marker == 0xDA {
                // memchr from one FF to the next: the scan costs a fraction of a millisecond
                // on a phone photo, where a byte-by-byte loop cost about 1.5% of a batch.
                guard let base = bytes.baseAddress else { return true }
                var index = offset + 2
                while index + 1 < bytes.count {
                    guard let found = memchr(base + index, 0xFF, bytes.count - index - 1) else { return true }
                    index = base.distance(to: UnsafeRawPointer(found))
                    if bytes[index + 1] == 0xD9 { return false }
                    index += 1
                }
                return true
            }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2 else { return false }
            offset += 2 + length
        }
        return false
    }

    var findings: [PrivacyFinding] {
        var found = comments.findings + iptc.findings
        if hasMultiPicture {
            found.append(PrivacyFinding(kind: .thumbnail, detail: "multi-picture (MPF) block: further images of the scene (previews, depth or HDR maps)"))
        }
        for (index, block) in exifBlocks.enumerated().dropFirst() {
            found += ExifReader(tiff: block)?.findings(source: "EXIF segment \(index + 1)") ?? []
        }
        for packet in extendedXMP {
            found.append(PrivacyFinding(kind: .xmp, detail: "Extended XMP packet (\(packet.count) bytes)"))
        }
        return found
    }
}
