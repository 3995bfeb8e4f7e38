import Foundation

/// A rectangle in a preview's pixels.
public struct PreviewRect: Sendable, Equatable {
    public let left: Int
    public let top: Int
    public let width: Int
    public let height: Int
}

/// A picture of what prep will upload, for a person to look at before paying: the whole
/// upright photo, the region prep keeps outlined and everything else dimmed, the faces found
/// boxed, and a caption saying what will be sent.
public struct UploadPreview: Sendable {
    /// The encoded picture (PNG or JPEG, no metadata).
    public let bytes: [UInt8]
    /// The photo's part of the picture; the caption, when there is one, is a strip below it.
    public let size: VideoSize
    /// The region prep uploads, outlined, in the preview's pixels.
    public let region: PreviewRect
    /// The faces found, boxed, in the preview's pixels.
    public let faces: [PreviewRect]
    /// The words under the picture.
    public let caption: String
    /// Why the caption could not be drawn (libvips' text needs Pango and a font); nil when it was.
    public let captionFailure: String?

    /// The longest side of the photo's part, at most.
    public static let longSide = 1024
    /// Photos smaller than this are enlarged to it, so the outline and the caption can be read.
    static let shortestLongSide = 512
    /// The outline of the region prep keeps (magenta), three pixels wide, inside the region.
    public static let regionColour: [Double] = [255, 0, 255]
    public static let outlineWidth = 3
    /// The boxes around faces (cyan), two pixels wide.
    public static let faceColour: [Double] = [0, 255, 255]
    /// How bright what prep cuts away is drawn.
    static let dimming = 0.35

    /// Draws the preview of the image in the file at `path`, from its `report` (the target,
    /// the faces and the enlargement `ImageInspector` found with the same `options`).
    /// - Parameter format: `.png` or `.jpeg`.
    public static func draw(file path: String, report: InspectReport, options: PrepOptions, format: ImageFormat) throws(PrepError) -> UploadPreview {
        try ImageProcessing.start()
        return try draw(ImageHeader.read(InputReader.read(path: path, maxBytes: options.maxBytes)), report: report, options: options, format: format)
    }

    static func draw(_ header: ImageHeader, report: InspectReport, options: PrepOptions, format: ImageFormat) throws(PrepError) -> UploadPreview {
        guard format != .webp else { throw PrepError(.usage, "a preview is a .png or .jpg file") }
        guard let target = report.target else {
            throw PrepError(.usage, "the model \(options.model.name) has no known sizes, so there is nothing to preview; give --size WxH")
        }
        let source = header.source
        guard source.stored.pixels <= options.maxPixels else {
            throw PrepError(.overLimit, "\(source.stored) is over the \(options.maxPixels)-pixel limit (--max-pixels)")
        }
        let upright = source.upright
        let long = max(upright.width, upright.height)
        let scale = Double(min(longSide, max(shortestLongSide, long))) / Double(long)
        let size = VideoSize(width: max(1, Int((Double(upright.width) * scale).rounded())), height: max(1, Int((Double(upright.height) * scale).rounded())))
        let kept = try keptRegion(header, target: target, options: options)
        let region = previewRect(kept, scale: scale, within: size)
        let faces = (report.faces ?? []).map { box in
            previewRect(sourceRect(of: box, kept: kept, upright: upright, target: target, fit: options.fit), scale: scale, within: size)
        }
        let caption = Self.caption(report: report, target: target, options: options)
        let (bytes, failure) = try header.decoding { () throws(VipsFailure) -> ([UInt8], String?) in
            var picture = try photo(header, size: size, background: options.background)
            picture = try highlight(region, in: picture)
            for face in faces { try outline(face, on: picture, colour: faceColour, width: 2) }
            var failure: String?
            do {
                picture = try addCaption(caption, below: picture)
            } catch let error as VipsFailure {
                failure = error.message.split(separator: "\n").first.map(String.init) ?? "libvips could not render text"
            } catch {
                failure = "\(error)"
            }
            return (format == .png ? try picture.pngBytes() : try picture.jpegBytes(quality: 90), failure)
        }
        return UploadPreview(bytes: bytes, size: size, region: region, faces: faces, caption: caption, captionFailure: failure)
    }

    /// The upright photo at `size`, 8-bit sRGB, in memory and private (drawable).
    private static func photo(_ header: ImageHeader, size: VideoSize, background: Background) throws(VipsFailure) -> VipsImage {
        let source = header.source
        // Let libjpeg shrink while decoding when the preview is much smaller than the photo.
        let room = Double(max(source.stored.width, source.stored.height)) / Double(max(size.width, size.height))
        let factor = source.format == .jpeg ? ShrinkOnLoad.jpegFactor(room: room) : 1
        var image = try header.reopen(adding: factor > 1 ? "shrink=\(factor)" : "", access: .random).copyToMemory()
        image = try OrientStage.upright(image, orientation: source.orientation)
        image = try FitStage.flattenAlpha(image, onto: background.flatColour)
        image = try ColourStage.toSRGB8(image)
        image = try image.resize(horizontal: Double(size.width) / Double(image.width), vertical: Double(size.height) / Double(image.height))
        return try FitStage.cutExactly(image, target: size, left: 0, top: 0).copyToMemory()
    }

