internal import CVips

/// Converts any decoded image to 8-bit sRGB with three bands (plus alpha on request).
enum ColourStage {
    /// The colour bands go through the conversions below; the alpha band, when there is one, is
    /// split off first and rescaled on its own from its format's range to 0-255, so the two stay
    /// in step whatever depth the colour conversion ends at. (libvips' icc_transform, asked for
    /// 8 bits, clips a 16-bit alpha instead of rescaling it: a 6%-opaque 16-bit pixel became
    /// fully opaque.)
    static func toSRGB8(_ image: VipsImage, keepingAlpha: Bool = false) throws(VipsFailure) -> VipsImage {
        guard image.hasAlpha else { return try colourToSRGB8(image) }
        if image.bandFormat == VIPS_FORMAT_UCHAR && image.interpretation == VIPS_INTERPRETATION_sRGB
            && !image.hasField("icc-profile-data")
        {
            // Untagged 8-bit RGBA, the common case, needs no conversion: no split either.
            return try image.extractBands(from: 0, count: keepingAlpha ? 4 : 3)
        }
        let colour = try colourToSRGB8(image.extractBands(from: 0, count: image.bands - 1))
        guard keepingAlpha else { return colour }
        return try colour.joining(alpha8(image.extractBands(from: image.bands - 1, count: 1)))
    }

    /// ICC-tagged images go through their profile; untagged CMYK through libvips' built-in CMYK
    /// profile; untagged grey and 16-bit through a plain colourspace change. Untagged 8-bit RGB
    /// is left exactly as it is: converting it "from sRGB to sRGB" would shift its colours.
    /// `image` has no alpha band.
    private static func colourToSRGB8(_ image: VipsImage) throws(VipsFailure) -> VipsImage {
        var image = image
        let interpretation = image.interpretation
        let isCMYK = interpretation == VIPS_INTERPRETATION_CMYK
        var converted = false

        if image.hasField("icc-profile-data") || isCMYK {
            do {
                // With no usable embedded profile, lcms falls back to the built-in one named here.
                image = try image.iccTransform(toProfile: "srgb", fallbackInputProfile: isCMYK ? "cmyk" : "srgb")
                // The result is plain sRGB now: drop the profile icc_transform attached, so a
                // later call (alpha is flattened before the resize, colour after) does nothing.
                image.removeField("icc-profile-data")
                converted = true
            } catch {
                // A damaged or unusual profile (libvips refuses some that only warn elsewhere):
                // treat the pixels as untagged rather than refuse a photo over its profile.
                guard !isCMYK else { throw error }
            }
        }
        if !converted && (interpretation != VIPS_INTERPRETATION_sRGB || image.bandFormat != VIPS_FORMAT_UCHAR) {
            image = try image.colourspace(VIPS_INTERPRETATION_sRGB)
        }
        image = try image.cast(VIPS_FORMAT_UCHAR)
        if image.bands > 3 {
            image = try image.extractBands(from: 0, count: 3)
        }
        return image
    }

    /// One alpha band as 8 bits, rounded to nearest: opaque is 65535 in a 16-bit image and 255
    /// in the other formats libvips' JPEG, PNG and WebP loaders produce.
    private static func alpha8(_ alpha: VipsImage) throws(VipsFailure) -> VipsImage {
        switch alpha.bandFormat {
        case VIPS_FORMAT_UCHAR: return alpha
        case VIPS_FORMAT_USHORT: return try alpha.linearUChar(scale: 255.0 / 65535.0, offset: 0.5)
        default: return try alpha.linearUChar(scale: 1, offset: 0.5)
        }
    }
}
