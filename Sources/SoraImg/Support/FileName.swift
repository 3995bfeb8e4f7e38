import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// File names as the system stores them: bytes, which need not be UTF-8 (`café` written by an
/// old Latin-1 tool is `caf\xe9`). A Swift `String` cannot hold such bytes, so soraimg carries
/// each byte of an invalid sequence as one private-use character, U+F780 to U+F7FF, turns it
/// back into the byte at every system call, and shows it as `\xNN`.
///
/// The one name this cannot carry is a valid UTF-8 name that itself uses those private-use
/// characters: it would be handed to the system as the bytes they stand for.
public enum FileName {
    private static let escapeBase: UInt32 = 0xF700

    /// The name in `bytes`, with nothing lost.
    public static func string(fromBytes bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var text = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
            if length > 0, index + length <= bytes.count,
                let decoded = String(validating: bytes[index..<(index + length)], as: UTF8.self),
                decoded.unicodeScalars.count == 1
            {
                text.append(decoded.unicodeScalars.first!)
                index += length
            } else {
                text.append(Unicode.Scalar(escapeBase + UInt32(lead))!)
                index += 1
            }
        }
        return String(text)
    }

    /// The bytes to hand the system for `name`.
    public static func bytes(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if (escapeBase + 0x80...escapeBase + 0xFF).contains(scalar.value) {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// Runs `body` with the name as the NUL-terminated C string the system wants.
    public static func withCString<T>(_ name: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes(name).map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `name` (or any text holding names) as shown to people: each byte that was not UTF-8
    /// as `\xNN`.
    public static func display(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: { (escapeBase + 0x80...escapeBase + 0xFF).contains($0.value) }) else { return name }
        var shown = ""
        for scalar in name.unicodeScalars {
            if (escapeBase + 0x80...escapeBase + 0xFF).contains(scalar.value) {
                shown += String(format: "\\x%02x", scalar.value - escapeBase)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// Whether something exists at `name` (links followed).
    static func exists(_ name: String) -> Bool {
        var info = stat()
        return withCString(name) { stat($0, &info) } == 0
    }

    /// Whether `name` is a folder (links followed).
    static func isDirectory(_ name: String) -> Bool {
        var info = stat()
        return withCString(name) { stat($0, &info) } == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The folder part of `path`: "" for a bare name, "/" for a name at the root, trailing
    /// slashes ignored (`a/b/` → `a`). Written out because Foundation's
    /// `NSString.deletingLastPathComponent` traps on a one-character name (`v`, `v/`) in
    /// Swift 6.3 on Linux, and `-o v/` is a name a user types.
    public static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var parent = trimmed[..<slash]
        while parent.hasSuffix("/") { parent = parent.dropLast() }
        return parent.isEmpty ? "/" : String(parent)
    }

    /// Creates `folder` and any missing parents; true when it exists afterwards.
    static func makeDirectories(_ folder: String) -> Bool {
        if isDirectory(folder) { return true }
        let parent = parent(of: folder)
        if !parent.isEmpty && parent != folder && !makeDirectories(parent) { return false }
        return withCString(folder) { mkdir($0, 0o777) } == 0 || errno == EEXIST && isDirectory(folder)
    }
}
