import Glibc

/// Why a downloaded file is not a complete MP4, in words a user can act on. `message` never
/// names the file: the caller knows which file it checked and says so.
public struct MP4StructureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of damage was found.
    public enum Kind: Sendable, Equatable {
        /// The file holds no bytes at all.
        case empty
        /// The file does not start with an `ftyp` box, so it is some other kind of file.
        case notMP4
        /// A box runs past the end of the file, or the file ends inside a box header: the
        /// download was cut short.
        case truncated
        /// A box declares a size smaller than its own header, which no writer produces.
        case invalidBoxSize
        /// Bytes after the last box that do not form a box (for example zero padding).
        case trailingData
        /// The boxes are whole but the movie (`moov`) or its media data (`mdat`) is missing.
        case missingBox
        /// The file could not be read (not a regular file, or a read error).
        case unreadable
    }

    /// What kind of damage was found.
    public let kind: Kind
    /// One sentence saying what was wrong.
    public let message: String

    /// An error of `kind` saying `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Checks that a file is a whole MP4 (ISO base media file): its top-level boxes, read from the
/// start, begin with `ftyp`, cover the file exactly, and include a movie with its media data
/// (`moov` and `mdat`, or `moof` and `mdat` when fragmented). Only box headers are read, so a
/// multi-gigabyte video costs a few small reads.
public struct MP4Structure {
    /// Checks the regular file open at `descriptor`, reading box headers with `pread` (the file
    /// offset is left where it was).
    public static func check(descriptor: Int32) throws(MP4StructureError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw MP4StructureError(.unreadable, "the file cannot be examined: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw MP4StructureError(.unreadable, "it is not a regular file, so its length cannot be known")
        }
        try check(FileBoxes(descriptor: descriptor, length: UInt64(info.st_size)))
    }

    /// Checks `bytes` as the contents of a whole file.
    public static func check(_ bytes: some Collection<UInt8>) throws(MP4StructureError) {
        try check(MemoryBoxes(bytes: bytes))
    }

    /// The walk over the top-level boxes, the same for a file and for bytes in memory.
    private static func check(_ source: some BoxSource) throws(MP4StructureError) {
        let length = source.length
        guard length > 0 else { throw MP4StructureError(.empty, "the file is empty: no bytes arrived") }
        var offset: UInt64 = 0
        var seen: Set<String> = []
        var count = 0
        while offset < length {
            let remaining = length - offset
            // Offsets are below `length`, itself an Int in memory and an off_t on disk.
            let header = try source.read(at: offset, count: Int(min(16, remaining)))
            if count == 0 {
                // The type bytes that arrived (none, some or all four) decide: any that differ
                // from `ftyp` make another format; a file cut off inside a header that could
                // still be `ftyp` is a short download.
                guard "ftyp".utf8.starts(with: header.dropFirst(4).prefix(4)) else {
                    throw MP4StructureError(
                        .notMP4,
                        "it is not an MP4 video: an MP4 starts with an 'ftyp' box, and this file starts with \(Self.describe(header.prefix(8)))")
                }
                guard header.count >= 8 else {
                    throw MP4StructureError(
                        .truncated, "the file ends after \(header.count) bytes, inside the header of its first box; a box header takes 8 bytes")
                }
            }
            guard remaining >= 8 else {
                throw MP4StructureError(
                    .truncated,
                    "the file ends \(Self.grouped(remaining)) bytes into the header of a box at byte \(Self.grouped(offset)), after \(count) whole boxes; a box header takes 8 bytes")
            }
            let type = header[4..<8]
            let name = String(decoding: type, as: UTF8.self)
            // Every box type is four printable ASCII characters; anything else after a whole
            // box is not a box at all (zero padding, an error page appended, another file).
            guard type.allSatisfy({ (0x20...0x7E).contains($0) }) else {
                throw MP4StructureError(
                    .trailingData,
                    "the file has \(Self.grouped(remaining)) bytes after its last box (from byte \(Self.grouped(offset))) that are not an MP4 box")
            }
            let declared = UInt64(bigEndianBytes: header[0..<4])
            let size: UInt64
            let headerSize: UInt64
            switch declared {
            case 0:
                // The box runs to the end of the file, which makes it the last by definition.
                size = remaining
                headerSize = 8
            case 1:
                guard remaining >= 16 else {
                    throw MP4StructureError(
                        .truncated,
                        "the file ends inside the header of its '\(name)' box at byte \(Self.grouped(offset)): \(Self.grouped(remaining)) of its 16 header bytes arrived")
                }
                size = UInt64(bigEndianBytes: header[8..<16])
                headerSize = 16
            default:
                size = declared
                headerSize = 8
            }
            guard size >= headerSize else {
                throw MP4StructureError(
                    .invalidBoxSize,
                    "its '\(name)' box at byte \(Self.grouped(offset)) declares a size of \(Self.grouped(size)) bytes, smaller than its own \(headerSize)-byte header")
            }
            guard size <= remaining else {
                // An unknown type that claims more than is left is more likely bytes appended
                // after the video (an error page, a log line) than a box cut short.
                guard Self.topLevelTypes.contains(name) else {
                    throw MP4StructureError(
                        .trailingData,
                        "the file has \(Self.grouped(remaining)) bytes after its last whole box (from byte \(Self.grouped(offset))) that are not an MP4 box")
                }
                throw MP4StructureError(
                    .truncated,
                    "the file ends inside its '\(name)' box: \(Self.grouped(remaining)) of \(Self.grouped(size)) bytes arrived")
            }
            seen.insert(name)
            count += 1
            offset += size
        }
        guard seen.contains("mdat") else {
            throw MP4StructureError(.missingBox, "it has no 'mdat' box, so it holds no video or audio data")
        }
        guard seen.contains("moov") || seen.contains("moof") else {
            throw MP4StructureError(.missingBox, "it has no 'moov' box (nor 'moof' fragments), so players cannot find its video")
        }
    }

