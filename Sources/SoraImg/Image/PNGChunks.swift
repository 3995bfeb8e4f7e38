/// A walk over a PNG's chunk list, without decompressing anything.
///
/// It finds the text chunks (tEXt, zTXt, iTXt) so they can be cut out before libvips sees the
/// file: libpng inflates compressed text into memory while reading the header, and a 6 KB PNG
/// can carry megabytes of it. soraimg strips text anyway, so it never needs them decoded.
struct PNGChunks {
    /// Byte ranges of the text chunks, whole (length, type, data and CRC); neighbours are
    /// merged, so a run of thousands of chunks is one range.
    private(set) var textRanges: [Range<Int>] = []
    /// The text chunks by their keywords (the part before the first NUL), for the privacy
    /// report: those naming an owner (Author, Copyright, Artist) and the rest.
    private(set) var ownerText = RepeatedFindings(kind: .owner, family: "text chunks")
    private(set) var otherText = RepeatedFindings(kind: .comment, family: "text chunks")
    /// The first keywords, in file order within each group.
    var textKeywords: [String] { ownerText.quotes + otherText.quotes }
    /// The XMP packets of `XML:com.adobe.xmp` text chunks, which libvips never sees (text is
    /// cut out before it reads the file) and which are XMP, not a comment.
    private(set) var xmpPackets: [[UInt8]] = []
    /// XMP chunks stored compressed: reported, not inflated (a compressed chunk can be a bomb).
    private(set) var compressedXMP = 0
    /// A chunk runs past the end of the file, or there is no IEND chunk.
    private(set) var isTruncated = false
    /// A chunk type is not four ASCII letters: the data is damaged, not cut short.
    private(set) var isCorrupt = false
    /// The first eXIf chunk, whole, when it comes after the image data. The PNG specification
    /// puts eXIf before IDAT, but writers append it later and photo managers still honour it;
    /// libpng only reads what comes before IDAT, so libvips would see neither its orientation
    /// nor what it says about the owner and place.
    private(set) var lateExif: Range<Int>?
    /// Where the chunk after IHDR starts: where a late eXIf is moved to.
    private var afterHeader: Int?
    /// A chunk other than image data whose declared length runs past the end of the file. libpng
    /// allocates such a chunk's declared length before reading it (image data it reads as it
    /// comes): a 1 KB file declaring a 2 GB text chunk made it take 2 GB. libvips is given the
    /// file up to the chunk only.
    private(set) var cutShort: (offset: Int, type: String, declared: Int)?

    /// What cut the file short, for the refusal, when a chunk was dropped for libvips.
    var cutShortDetail: String? {
        cutShort.map { "its \($0.type) chunk declares \($0.declared) bytes, more than the file has left" }
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        var offset = 8  // after the signature
        var sawEnd = false
        var sawImageData = false
        var sawExif = false
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16
                | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                isCorrupt = true
                break
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let end = offset + 12 + length
            guard end <= bytes.count else {
                if type != "IDAT" { cutShort = (offset, type, length) }
                break
            }
            if type == "IHDR" && afterHeader == nil { afterHeader = end }
            if type == "IDAT" { sawImageData = true }
            if type == "eXIf" && !sawExif {
                sawExif = true
                if sawImageData { lateExif = offset..<end }
            }
            if type == "tEXt" || type == "zTXt" || type == "iTXt" {
                if let last = textRanges.last, last.upperBound == offset {
                    textRanges[textRanges.count - 1] = last.lowerBound..<end
                } else {
                    textRanges.append(offset..<end)
                }
                let data = bytes[(offset + 8)..<(offset + 8 + length)]
                let keyword = data.prefix { $0 != 0 }.prefix(79)
                if keyword.elementsEqual(Self.xmpKeyword.utf8) {
                    readXMP(type: type, data)
                } else {
                    // Compared as bytes, and named only when shown: a file may hold millions.
                    let lowered = keyword.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
                    let isOwner = Self.ownerKeywords.contains { $0.elementsEqual(lowered) }
                    if isOwner {
                        ownerText.add(quote: String(decoding: keyword, as: UTF8.self)) { "PNG text chunk '\($0)'" }
                    } else {
                        otherText.add(quote: String(decoding: keyword, as: UTF8.self)) { "PNG text chunk '\($0)'" }
                    }
                }
            }
            offset = end
            if type == "IEND" {
                sawEnd = true
                break
            }
        }
        isTruncated = !sawEnd && !isCorrupt
    }

    static let xmpKeyword = "XML:com.adobe.xmp"
    /// Keywords (lower case) whose text names who made or owns the image.
    private static let ownerKeywords = [Array("author".utf8), Array("copyright".utf8), Array("artist".utf8)]

    /// iTXt: keyword, NUL, compression flag and method, language tag, NUL, translated keyword,
    /// NUL, text. tEXt: keyword, NUL, text. zTXt is always compressed.
    private mutating func readXMP(type: String, _ data: Slice<UnsafeRawBufferPointer>) {
        var rest = data.dropFirst(Self.xmpKeyword.utf8.count + 1)
        switch type {
        case "tEXt":
            xmpPackets.append(Array(rest))
        case "iTXt":
            guard rest.count >= 2, rest[rest.startIndex] == 0 else { compressedXMP += 1; return }
            rest = rest.dropFirst(2)
            for _ in 0..<2 {  // language tag, translated keyword
                guard let end = rest.firstIndex(of: 0) else { return }
                rest = rest[(end + 1)...]
            }
            xmpPackets.append(Array(rest))
        default:
            compressedXMP += 1
        }
    }

    /// The file as libvips should read it, or nil when that is the file itself: text chunks
    /// removed, an eXIf that came after the image data moved to just after IHDR, where libpng
    /// reads it (chunks keep their own CRCs, so moving one whole keeps it valid), and a last
    /// chunk other than image data that the file cuts short dropped (the file stays truncated,
    /// and is refused as such).
    func decodable(_ bytes: UnsafeRawBufferPointer) -> SourceBytes? {
        let moved = afterHeader.flatMap { header in lateExif.map { (from: $0, to: header) } }
        guard !textRanges.isEmpty || moved != nil || cutShort != nil else { return nil }
        var removed = textRanges
        if let moved { removed.append(moved.from) }
        if let cutShort { removed.append(cutShort.offset..<bytes.count) }
        removed.sort { $0.lowerBound < $1.lowerBound }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var start = 0
        for range in removed {
            kept.append(contentsOf: bytes[start..<range.lowerBound])
            start = range.upperBound
        }
        kept.append(contentsOf: bytes[start..<bytes.count])
        if let moved {
            let cutBefore = removed.filter { $0.upperBound <= moved.to }.reduce(0) { $0 + $1.count }
            kept.insert(contentsOf: bytes[moved.from], at: moved.to - cutBefore)
        }
        return SourceBytes(copying: kept)
    }
}
