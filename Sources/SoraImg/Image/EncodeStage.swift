internal import CVips
internal import CVipsShims

/// Encodes the final pixels with every metadata block stripped (EXIF, XMP, IPTC, ICC, text).
enum EncodeStage {
    /// `image` must be the pipeline's own final image: its metadata is removed in place.
    /// A failure here is the encoder's, never the input's: the pixels were decoded before.
    static func encode(_ image: VipsImage, options: PrepOptions) throws(PrepError) -> [UInt8] {
        do {
            return try encoded(image, options: options)
        } catch {
            throw PrepError(.internalFailure, "the \(options.format.displayName) encoder failed: \(error.message)")
        }
    }

    private static func encoded(_ image: VipsImage, options: PrepOptions) throws(VipsFailure) -> [UInt8] {
        // Two locks on one door: the header is emptied, and each saver is told to strip.
        // libvips 8.14's webpsave writes EXIF and XMP despite `strip` (caught by
        // MetadataTests), so the saver's flag alone is not enough.
        image.removeAllMetadata()
        switch options.format {
        case .jpeg:
            // libvips turns subsampling off at quality >= 90 unless told; 4:2:0 is what every
            // peer writes and is a third smaller.
            let subsample = options.chroma == .s420 ? VIPS_FOREIGN_SUBSAMPLE_ON : VIPS_FOREIGN_SUBSAMPLE_OFF
            return try image.encode { CVipsShims_jpegsave_buffer($0, $1, $2, Int32(options.quality), subsample) }
        case .png:
            return try image.encode { CVipsShims_pngsave_buffer($0, $1, $2, 6) }
        case .webp:
            let encoded = try image.encode { CVipsShims_webpsave_buffer($0, $1, $2, Int32(options.quality)) }
            return WebPContainer.removingMetadata(encoded)
        }
    }
}
