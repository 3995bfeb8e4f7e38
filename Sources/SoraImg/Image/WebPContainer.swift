/// Removes metadata chunks from an encoded WebP.
///
/// libvips 8.14's webpsave adds an EXIF chunk (orientation, resolution, dimensions) even when
/// told to strip, so soraimg cleans the RIFF container itself: EXIF, XMP and ICCP chunks are
/// dropped and the VP8X header's flags for them cleared. The image data is not touched.
@_spi(Fuzzing) public enum WebPContainer {
    private static let metadataChunks: Set<String> = ["EXIF", "XMP ", "ICCP"]
    /// VP8X flag bits: ICC profile, EXIF, XMP.
    private static let metadataFlags: UInt8 = 0x20 | 0x08 | 0x04

    @_spi(Fuzzing) public static func removingMetadata(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) else {
            return bytes
        }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var offset = 12
        while offset + 8 <= bytes.count {
            let fourCC = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let end = min(bytes.count, offset + 8 + size + (size & 1))
            if !metadataChunks.contains(fourCC) {
                var chunk = Array(bytes[offset..<end])
                if fourCC == "VP8X", chunk.count > 8 { chunk[8] &= ~metadataFlags }
                kept += chunk
            }
            offset = end
        }
        let riffSize = UInt32(kept.count + 4)
        let header = Array("RIFF".utf8) + withUnsafeBytes(of: riffSize.littleEndian, Array.init) + Array("WEBP".utf8)
        return header + kept
    }
}