    /// The part of the upright photo prep keeps, in its pixels: cover's cut (around libvips'
    /// attention point with `--crop attention`), or the whole picture for contain and stretch.
    static func keptRegion(_ header: ImageHeader, target: VideoSize, options: PrepOptions) throws(PrepError) -> (left: Double, top: Double, width: Double, height: Double) {
        let upright = header.source.upright
        guard options.fit == .cover else { return (0, 0, Double(upright.width), Double(upright.height)) }
        var focus: (x: Double, y: Double)?
        if options.crop == .attention {
            let loaded = try LoadStage.open(header, options: options)
            let point = try loaded.decoding { () throws(VipsFailure) in try FitStage.attentionFocus(loaded, target: loaded.storedTarget) }
            // The attention point is in the loaded (maybe shrunk) image's stored pixels.
            let stored = header.source.stored
            let x = point.x * Double(stored.width) / Double(loaded.image.width)
            let y = point.y * Double(stored.height) / Double(loaded.image.height)
            focus = uprightPoint(x: x, y: y, stored: stored, orientation: header.source.orientation)
        }
        return CoverGeometry(source: upright.width, upright.height, target: target, focus: focus).visible(target: target)
    }

    /// Where a point of the stored image is once the EXIF orientation is applied.
    static func uprightPoint(x: Double, y: Double, stored: VideoSize, orientation: Int) -> (x: Double, y: Double) {
        let width = Double(stored.width), height = Double(stored.height)
        switch orientation {
        case 2: return (width - x, y)
        case 3: return (width - x, height - y)
        case 4: return (x, height - y)
        case 5: return (y, x)
        case 6: return (height - y, x)
        case 7: return (height - y, width - x)
        case 8: return (y, width - x)
        default: return (x, y)
        }
    }

    /// Where a face found in the prepared image (its pixels) is in the upright photo.
    static func sourceRect(
        of box: FaceBox, kept: (left: Double, top: Double, width: Double, height: Double), upright: VideoSize, target: VideoSize, fit: FitMode
    ) -> (left: Double, top: Double, width: Double, height: Double) {
        if fit == .contain {
            let geometry = ContainGeometry(source: upright.width, upright.height, target: target)
            let scaleX = Double(upright.width) / Double(geometry.fitted.width)
            let scaleY = Double(upright.height) / Double(geometry.fitted.height)
            return (Double(box.left - geometry.left) * scaleX, Double(box.top - geometry.top) * scaleY, Double(box.width) * scaleX, Double(box.height) * scaleY)
        }
        let scaleX = kept.width / Double(target.width)
        let scaleY = kept.height / Double(target.height)
        return (kept.left + Double(box.left) * scaleX, kept.top + Double(box.top) * scaleY, Double(box.width) * scaleX, Double(box.height) * scaleY)
    }

    /// A rectangle of the upright photo in the preview's whole pixels, inside the preview.
    static func previewRect(_ rect: (left: Double, top: Double, width: Double, height: Double), scale: Double, within size: VideoSize) -> PreviewRect {
        let left = min(size.width - 1, max(0, Int((rect.left * scale).rounded())))
        let top = min(size.height - 1, max(0, Int((rect.top * scale).rounded())))
        let right = min(size.width, max(left + 1, Int(((rect.left + rect.width) * scale).rounded())))
        let bottom = min(size.height, max(top + 1, Int(((rect.top + rect.height) * scale).rounded())))
        return PreviewRect(left: left, top: top, width: right - left, height: bottom - top)
    }

    /// Dims everything outside `region` and outlines it.
    private static func highlight(_ region: PreviewRect, in picture: VipsImage) throws(VipsFailure) -> VipsImage {
        var result = picture
        if region.width < picture.width || region.height < picture.height {
            let kept = try picture.extractArea(left: region.left, top: region.top, width: region.width, height: region.height)
            result = try picture.linear(dimming, 0).inserting(kept, x: region.left, y: region.top).copyToMemory()
        }
        try outline(region, on: result, colour: regionColour, width: outlineWidth)
        return result
    }

    /// Draws `width` nested one-pixel outlines just inside `rect`.
    private static func outline(_ rect: PreviewRect, on picture: VipsImage, colour: [Double], width: Int) throws(VipsFailure) {
        for inset in 0..<width where rect.width > 2 * inset && rect.height > 2 * inset {
            try picture.drawRect(
                left: rect.left + inset, top: rect.top + inset, width: rect.width - 2 * inset, height: rect.height - 2 * inset, colour: colour)
        }
    }

    /// The picture with a black strip below it holding `caption` in white.
    private static func addCaption(_ caption: String, below picture: VipsImage) throws(VipsFailure) -> VipsImage {
        let margin = 8
        // libvips reads the text as Pango markup, where these three characters are syntax.
        let markup = caption.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        let text = try VipsImage.text(markup, font: "sans 11", width: max(16, picture.width - 2 * margin), dpi: 96).threeBands()
        let strip = try text.embed(
            x: margin, y: margin / 2 + 2, width: picture.width, height: text.height + margin + 4, background: [0, 0, 0])
        let canvas = try picture.embed(x: 0, y: 0, width: picture.width, height: picture.height + strip.height, background: [0, 0, 0])
        return try canvas.inserting(strip, x: 0, y: picture.height)
    }

    /// "sora-2 1280x720, cover (centre) · upscaled 12.8x · 1 human face".
    static func caption(report: InspectReport, target: VideoSize, options: PrepOptions) -> String {
        var fit = options.fit.rawValue
        if options.fit == .cover { fit += " (\(options.crop == .attention ? "attention" : "centre"))" }
        var parts = ["uploads \(target) for \(options.model.name), \(fit)"]
        parts.append(report.upscale.map { "upscaled \(String(format: "%.1f", $0))x: blurry" } ?? "not upscaled")
        switch report.faces {
        case nil: parts.append("faces not looked for")
        case let faces? where faces.isEmpty: parts.append("no faces found")
        case let faces?: parts.append("\(FaceStage.describe(faces.count)): the Videos API rejects it")
        }
        return parts.joined(separator: " · ")
    }
}
