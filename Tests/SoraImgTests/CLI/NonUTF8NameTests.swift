import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// File names are bytes: a name that is not UTF-8 (Latin-1 `café`, `caf\xe9.jpg`) is read and
/// written by its own bytes and shown with the odd byte as `\xe9`.
@Suite("prep with file names that are not UTF-8 (binary)")
struct NonUTF8NameTests {
    /// The raw names in a folder, as bytes.
    static func rawNames(_ folder: String) -> [[UInt8]] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != Array(".".utf8) && name != Array("..".utf8) { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test("prep caf\\xe9.jpg writes caf\\xe9.1280x720.jpg and reports it with \\xe9", .hangGuard)
    func latin1Name() throws {
        let folder = Paths.temporaryFolder()
        let input = Array("caf".utf8) + [0xE9] + Array(".jpg".utf8)
        let photo = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("orientation/landscape-1.jpg"))))
        let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + input
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        #expect(fd >= 0)
        _ = photo.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)

        // The shell hands soraimg the byte itself; Foundation's Process can only pass UTF-8.
        let script = #"exec "$0" prep "$(printf 'caf\351.jpg')" --json --faces ignore"#
        let result = try runProcess("/bin/sh", ["-c", script, Paths.binary], in: folder.path, timeLimit: 300)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.rawNames(folder.path) == [Array("caf".utf8) + [0xE9] + Array(".1280x720.jpg".utf8), input])
        #expect(result.stderr.contains(#"caf\xe9.jpg → ./caf\xe9.1280x720.jpg"#), "\(result.stderr)")
        let outputs = try #require(try result.json()["outputs"] as? [[String: Any]])
        #expect(outputs.first?["input"] as? String == #"caf\xe9.jpg"#)
        #expect(outputs.first?["output"] as? String == #"./caf\xe9.1280x720.jpg"#)
    }

    @Test("a missing file with such a name is named with \\xNN", .hangGuard)
    func missingLatin1Name() throws {
        let folder = Paths.temporaryFolder()
        let script = #"exec "$0" prep "$(printf 'na\357ve.jpg')""#
        let result = try runProcess("/bin/sh", ["-c", script, Paths.binary], in: folder.path, timeLimit: 300)
        #expect(result.status == 66)
        #expect(result.stderr.contains(#"na\xefve.jpg: no such file"#), "\(result.stderr)")
    }
}
