internal import CVips
internal import CVipsShims

/// Owns one libvips image reference and releases it in `deinit`.
///
/// Every image derived from it keeps its ancestors' encoded bytes alive (`source`), since
/// libvips decodes lazily from the caller's memory. Not `Sendable`: one image, one thread.
final class VipsImage {
    let pointer: UnsafeMutablePointer<CVips.VipsImage>
    private let source: SourceBytes?

    init(pointer: UnsafeMutablePointer<CVips.VipsImage>, source: SourceBytes?) {
        self.pointer = pointer
        self.source = source
    }

    deinit { g_object_unref(pointer) }

    /// Opens `source` with libvips' loader options (`"shrink=2,fail_on=truncated"`). Reads the
    /// header only; pixels are decoded when something asks for them.
    static func open(_ source: SourceBytes, options: String) throws(VipsFailure) -> VipsImage {
        let base = source.bytes.baseAddress
        // The error buffer is global and keeps what earlier images left there (libjpeg's
        // warnings from a header that still read): only what comes after this mark is this
        // input's (`Vips.markErrors`).
        Vips.markErrors()
        guard let pointer = CVipsShims_image_new_from_buffer(base, source.count, options) else {
            throw VipsFailure.take()
        }
        return VipsImage(pointer: pointer, source: source)
    }

    /// Runs one libvips operation that writes a new image through `out`.
    func derive(
        _ operation: (UnsafeMutablePointer<CVips.VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<CVips.VipsImage>?>) -> Int32
    ) throws(VipsFailure) -> VipsImage {
        var out: UnsafeMutablePointer<CVips.VipsImage>?
        guard operation(pointer, &out) == 0, let out else { throw VipsFailure.take() }
        return VipsImage(pointer: out, source: source)
    }

