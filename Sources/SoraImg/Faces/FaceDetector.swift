internal import CFaceDetect
internal import CVips

/// Finds frontal human faces with dlib's HOG detector (the `Faces` package trait) on a small
/// grey copy of an image, and gives the boxes in that image's coordinates.
enum FaceDetector {
    /// The long side of the grey copy the detector sees. The smallest face dlib finds is a
    /// 73-pixel box at its pyramid's first level, so at 640 a 1280x720 output shows faces from
    /// about 146 pixels. Smaller copies cost less (on one photo, AVX2, CPU time: 14 ms at 640,
    /// 11 at 560, 7 at 480) but reach less: the test composite's face (score 0.7 here) is lost
    /// below 600.
    static let workingSize = 640

    /// The most faces reported for one image.
    static let capacity = 64

    /// False when the package was built without the `Faces` trait (or without dlib).
    static var isAvailable: Bool { cfacedetect_available() == 1 }

    /// Which code looks: prep's scan (its AVX2 copy where the CPU has it), the same scan compiled
    /// for any CPU, or dlib's own detector call. The tests compare them.
    enum Code {
        case fastest, portable, dlib

        fileprivate var c: CFaceDetectCode {
            switch self {
            case .fastest: CFACEDETECT_FASTEST
            case .portable: CFACEDETECT_PORTABLE
            case .dlib: CFACEDETECT_DLIB
            }
        }
    }

    /// The faces in `image`, best first; nil when this build has no detector. A negative
    /// `adjustment` lowers the detector's threshold, so weaker candidates (negative scores) are
    /// reported too, at most `limit` of them.
    static func faces(in image: VipsImage, code: Code = .fastest, adjustment: Double = 0, limit: Int = capacity) throws(VipsFailure) -> [FaceBox]? {
        guard isAvailable else { return nil }
        let (pixels, width, height) = try greyCopy(of: image)
        var boxes = [CFaceBox](repeating: CFaceBox(), count: limit)
        let count = pixels.withUnsafeBufferPointer { grey in
            boxes.withUnsafeMutableBufferPointer { out in
                cfacedetect_find(grey.baseAddress, Int32(width), Int32(height), Int32(width), out.baseAddress, Int32(limit), code.c, adjustment)
            }
        }
        guard count >= 0 else { return nil }
        let scaleX = Double(image.width) / Double(width)
        let scaleY = Double(image.height) / Double(height)
        return boxes.prefix(min(Int(count), limit)).compactMap { box in
            // dlib's boxes may reach past the edges; keep the part inside the image.
            let left = max(0, Int((Double(box.left) * scaleX).rounded()))
            let top = max(0, Int((Double(box.top) * scaleY).rounded()))
            let right = min(image.width, Int((Double(box.left + box.width) * scaleX).rounded()))
            let bottom = min(image.height, Int((Double(box.top + box.height) * scaleY).rounded()))
            guard right > left, bottom > top else { return nil }
            return FaceBox(left: left, top: top, width: right - left, height: bottom - top, score: box.score)
        }
    }

    /// One 8-bit grey band, `workingSize` on its long side, packed row after row. Prep's outputs
    /// are always larger and shrink; a smaller upload grows, so a face filling a 128-pixel image
    /// is still seen.
    private static func greyCopy(of image: VipsImage) throws(VipsFailure) -> (pixels: [UInt8], width: Int, height: Int) {
        let scale = Double(workingSize) / Double(max(image.width, image.height))
        let size = VideoSize(
            width: max(1, Int((Double(image.width) * scale).rounded())), height: max(1, Int((Double(image.height) * scale).rounded())))
        // Prep's own output (8-bit sRGB, in memory): shrink the colour image with soraimg's
        // reducer, then weigh the bands into grey, here. libvips' route (B_W through linear
        // light in floating point on the full-size image, then its resize) cost more CPU than
        // the detector itself (measured: about 20 ms of the face check's 35 per photo).
        if image.bands == 3, image.bandFormat == VIPS_FORMAT_UCHAR, image.width == 2 * size.width, image.height == 2 * size.height {
            return (try image.withPixels { pixels, stride in lumaHalved(rgb: pixels, stride: stride, size: size) }, size.width, size.height)
        }
        if image.bands == 3, image.bandFormat == VIPS_FORMAT_UCHAR,
            let small = try Reduction.reduce(image, scaleX: scale, scaleY: scale, left: 0, top: 0, size: size)
        {
            return (luma(ofRGB: try small.pixelBytes()), size.width, size.height)
        }
        var grey = image
        // B_W keeps 16-bit samples 16-bit; go through 8-bit sRGB so the cast does not clip.
        if grey.isSixteenBit { grey = try grey.colourspace(VIPS_INTERPRETATION_sRGB) }
        grey = try grey.colourspace(VIPS_INTERPRETATION_B_W).extractBands(from: 0, count: 1).cast(VIPS_FORMAT_UCHAR)
        grey = try grey.resize(horizontal: scale, vertical: scale)
        return (try grey.pixelBytes(), grey.width, grey.height)
    }

    /// Grey at half the size of 8-bit RGB rows, each pixel the mean of a 2x2 block, weighed as
    /// `luma(ofRGB:)` does. Every landscape and portrait output (1280x720, 720x1280) is exactly
    /// twice the working size, and the mean of four is the right filter for halving: it costs a
    /// tenth of a Lanczos reduce, which was about 3% of a batch's CPU time.
    static func lumaHalved(rgb: UnsafePointer<UInt8>, stride: Int, size: VideoSize) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size.width * size.height) { grey, initialised in
            for y in 0..<size.height {
                let upper = rgb + 2 * y * stride, lower = upper + stride
                for x in 0..<size.width {
                    let i = 6 * x
                    let red = UInt32(upper[i]) + UInt32(upper[i + 3]) + UInt32(lower[i]) + UInt32(lower[i + 3])
                    let green = UInt32(upper[i + 1]) + UInt32(upper[i + 4]) + UInt32(lower[i + 1]) + UInt32(lower[i + 4])
                    let blue = UInt32(upper[i + 2]) + UInt32(upper[i + 5]) + UInt32(lower[i + 2]) + UInt32(lower[i + 5])
                    grey[y * size.width + x] = UInt8(truncatingIfNeeded: (54 * red + 183 * green + 19 * blue + 512) >> 10)
                }
            }
            initialised = size.width * size.height
        }
    }

    /// Grey from packed 8-bit RGB, with the Rec. 709 weights (in 8-bit fixed point, summing to
    /// 256) that libvips' B_W uses. libvips weighs in linear light; weighing the sRGB values
    /// directly differs slightly in mid-tones, which the detector's features (gradients, their
    /// contrast normalised block by block) hardly see.
    static func luma(ofRGB rgb: [UInt8]) -> [UInt8] {
        let count = rgb.count / 3
        return [UInt8](unsafeUninitializedCapacity: count) { grey, initialised in
            rgb.withUnsafeBufferPointer { rgb in
                for i in 0..<count {
                    let red = UInt32(rgb[3 * i]), green = UInt32(rgb[3 * i + 1]), blue = UInt32(rgb[3 * i + 2])
                    grey[i] = UInt8(truncatingIfNeeded: (54 * red + 183 * green + 19 * blue + 128) >> 8)
                }
            }
            initialised = count
        }
    }
}
