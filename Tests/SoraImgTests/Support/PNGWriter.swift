import Foundation

/// Builds PNG files chunk by chunk, for fixtures no encoder makes on request: a chosen depth,
/// colour type and profile, or chunks in an unusual place (an eXIf after the image data).
/// The image data is stored in deflate's uncompressed blocks, so no zlib is needed.
enum PNGWriter {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The signature followed by `chunks` (each from `chunk(_:_:)`), in that order.
    static func file(_ chunks: [[UInt8]]) -> [UInt8] { signature + chunks.flatMap { $0 } }

    /// Length, type, data and CRC.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc32(typeBytes + data))
    }

    /// Colour types: 0 grey, 2 RGB, 3 palette, 4 grey and alpha, 6 RGB and alpha.
    static func header(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8) -> [UInt8] {
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colourType, 0, 0, 0])
    }

    /// The rows (already packed: big-endian samples for 16 bits), each with filter type 0.
    static func imageData(rows: [[UInt8]]) -> [UInt8] {
        chunk("IDAT", zlibStored(rows.flatMap { [0] + $0 }))
    }

    /// An embedded ICC profile.
    static func profile(_ profile: [UInt8], name: String = "icc") -> [UInt8] {
        chunk("iCCP", Array(name.utf8) + [0, 0] + zlibStored(profile))
    }

    static let end = chunk("IEND", [])

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    static func bigEndian16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, bytes.count - offset)
            let last: UInt8 = offset + count == bytes.count ? 1 : 0
            out += [last, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += bytes[offset..<(offset + count)]
            offset += count
        } while offset < bytes.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// A minimal ICC v2 grey display profile: a gamma curve and a D50 white point, which is all
/// lcms needs to convert grey pixels (libvips has no built-in grey profile).
enum GreyProfile {
    static func make(gamma: Double = 2.2) -> [UInt8] {
        func fixed(_ value: Double) -> [UInt8] { PNGWriter.bigEndian(UInt32(bitPattern: Int32((value * 65_536).rounded()))) }
        func padded(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4) }
        let d50 = fixed(0.9642) + fixed(1.0) + fixed(0.8249)
        let description = Array("soraimg test grey".utf8) + [0]
        let tags: [(String, [UInt8])] = [
            ("desc", padded(Array("desc".utf8) + [0, 0, 0, 0] + PNGWriter.bigEndian(UInt32(description.count)) + description
                + [UInt8](repeating: 0, count: 4 + 4 + 2 + 1 + 67))),
            ("wtpt", Array("XYZ ".utf8) + [0, 0, 0, 0] + d50),
            ("kTRC", padded(Array("curv".utf8) + [0, 0, 0, 0] + PNGWriter.bigEndian(1) + PNGWriter.bigEndian16(UInt16(gamma * 256)))),
            ("cprt", padded(Array("text".utf8) + [0, 0, 0, 0] + Array("none".utf8) + [0])),
        ]
        var offset = 128 + 4 + 12 * tags.count
        var table = PNGWriter.bigEndian(UInt32(tags.count))
        var data: [UInt8] = []
        for (signature, body) in tags {
            table += Array(signature.utf8) + PNGWriter.bigEndian(UInt32(offset)) + PNGWriter.bigEndian(UInt32(body.count))
            data += body
            offset += body.count
        }
        var header = [UInt8](repeating: 0, count: 128)
        func put(_ bytes: [UInt8], at position: Int) { header.replaceSubrange(position..<(position + bytes.count), with: bytes) }
        put(PNGWriter.bigEndian(UInt32(offset)), at: 0)
        put([0x02, 0x10, 0, 0], at: 8)
        put(Array("mntrGRAYXYZ ".utf8), at: 12)
        put(Array("acsp".utf8), at: 36)
        put(d50, at: 68)
        return header + table + data
    }
}