    // MARK: Header

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }
    var bands: Int { Int(vips_image_get_bands(pointer)) }
    var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    var bandFormat: VipsBandFormat { vips_image_get_format(pointer) }
    var interpretation: VipsInterpretation { vips_image_guess_interpretation(pointer) }
    var isSixteenBit: Bool { bandFormat == VIPS_FORMAT_USHORT || bandFormat == VIPS_FORMAT_SHORT }

    /// The EXIF orientation libvips read, 1 to 8 (invalid or missing values read as 1).
    var orientation: Int {
        let value = Int(vips_image_get_orientation(pointer))
        return (1...8).contains(value) ? value : 1
    }

    /// The names of every metadata field libvips attached to the image.
    var fieldNames: [String] {
        guard let fields = vips_image_get_fields(pointer) else { return [] }
        defer { g_strfreev(fields) }
        var names: [String] = []
        var index = 0
        while let name = fields[index] {
            names.append(String(cString: name))
            index += 1
        }
        return names
    }

    func hasField(_ name: String) -> Bool {
        vips_image_get_typeof(pointer, name) != 0
    }

    /// A string field, or the string form libvips gives any other field.
    func string(_ name: String) -> String? {
        guard hasField(name) else { return nil }
        var value: UnsafeMutablePointer<CChar>?
        guard vips_image_get_as_string(pointer, name, &value) == 0, let value else { return nil }
        defer { g_free(value) }
        return String(cString: value)
    }

    /// A binary field (for example `xmp-data`), copied out.
    func blob(_ name: String) -> [UInt8]? {
        guard hasField(name) else { return nil }
        var data: UnsafeRawPointer?
        var length = 0
        guard vips_image_get_blob(pointer, name, &data, &length) == 0, let data else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }

    // MARK: Operations

    func extractArea(left: Int, top: Int, width: Int, height: Int) throws(VipsFailure) -> VipsImage {
        if left == 0 && top == 0 && width == self.width && height == self.height { return self }
        return try derive { CVipsShims_extract_area($0, $1, Int32(left), Int32(top), Int32(width), Int32(height)) }
    }

    func resize(horizontal: Double, vertical: Double) throws(VipsFailure) -> VipsImage {
        if horizontal == 1 && vertical == 1 { return self }
        return try derive { CVipsShims_resize($0, $1, horizontal, vertical, VIPS_KERNEL_LANCZOS3) }
    }

    /// Grows the canvas to `width` x `height`, repeating the edge pixels.
    func embedExtendingEdges(x: Int, y: Int, width: Int, height: Int) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_embed($0, $1, Int32(x), Int32(y), Int32(width), Int32(height), VIPS_EXTEND_COPY) }
    }

    /// Places the image at (x, y) on a `width` x `height` canvas of a solid colour.
    func embed(x: Int, y: Int, width: Int, height: Int, background: [Double]) throws(VipsFailure) -> VipsImage {
        try derive { input, out in
            background.withUnsafeBufferPointer {
                CVipsShims_embed_background(input, out, Int32(x), Int32(y), Int32(width), Int32(height), $0.baseAddress, Int32($0.count))
            }
        }
    }

    /// Pastes `image` onto this one at (x, y).
    func inserting(_ image: VipsImage, x: Int, y: Int) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_insert($0, image.pointer, $1, Int32(x), Int32(y)) }
    }

    func gaussianBlur(sigma: Double) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_gaussblur($0, $1, sigma) }
    }

    /// The top-left corner of the `width` x `height` area libvips' attention model picks.
    func attentionCrop(width: Int, height: Int) throws(VipsFailure) -> (left: Int, top: Int) {
        let crop = try derive { CVipsShims_smartcrop($0, $1, Int32(width), Int32(height), VIPS_INTERESTING_ATTENTION) }
        // smartcrop's result is an extract_area, whose offsets say where it was cut.
        return (-Int(vips_image_get_xoffset(crop.pointer)), -Int(vips_image_get_yoffset(crop.pointer)))
    }

    func flatten(background: [Double], maxAlpha: Double) throws(VipsFailure) -> VipsImage {
        try derive { input, out in
            background.withUnsafeBufferPointer {
                CVipsShims_flatten(input, out, $0.baseAddress, Int32($0.count), maxAlpha)
            }
        }
    }

    func iccTransform(toProfile output: String, fallbackInputProfile input: String) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_icc_transform($0, $1, output, input, VIPS_INTENT_RELATIVE) }
    }

    func colourspace(_ space: VipsInterpretation) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_colourspace($0, $1, space) }
    }

    func cast(_ format: VipsBandFormat) throws(VipsFailure) -> VipsImage {
        if bandFormat == format { return self }
        return try derive { CVipsShims_cast($0, $1, format) }
    }

    func extractBands(from band: Int, count: Int) throws(VipsFailure) -> VipsImage {
        if band == 0 && count == bands { return self }
        return try derive { CVipsShims_extract_band($0, $1, Int32(band), Int32(count)) }
    }

    /// `scale` x each sample + `offset`, as 8-bit (truncated, clipped to 0-255).
    func linearUChar(scale: Double, offset: Double) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_linear_uchar($0, $1, scale, offset) }
    }

    /// This image's bands followed by `other`'s. `other` must decode from the same encoded bytes
    /// as this image (or from none), since only this image's are kept alive.
    func joining(_ other: VipsImage) throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_bandjoin2($0, other.pointer, $1) }
    }

    func autorotate() throws(VipsFailure) -> VipsImage {
        try derive { CVipsShims_autorot($0, $1) }
    }

    /// Arms libvips' kill switch: an evaluation of this image still running at `deadline` stops
    /// with an error at its next progress report.
    func limitTime(until deadline: ContinuousClock.Instant) {
        let left = ContinuousClock.now.duration(to: deadline).components
        CVipsShims_limit_time(pointer, Double(left.seconds) + Double(left.attoseconds) * 1e-18)
    }

    /// A new memory image of `width` x `height` with this image's bands, format and metadata,
    /// whose pixels `fill` writes from this image's: (source, source row bytes, output, output
    /// row bytes). This image is computed whole first; when it was decoded into memory (or is a
    /// crop of such an image) `fill` reads libvips' own buffer, with nothing copied.
    func reduced(
        width: Int, height: Int,
        fill: (UnsafePointer<UInt8>, Int, UnsafeMutablePointer<UInt8>, Int) -> Bool
    ) throws(VipsFailure) -> VipsImage {
        guard let region = CVipsShims_region_whole(pointer) else { throw VipsFailure.take() }
        defer { g_object_unref(region) }
        guard let made = CVipsShims_image_new_memory_like(pointer, Int32(width), Int32(height)),
            let output = CVipsShims_image_pixels(made)
        else { throw VipsFailure.take() }
        let image = VipsImage(pointer: made, source: nil)
        guard let input = CVipsShims_region_pixels(region),
            fill(input, CVipsShims_region_stride(region), output, CVipsShims_image_stride(made))
        else { throw VipsFailure(message: "out of memory for the reducer's row buffer") }
        return image
    }

    /// Reads every pixel where libvips keeps it (computed whole first): `body` gets the first
    /// row and the bytes from one row to the next.
    func withPixels<T>(_ body: (UnsafePointer<UInt8>, Int) -> T) throws(VipsFailure) -> T {
        guard let region = CVipsShims_region_whole(pointer) else { throw VipsFailure.take() }
        defer { g_object_unref(region) }
        guard let pixels = CVipsShims_region_pixels(region) else { throw VipsFailure.take() }
        return body(pixels, CVipsShims_region_stride(region))
    }

    /// Decodes every pixel into memory now, so decode errors surface here and the small result
    /// can be read in any order (rotation) without rereading the source.
    func copyToMemory() throws(VipsFailure) -> VipsImage {
        guard let out = vips_image_copy_memory(pointer) else { throw VipsFailure.take() }
        return VipsImage(pointer: out, source: source)
    }

    /// Every pixel, decoded and packed row after row (width x bands samples per row).
    func pixelBytes() throws(VipsFailure) -> [UInt8] {
        var length = 0
        guard let memory = vips_image_write_to_memory(pointer, &length) else { throw VipsFailure.take() }
        defer { g_free(memory) }
        return Array(UnsafeRawBufferPointer(start: memory, count: length))
    }

    /// Removes one metadata field. Only for an image an operation just made for this code.
    func removeField(_ name: String) {
        _ = vips_image_remove(pointer, name)
    }

    /// Removes every metadata field (EXIF, XMP, IPTC, ICC, thumbnails, text, orientation) from
    /// this image's header. Only for an image this code made and nothing else holds.
    func removeAllMetadata() {
        for name in fieldNames {
            // Returns false for the fixed header fields (width, bands...), which stay.
            _ = vips_image_remove(pointer, name)
        }
    }

    // MARK: Encoding

    /// Encodes raw 8-bit RGB pixels as a JPEG (for making test and bench inputs).
    static func encodeJPEG(rgb pixels: [UInt8], width: Int, height: Int, quality: Int) throws(PrepError) -> [UInt8] {
        let made = pixels.withUnsafeBytes {
            vips_image_new_from_memory_copy($0.baseAddress, $0.count, Int32(width), Int32(height), 3, VIPS_FORMAT_UCHAR)
        }
        guard let made else { throw PrepError(.internalFailure, "libvips could not make an image: \(Vips.takeErrorMessage())") }
        let image = VipsImage(pointer: made, source: nil)
        do {
            return try image.encode { CVipsShims_jpegsave_buffer($0, $1, $2, Int32(quality), VIPS_FOREIGN_SUBSAMPLE_ON) }
        } catch {
            throw PrepError(.internalFailure, "libvips could not encode an image: \(error.message)")
        }
    }

    func encode(with save: (UnsafeMutablePointer<CVips.VipsImage>, UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32) throws(VipsFailure) -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard save(pointer, &buffer, &length) == 0, let buffer else { throw VipsFailure.take() }
        defer { g_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }
}

/// A libvips call failed; `message` is what libvips' error buffer held at that moment.
struct VipsFailure: Error {
    let message: String

    static func take() -> VipsFailure { VipsFailure(message: Vips.takeErrorMessage()) }
}