    /// The box types ISO/IEC 14496-12 and its common extensions put at the top level of a file.
    static let topLevelTypes: Set<String> = [
        "ftyp", "styp", "moov", "moof", "mdat", "free", "skip", "wide", "meta", "mfra", "sidx", "ssix", "prft", "emsg", "pdin", "uuid",
    ]

    /// `1234567` as `1,234,567`: sizes in messages are read by people.
    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// The first bytes of a file that is not an MP4, shown safely: as text when they are
    /// printable ASCII (`'<!DO'`), otherwise in hex.
    private static func describe(_ bytes: some Collection<UInt8>) -> String {
        if bytes.isEmpty { return "nothing" }
        if bytes.allSatisfy({ (0x20...0x7E).contains($0) }) { return "'\(String(decoding: bytes, as: UTF8.self))'" }
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
        return "the bytes \(hex)"
    }
}

/// Where box headers are read from.
private protocol BoxSource {
    var length: UInt64 { get }
    /// `count` bytes at `offset`, all within the file.
    func read(at offset: UInt64, count: Int) throws(MP4StructureError) -> [UInt8]
}

private struct MemoryBoxes<Bytes: Collection<UInt8>>: BoxSource {
    let bytes: Bytes
    var length: UInt64 { UInt64(bytes.count) }

    func read(at offset: UInt64, count: Int) -> [UInt8] {
        let start = bytes.index(bytes.startIndex, offsetBy: Int(offset))
        return Array(bytes[start...].prefix(count))
    }
}

private struct FileBoxes: BoxSource {
    let descriptor: Int32
    let length: UInt64

    func read(at offset: UInt64, count: Int) throws(MP4StructureError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                let reason = got < 0 ? String(cString: strerror(errno)) : "it became shorter while being checked"
                throw MP4StructureError(.unreadable, "the file cannot be read at byte \(MP4Structure.grouped(offset + UInt64(filled))): \(reason)")
            }
            filled += got
        }
        return buffer
    }
}

extension UInt64 {
    /// The big-endian number in up to eight bytes.
    fileprivate init(bigEndianBytes bytes: some Collection<UInt8>) {
        self = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
