import Foundation
import SoraImg

/// The command line as the bytes it was given. swift-argument-parser reads
/// `CommandLine.arguments`, where every byte that is not UTF-8 became U+FFFD, so a file named
/// `caf\xe9.jpg` would be looked for as `caf�.jpg`; argv itself still has the bytes.
enum RawArguments {
    /// Each argv entry in its lossy form (what the parser saw) and its lossless one, for the
    /// entries that differ; `--option=value` entries also by their value.
    private static let differing: [(lossy: String, lossless: String)] = (0..<Int(CommandLine.argc)).flatMap { index -> [(String, String)] in
        guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
        let bytes = Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        let lossy = String(decoding: bytes, as: UTF8.self), lossless = FileName.string(fromBytes: bytes)
        guard lossy != lossless else { return [] }
        var pairs = [(lossy, lossless)]
        if bytes.starts(with: Array("--".utf8)), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
            let value = bytes[(equals + 1)...]
            pairs.append((String(decoding: value, as: UTF8.self), FileName.string(fromBytes: value)))
        }
        return pairs
    }

    /// Parsed values with their original bytes back, in order (a value given twice is matched
    /// to its occurrences in turn).
    static func lossless(_ values: [String]) -> [String] {
        var unused = differing
        return values.map { value in
            guard value.contains("\u{FFFD}"), let index = unused.firstIndex(where: { $0.lossy == value }) else { return value }
            return unused.remove(at: index).lossless
        }
    }
}
