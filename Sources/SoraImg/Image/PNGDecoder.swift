internal import CPNGDecode
internal import CVips
internal import CVipsShims

#if canImport(Glibc)
    import Glibc
#endif

/// Decodes the commonest PNGs (8-bit grey, grey and alpha, RGB, RGBA; not interlaced; no tRNS
/// chunk) without libvips' loader: libdeflate inflates about 2.5 times as fast as zlib, and
/// inflating was most of a PNG prep's time. The result is a memory image like the one libvips
/// would have decoded (its header's bands, interpretation and metadata), the same pixels (the
/// tests compare them byte for byte). Any other PNG, and any damaged one, is left to libvips,
/// whose error then names the damage.
@_spi(Fuzzing) public enum PNGDecoder {
    /// The pixels of `header`'s PNG, or nil when libvips should decode it.
    static func decode(_ header: ImageHeader) -> VipsImage? {
        let like = header.image
        guard header.format == .png, like.bandFormat == VIPS_FORMAT_UCHAR, (1...4).contains(like.bands) else { return nil }
        let width = Int32(like.width), height = Int32(like.height), bands = Int32(like.bands)
        let bytes = header.decodable.bytes
        let png = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard cpngdecode_takes(png, bytes.count, width, height, bands) == 1 else { return nil }
        // One buffer holds the inflated rows and, once their filters are undone where they lie,
        // the pixels: no second copy of the image.
        let size = cpngdecode_buffer_size(width, height, bands)
        guard size > 0, let buffer = malloc(size)?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let result = cpngdecode_decode(png, bytes.count, width, height, bands, buffer)
        guard result == CPNGDECODE_DONE,
            let made = CVipsShims_image_adopting_pixels(like.pointer, buffer, Int(width) * Int(height) * Int(bands), width, height)
        else {
            free(buffer)
            // libvips may have said why it could not wrap the pixels; its own decode will say again.
            _ = Vips.takeErrorMessage()
            return nil
        }
        return VipsImage(pointer: made, source: nil)
    }
}

extension PNGDecoder {
    /// For the fuzzer: decodes `bytes` both ways when soraimg's decoder takes them and they have
    /// at most `maxPixels` (prep's limit: prep checks it before decoding), and says how the
    /// results differ (nil when they agree, or when only one way could decode them).
    @_spi(Fuzzing) public static func disagreement(decoding bytes: [UInt8], maxPixels: Int) -> String? {
        guard (try? ImageProcessing.start()) != nil, let header = try? ImageHeader.read(SourceBytes(copying: bytes)),
            header.source.stored.pixels <= maxPixels, let ours = decode(header)
        else { return nil }
        // libvips may refuse what soraimg decodes (a damaged ancillary chunk after the image
        // data, which only its full decode reads); the pixels are compared where both decode.
        guard let theirs = try? header.reopen(adding: "", access: .random).pixelBytes() else { return nil }
        guard let pixels = try? ours.pixelBytes() else { return "soraimg's decoded PNG could not be read back" }
        guard pixels == theirs else {
            let first = zip(pixels, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(pixels.count, theirs.count)
            return "PNG pixels differ from libvips' from byte \(first) (\(pixels.count) and \(theirs.count) bytes)"
        }
        return nil
    }
}
