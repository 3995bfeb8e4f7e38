import Foundation

/// Adds marker segments to a JPEG, for metadata no tool writes on request: a second EXIF
/// block, Extended XMP in pieces, XMP spelled with unusual prefixes or character references.
enum JPEGWriter {
    /// An APPn segment: marker, big-endian length (which counts itself), body.
    static func segment(app n: UInt8, _ body: [UInt8]) -> [UInt8] {
        let length = body.count + 2
        return [0xFF, 0xE0 + n, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    /// The JPEG at `path` with `segments` placed after its existing APPn segments (where a
    /// writer appending metadata puts them), before the tables and the image data.
    static func inserting(_ segments: [[UInt8]], into path: String) throws -> [UInt8] {
        let jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var offset = 2
        while offset + 4 <= jpeg.count, jpeg[offset] == 0xFF, (0xE0...0xEF).contains(jpeg[offset + 1]) {
            offset += 2 + (Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3]))
        }
        return Array(jpeg[..<offset]) + segments.flatMap { $0 } + Array(jpeg[offset...])
    }

    /// An APP1 XMP segment holding `packet`.
    static func xmp(_ packet: String) -> [UInt8] {
        segment(app: 1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array(packet.utf8))
    }

    /// An APP1 EXIF segment holding a TIFF block.
    static func exif(_ tiff: [UInt8]) -> [UInt8] {
        segment(app: 1, Array("Exif".utf8) + [0, 0] + tiff)
    }

    /// The Extended XMP segments carrying `packet` in `pieces` parts, in the given order of
    /// parts (`[1, 0]` sends the second part first), each naming the GUID, full length and offset.
    static func extendedXMP(_ packet: String, guid: String, pieces: Int, order: [Int]? = nil) -> [[UInt8]] {
        let bytes = Array(packet.utf8)
        let size = (bytes.count + pieces - 1) / pieces
        let parts = (0..<pieces).map { index in (offset: index * size, data: Array(bytes[min(bytes.count, index * size)..<min(bytes.count, (index + 1) * size)])) }
        func u32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
        return (order ?? Array(0..<pieces)).map { index in
            segment(app: 1, Array("http://ns.adobe.com/xmp/extension/".utf8) + [0] + Array(guid.utf8) + u32(bytes.count) + u32(parts[index].offset) + parts[index].data)
        }
    }

    /// An XMP packet around `description`'s properties, with namespaces declared on
    /// rdf:Description as `declarations` (`xmlns:e='…'`).
    static func packet(declarations: String, _ body: String) -> String {
        """
        <?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
        <x:xmpmeta xmlns:x='adobe:ns:meta/'>
        <rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
        <rdf:Description rdf:about='' \(declarations)>
        \(body)
        </rdf:Description>
        </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end='w'?>
        """
    }
}
