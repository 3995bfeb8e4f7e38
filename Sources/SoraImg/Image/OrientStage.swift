/// Applies the EXIF orientation, on the small fitted image rather than the full decode: the
/// fit worked in stored coordinates, so only the output's pixels are turned.
enum OrientStage {
    /// `image` is in memory; the result is too, and is private to the caller.
    static func upright(_ image: VipsImage, orientation: Int) throws(VipsFailure) -> VipsImage {
        guard orientation != 1 else { return image }
        return try image.autorotate().copyToMemory()
    }
}
