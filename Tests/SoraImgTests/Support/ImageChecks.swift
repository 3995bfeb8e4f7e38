import CVips
import CVipsShims
import Foundation
import Testing

@testable import SoraImg

/// Decoded 8-bit pixels of an image, read back with libvips exactly as stored (no colour
/// management), for comparing outputs with references by similarity rather than bytes.
struct Pixels {
    let width: Int
    let height: Int
    let bands: Int
    let data: [UInt8]

    /// Reads a JPEG, PNG or WebP. Grey and grey+alpha become RGB; 16-bit is scaled to 8.
    init(file path: String) throws {
        try self.init(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    init(bytes: [UInt8]) throws {
        try ImageProcessing.start()
        let source = SourceBytes(copying: bytes)
        var image = try VipsImage.open(source, options: "")
        if image.isSixteenBit || image.bands < 3 { image = try image.colourspace(VIPS_INTERPRETATION_sRGB) }
        try self.init(image: image.cast(VIPS_FORMAT_UCHAR))
    }

    /// Pixels made by a test, `bands` 8-bit samples each, row after row.
    init(width: Int, height: Int, bands: Int, data: [UInt8]) {
        (self.width, self.height, self.bands, self.data) = (width, height, bands, data)
    }

    init(image: SoraImg.VipsImage) throws {
        width = image.width
        height = image.height
        bands = image.bands
        data = try image.pixelBytes()
    }

    func pixel(_ x: Int, _ y: Int) -> [Int] {
        let start = (y * width + x) * bands
        return (0..<min(3, bands)).map { Int(data[start + $0]) }
    }

    /// The mean colour (R, G, B) of a rectangle, given as fractions of the image.
    func meanColour(x: Double, y: Double, width w: Double, height h: Double) -> [Double] {
        let x0 = Int(x * Double(width)), y0 = Int(y * Double(height))
        let x1 = max(x0 + 1, Int((x + w) * Double(width))), y1 = max(y0 + 1, Int((y + h) * Double(height)))
        var sum = [0.0, 0.0, 0.0]
        for yy in y0..<y1 {
            for xx in x0..<x1 {
                let p = pixel(xx, yy)
                for c in 0..<3 { sum[c] += Double(p[c]) }
            }
        }
        let count = Double((x1 - x0) * (y1 - y0))
        return sum.map { $0 / count }
    }

    /// Box-averages the image to a `columns` x `rows` grid of RGB means.
    func grid(columns: Int, rows: Int) -> [[Double]] {
        guard width >= columns, height >= rows else { return gridOfTinyImage(columns: columns, rows: rows) }
        // One pass over the pixels, each added to the one cell it falls in: the same cells as
        // `meanColour` draws (edges at whole pixels below each fraction), fast enough in a debug
        // build to compare a whole corpus.
        func cellIndex(_ position: Int, _ count: Int, _ size: Int) -> Int {
            var cell = position * count / size
            while cell + 1 < count && Int(Double(cell + 1) / Double(count) * Double(size)) <= position { cell += 1 }
            while cell > 0 && Int(Double(cell) / Double(count) * Double(size)) > position { cell -= 1 }
            return cell
        }
        let columnOf = (0..<width).map { cellIndex($0, columns, width) }
        let rowOf = (0..<height).map { cellIndex($0, rows, height) }
        var sums = [Double](repeating: 0, count: columns * rows * 3)
        var counts = [Double](repeating: 0, count: columns * rows)
        data.withUnsafeBufferPointer { samples in
            for y in 0..<height {
                let rowStart = y * width * bands
                let cellRow = rowOf[y] * columns
                for x in 0..<width {
                    let cell = cellRow + columnOf[x]
                    let start = rowStart + x * bands
                    for c in 0..<3 { sums[cell * 3 + c] += Double(samples[start + min(c, bands - 1)]) }
                    counts[cell] += 1
                }
            }
        }
        return (0..<(columns * rows)).map { cell in (0..<3).map { sums[cell * 3 + $0] / counts[cell] } }
    }

    /// Cells of an image smaller than the grid overlap, since each takes at least one pixel.
    private func gridOfTinyImage(columns: Int, rows: Int) -> [[Double]] {
        var cells: [[Double]] = []
        for row in 0..<rows {
            for column in 0..<columns {
                cells.append(meanColour(
                    x: Double(column) / Double(columns), y: Double(row) / Double(rows),
                    width: 1 / Double(columns), height: 1 / Double(rows)))
            }
        }
        return cells
    }

    /// A 64-bit difference hash: 9x8 grey cells, one bit per horizontal neighbour pair.
    var differenceHash: UInt64 {
        let cells = grid(columns: 9, rows: 8).map { 0.299 * $0[0] + 0.587 * $0[1] + 0.114 * $0[2] }
        var hash: UInt64 = 0
        for row in 0..<8 {
            for column in 0..<8 where cells[row * 9 + column] < cells[row * 9 + column + 1] {
                hash |= 1 << UInt64(row * 8 + column)
            }
        }
        return hash
    }
}

/// How alike two images look: the Hamming distance of their difference hashes (0 = same
/// structure) and the mean absolute difference of a 32x18 grid of colours (0-255).
struct Similarity: CustomStringConvertible {
    let hashDistance: Int
    let meanDifference: Double

    init(_ a: Pixels, _ b: Pixels) {
        hashDistance = (a.differenceHash ^ b.differenceHash).nonzeroBitCount
        let first = a.grid(columns: 32, rows: 18), second = b.grid(columns: 32, rows: 18)
        var total = 0.0
        for (x, y) in zip(first, second) { total += zip(x, y).map { abs($0 - $1) }.reduce(0, +) }
        meanDifference = total / Double(first.count * 3)
    }

    /// The same picture: structure equal within sharp's bound, colours close.
    var isSamePicture: Bool { hashDistance <= 5 && meanDifference < 6 }
    var description: String { "hash distance \(hashDistance), mean difference \(String(format: "%.2f", meanDifference))" }
}

/// Euclidean distance between two RGB colours.
func colourDistance(_ a: [Double], _ b: [Double]) -> Double {
    sqrt(zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
}

/// Metadata an output must not carry, read back two independent ways.
enum MetadataCheck {
    /// The libvips header fields that would hold identifying metadata.
    static func libvipsFields(_ bytes: [UInt8]) throws -> [String] {
        try ImageProcessing.start()
        let image = try VipsImage.open(SourceBytes(copying: bytes), options: "")
        return image.fieldNames.filter {
            $0.hasPrefix("exif") || $0.hasPrefix("xmp") || $0.hasPrefix("iptc") || $0.hasPrefix("icc")
                || $0.hasPrefix("png-comment") || $0.contains("thumbnail") || $0.hasPrefix("photoshop")
        }
    }

    /// exiftool's tags other than the file's own structure (JFIF header, PNG IHDR, WebP VP8).
    static func exiftoolTags(_ path: String) throws -> [String] {
        let result = try runProcess("/usr/bin/exiftool", ["-j", "-a", "-u", "-G1", path])
        #expect(result.status == 0, "exiftool failed: \(result.stderr)")
        let list = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        let structural: Set<String> = [
            "SourceFile", "ExifTool", "System", "File", "Composite", "JFIF", "RIFF", "PNG-pHYs",
        ]
        let pngStructure: Set<String> = [
            "ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter", "Interlace",
            "PixelsPerUnitX", "PixelsPerUnitY", "PixelUnits",
        ]
        let tags = list.first ?? [:]
        return tags.keys.filter { key in
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            let group = parts[0]
            // The WebP container's own flags must not announce EXIF or XMP either.
            if group == "RIFF", parts.count == 2, parts[1] == "WebP_Flags" {
                let flags = "\(tags[key] ?? "")"
                return ["EXIF", "XMP", "ICC"].contains { flags.contains($0) }
            }
            if structural.contains(group) { return false }
            if group == "PNG", parts.count == 2, pngStructure.contains(parts[1]) { return false }
            return true
        }.sorted()
    }
}

/// What prep should make of a file, made another way: libvips' own `thumbnail` (orientation,
/// shrink and centre crop in one operation, and the embedded profile, or libvips' CMYK
/// profile, to sRGB), run by the `vips` command, then brought to 8-bit sRGB by a plain
/// colourspace change and flattened on white, in that order. Prep flattens before it resizes
/// and converts in its own stages; the two meet only when both are right.
enum Reference {
    static func thumbnail(of file: String, width: Int, height: Int, in folder: TemporaryFolder) throws -> Pixels {
        try ImageProcessing.start()
        let header = try VipsImage.open(SourceBytes(copying: Array(try Data(contentsOf: URL(fileURLWithPath: file)))), options: "")
        let name = folder.file("reference-\(UUID().uuidString.prefix(8))")
        var input = file
        var exportProfile: [String] = []
        if header.interpretation == VIPS_INTERPRETATION_CMYK {
            // thumbnail in libvips 8.14 converts CMYK through its built-in CMYK profile even when
            // the file carries its own ("profile incompatible with image"), so CMYK is converted
            // whole through the embedded profile first.
            input = name + ".v"
            try vips(["icc_transform", file, input, "srgb", "--embedded", "--input-profile", "cmyk"])
        } else if header.hasField("icc-profile-data") {
            exportProfile = ["--export-profile", "srgb"]
        }
        let made = name + ".png"
        try vips(["thumbnail", input, made + "[compression=1]", "\(width)", "--height", "\(height)", "--crop", "centre"] + exportProfile)
        var image = try VipsImage.open(SourceBytes(copying: Array(try Data(contentsOf: URL(fileURLWithPath: made)))), options: "")
        // colourspace scales a 16-bit alpha with the colour (libvips' own convention).
        image = try image.colourspace(VIPS_INTERPRETATION_sRGB)
        if image.hasAlpha { image = try image.flatten(background: [255, 255, 255], maxAlpha: 255) }
        return try Pixels(image: image.cast(VIPS_FORMAT_UCHAR))
    }

    private static func vips(_ arguments: [String]) throws {
        let result = try runProcess("/usr/bin/vips", arguments, timeLimit: 300)
        guard result.status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "vips \(arguments.joined(separator: " ")): \(result.stderr)" as Any])
        }
    }
}
