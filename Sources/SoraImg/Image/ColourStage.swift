internal import CVips

/// Converts any decoded image to 8-bit sRGB with three bands (plus alpha on request).
enum ColourStage {
    /// ICC-tagged images go through their profile; untagged CMYK through libvips' built-in CMYK
    /// profile; untagged grey and 16-bit through a plain colourspace change. Untagged 8-bit RGB
    /// is left exactly as it is: converting it "from sRGB to sRGB" would shift its colours.
    static func toSRGB8(_ image: VipsImage, keepingAlpha: Bool = false) throws(VipsFailure) -> VipsImage {
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

        let wanted = keepingAlpha && image.hasAlpha ? 4 : 3
        if image.bands > wanted {
            image = try image.extractBands(from: 0, count: wanted)
        }
        return image
    }
}
