internal import CFaceDetect
internal import CVips

/// Finds frontal human faces with dlib's HOG detector (the `Faces` package trait) on a small
/// grey copy of an image, and gives the boxes in that image's coordinates.
enum FaceDetector {
    /// The long side of the grey copy the detector sees. dlib's window is 80x80 pixels, so at
    /// 640 a 1280x720 output shows faces from about 160 pixels tall; measured at about 40 ms
    /// per image on 2 cores (issue 6).
    static let workingSize = 640

    /// The most faces reported for one image.
    static let capacity = 64

    /// False when the package was built without the `Faces` trait (or without dlib).
    static var isAvailable: Bool { cfacedetect_available() == 1 }

    /// The faces in `image`, best first; nil when this build has no detector. `portable` forces
    /// the detector compiled for any CPU instead of its AVX2 copy (for the tests to compare).
    static func faces(in image: VipsImage, portable: Bool = false) throws(VipsFailure) -> [FaceBox]? {
        guard isAvailable else { return nil }
        let grey = try greyCopy(of: image)
        let pixels = try grey.pixelBytes()
        let width = grey.width
        let height = grey.height
        var boxes = [CFaceBox](repeating: CFaceBox(), count: capacity)
        let count = pixels.withUnsafeBufferPointer { grey in
            boxes.withUnsafeMutableBufferPointer { out in
                cfacedetect_find(grey.baseAddress, Int32(width), Int32(height), Int32(width), out.baseAddress, Int32(capacity), portable ? 1 : 0)
            }
        }
        guard count >= 0 else { return nil }
        let scaleX = Double(image.width) / Double(width)
        let scaleY = Double(image.height) / Double(height)
        return boxes.prefix(min(Int(count), capacity)).compactMap { box in
            // dlib's boxes may reach past the edges; keep the part inside the image.
            let left = max(0, Int((Double(box.left) * scaleX).rounded()))
            let top = max(0, Int((Double(box.top) * scaleY).rounded()))
            let right = min(image.width, Int((Double(box.left + box.width) * scaleX).rounded()))
            let bottom = min(image.height, Int((Double(box.top + box.height) * scaleY).rounded()))
            guard right > left, bottom > top else { return nil }
            return FaceBox(left: left, top: top, width: right - left, height: bottom - top, score: box.score)
        }
    }

    /// One 8-bit grey band, `workingSize` on its long side. Prep's outputs are always larger
    /// and shrink; a smaller upload grows, so a face filling a 128-pixel image is still seen.
    private static func greyCopy(of image: VipsImage) throws(VipsFailure) -> VipsImage {
        var grey = image
        // B_W keeps 16-bit samples 16-bit; go through 8-bit sRGB so the cast does not clip.
        if grey.isSixteenBit { grey = try grey.colourspace(VIPS_INTERPRETATION_sRGB) }
        grey = try grey.colourspace(VIPS_INTERPRETATION_B_W).extractBands(from: 0, count: 1).cast(VIPS_FORMAT_UCHAR)
        let scale = Double(workingSize) / Double(max(grey.width, grey.height))
        return try grey.resize(horizontal: scale, vertical: scale)
    }
}
