/// PNG inputs for the harnesses: checksums made right so that mutations reach the chunks' data.
public enum PNGFuzzing {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The same file with each whole chunk's CRC set to its type and data's; a chunk cut short
    /// ends the walk.
    public static func withChecksumsMadeRight(_ png: [UInt8]) -> [UInt8] {
        var bytes = png
        var offset = 8
        while bytes.count - offset >= 12 {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= bytes.count - offset - 12 else { break }
            let crc = crc32(bytes[(offset + 4)..<(offset + 8 + length)])
            for i in 0..<4 { bytes[offset + 8 + length + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
            offset += 12 + length
        }
        return bytes
    }

    /// The CRC-32 PNG uses (ISO 3309, reflected, polynomial 0xEDB88320).
    private static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        ~bytes.reduce(UInt32.max) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
