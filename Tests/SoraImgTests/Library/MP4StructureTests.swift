import Foundation
import Testing

@testable import SoraImg

@Suite("MP4 structure check")
struct MP4StructureTests {
    /// The video the sandbox serves: ftyp (32 bytes), moov (913), free (8), mdat (16,282).
    static let video = [UInt8](FileManager.default.contents(atPath: Paths.fixture("sandbox/video.mp4")) ?? Data())
    /// Where its boxes end: a cut exactly there leaves whole boxes but no media data.
    static let boxEnds = [32, 945, 953]

    /// A box of `type` with a 32-bit size around `payload`.
    static func box(_ type: String, _ payload: [UInt8] = []) -> [UInt8] {
        bigEndian(UInt64(8 + payload.count), bytes: 4) + Array(type.utf8) + payload
    }

    /// A box with a 64-bit size: size field 1, then the largesize.
    static func largeBox(_ type: String, size: UInt64? = nil, _ payload: [UInt8] = []) -> [UInt8] {
        [0, 0, 0, 1] + Array(type.utf8) + bigEndian(size ?? UInt64(16 + payload.count), bytes: 8) + payload
    }

    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static let ftyp = box("ftyp", Array("isom\0\0\u{2}\0isomiso2".utf8))

    private func failure(_ bytes: [UInt8]) -> MP4StructureError? {
        do {
            try MP4Structure.check(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("the sandbox's video passes, from bytes and from a file")
    func sandboxVideo() throws {
        #expect(Self.video.count == 17_235)
        try MP4Structure.check(Self.video)
        let descriptor = open(Paths.fixture("sandbox/video.mp4"), O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try MP4Structure.check(descriptor: descriptor)
        #expect(lseek(descriptor, 0, SEEK_CUR) == 0, "the check moved the file offset")
    }

    @Test("every cut of the sandbox's video fails: truncated, or missing its media at a box boundary")
    func everyTruncation() {
        for length in 0..<Self.video.count {
            guard let error = failure(Array(Self.video[..<length])) else {
                Issue.record("a cut at \(length) of \(Self.video.count) bytes passed")
                continue
            }
            let expected: MP4StructureError.Kind = length == 0 ? .empty : Self.boxEnds.contains(length) ? .missingBox : .truncated
            #expect(error.kind == expected, "cut at \(length): \(error)")
        }
    }

    @Test("a cut says which box it ends in and how much of it arrived")
    func truncationMessage() {
        #expect(failure(Array(Self.video[..<5000]))?.message == "the file ends inside its 'mdat' box: 4,047 of 16,282 bytes arrived")
        #expect(failure(Array(Self.video[..<500]))?.message == "the file ends inside its 'moov' box: 468 of 913 bytes arrived")
        #expect(failure(Array(Self.video[..<956]))?.message.contains("3 bytes into the header of a box at byte 953") == true)
        #expect(failure(Array(Self.video[..<5]))?.kind == .truncated)
    }

    @Test(
        "bytes after the last box fail",
        arguments: [
            ("an HTML page", Array("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>".utf8), MP4StructureError.Kind.trailingData),
            ("zero padding", [UInt8](repeating: 0, count: 64), .trailingData),
            ("a stray line", Array("garbage!\n".utf8), .trailingData),
            ("three stray bytes", [1, 2, 3], .truncated),
            ("an mdat header promising more", box("mdat", [1, 2]).prefix(8) + [0, 0, 0, 0], .truncated),
        ])
    func trailingGarbage(label: String, tail: [UInt8], kind: MP4StructureError.Kind) {
        let error = failure(Self.video + tail)
        #expect(error?.kind == kind, "\(label): \(String(describing: error))")
    }

    @Test("64-bit box sizes are read; a short or undersized large header fails")
    func largeSizes() {
        #expect(failure(Self.ftyp + Self.largeBox("moov", [1, 2, 3]) + Self.largeBox("mdat", [UInt8](repeating: 7, count: 100))) == nil)
        let cut = Self.ftyp + Self.box("moov") + Array(Self.largeBox("mdat", [9]).prefix(12))
        #expect(failure(cut)?.kind == .truncated)
        #expect(failure(cut)?.message.contains("12 of its 16 header bytes") == true)
        #expect(failure(Self.ftyp + Self.box("moov") + Self.largeBox("mdat", size: 15, [0]))?.kind == .invalidBoxSize)
    }

    @Test("size 0 runs to the end of the file, so nothing after it is a box")
    func sizeZero() {
        let mdatToEnd = [0, 0, 0, 0] + Array("mdat".utf8) + [UInt8](repeating: 1, count: 50)
        #expect(failure(Self.ftyp + Self.box("moov") + mdatToEnd) == nil)
        // The moov inside is mdat payload: the file has no movie box.
        #expect(failure(Self.ftyp + mdatToEnd + Self.box("moov"))?.kind == .missingBox)
    }

    @Test("absurd sizes fail as truncation without overflowing", arguments: [UInt64(1) << 63, UInt64.max, UInt64.max - 7, 1 << 40])
    func absurdSizes(size: UInt64) {
        let error = failure(Self.ftyp + Self.box("moov") + Self.largeBox("mdat", size: size, [1, 2, 3]))
        #expect(error?.kind == .truncated)
        #expect(error?.message.contains("19 of \(MP4Structure.grouped(size)) bytes") == true, "\(String(describing: error))")
        #expect(failure(Self.ftyp + [0xFF, 0xFF, 0xFF, 0xFF] + Array("mdat".utf8))?.kind == .truncated)
    }

    @Test("sizes smaller than a header are invalid", arguments: [2, 7])
    func undersized(size: UInt64) {
        #expect(failure(Self.ftyp + Self.bigEndian(size, bytes: 4) + Array("moov".utf8))?.kind == .invalidBoxSize)
    }

    @Test("fragmented files need moof and mdat; a plain one moov and mdat")
    func requiredBoxes() {
        #expect(failure(Self.ftyp + Self.box("moof") + Self.box("mdat", [1])) == nil)
        #expect(failure(Self.ftyp + Self.box("moov") + Self.box("moof") + Self.box("mdat")) == nil)
        #expect(failure(Self.ftyp + Self.box("mdat", [1]))?.message.contains("no 'moov' box") == true)
        #expect(failure(Self.ftyp + Self.box("moov"))?.message.contains("no 'mdat' box") == true)
        #expect(failure(Self.ftyp + Self.box("free") + Self.box("zzzz", [1]) + Self.box("moov") + Self.box("mdat")) == nil)
    }

    @Test("other files are not MP4s, and the message shows their start safely")
    func notMP4() {
        let html = failure(Array("<!DOCTYPE html>".utf8))
        #expect(html?.kind == .notMP4 && html?.message.hasSuffix("this file starts with '<!DOCTYP'") == true, "\(String(describing: html))")
        let jpeg = failure([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46])
        #expect(jpeg?.kind == .notMP4 && jpeg?.message.contains("ff d8 ff e0 00 10 4a 46") == true, "\(String(describing: jpeg))")
        #expect(failure(Self.box("moov") + Self.ftyp + Self.box("mdat"))?.kind == .notMP4)
    }

    @Test(
        "a file of five to seven bytes is cut short when its type could still be ftyp, another format when not",
        arguments: [
            (Array("orm\0\0\0\0".utf8), MP4StructureError.Kind.notMP4),
            ([0, 0, 0, 0x20, 0x66, 0x74], .truncated),
            ([0, 0, 0, 0x20, 0x66, 0x74, 0x79], .truncated),
            ([0, 0, 0, 0x20, 0x66, 0x00, 0x79], .notMP4),
            ([0, 0, 0, 0x20, 0x00], .notMP4),
        ])
    func shortFirstHeader(bytes: [UInt8], kind: MP4StructureError.Kind) throws {
        let error = try #require(failure(bytes))
        #expect(error.kind == kind, "\(error)")
        let folder = Paths.temporaryFolder()
        let path = folder.path + "/short.mp4"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        #expect(throws: error) { try MP4Structure.check(descriptor: descriptor) }
    }

    @Test("a file check reads the same as the bytes check, and refuses what is not a regular file")
    func files() throws {
        let folder = Paths.temporaryFolder()
        let path = folder.path + "/cut.mp4"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.video[..<9000])))
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        #expect(throws: failure(Array(Self.video[..<9000]))!) { try MP4Structure.check(descriptor: descriptor) }
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        #expect(throws: MP4StructureError.self) { try MP4Structure.check(descriptor: ends[0]) }
        #expect { try MP4Structure.check(descriptor: ends[0]) } throws: { ($0 as? MP4StructureError)?.kind == .unreadable }
    }

    @Test("a 6 GiB file is checked from its box headers alone")
    func headersOnly() throws {
        // Sparse: the file takes no disk space, and reading it whole would take seconds and gigabytes.
        let folder = Paths.temporaryFolder()
        let path = folder.path + "/large.mp4"
        let length: UInt64 = 6 << 30
        let head = Self.ftyp + Self.box("moov")
        let mdat = Self.largeBox("mdat", size: length - UInt64(head.count))
        #expect(FileManager.default.createFile(atPath: path, contents: Data(head + mdat)))
        let descriptor = open(path, O_RDWR)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try #require(ftruncate(descriptor, off_t(length)) == 0)
        let start = ContinuousClock.now
        try MP4Structure.check(descriptor: descriptor)
        #expect(ContinuousClock.now - start < .seconds(5))
        try #require(ftruncate(descriptor, off_t(length - 1)) == 0)
        #expect { try MP4Structure.check(descriptor: descriptor) } throws: {
            ($0 as? MP4StructureError)?.message == "the file ends inside its 'mdat' box: 6,442,450,911 of 6,442,450,912 bytes arrived"
        }
    }
}
