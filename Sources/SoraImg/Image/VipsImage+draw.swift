internal import CVips
internal import CVipsShims

/// Drawing on images, for pictures people look at (inspect's preview), never for an upload.
extension VipsImage {
    /// Every band times `factor` plus `offset`, back in 8 bits.
    func linear(_ factor: Double, _ offset: Double) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_linear1($0, $1, factor, offset) }
    }

    /// Draws a rectangle onto this image itself: an outline one pixel wide unless `filled`.
    /// Only for a private memory image (`copyToMemory`), which nothing else reads.
    func drawRect(left: Int, top: Int, width: Int, height: Int, colour: [Double], filled: Bool = false) throws(VipsFailure) {
        let result = colour.withUnsafeBufferPointer {
            CVipsShims_draw_rect(pointer, $0.baseAddress, Int32($0.count), Int32(left), Int32(top), Int32(width), Int32(height), filled ? 1 : 0)
        }
        guard result == 0 else { throw VipsFailure.take() }
    }

    /// One band made three (grey as RGB).
    func threeBands() throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_bandjoin_three($0, $1) }
    }

    /// `text` as a one-band mask (255 is ink), wrapped to `width` pixels.
    static func text(_ text: String, font: String, width: Int, dpi: Int) throws(VipsFailure) -> VipsImage {
        var out: UnsafeMutablePointer<CVips.VipsImage>?
        guard CVipsShims_text(&out, text, font, Int32(width), Int32(dpi)) == 0, let out else { throw VipsFailure.take() }
        return VipsImage(pointer: out, source: nil)
    }

    /// Encodes as PNG with no metadata.
    func pngBytes() throws(VipsFailure) -> [UInt8] {
        try encode { CVipsShims_pngsave_buffer($0, $1, $2, 6) }
    }

    /// Encodes as JPEG with no metadata.
    func jpegBytes(quality: Int) throws(VipsFailure) -> [UInt8] {
        try encode { CVipsShims_jpegsave_buffer($0, $1, $2, Int32(quality), VIPS_FOREIGN_SUBSAMPLE_ON) }
    }
}
