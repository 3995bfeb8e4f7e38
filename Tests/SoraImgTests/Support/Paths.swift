import Foundation
import Testing

/// Where the tests find the repository's fixtures, the real-world corpus and the built binary.
enum Paths {
    /// The repository root (this file is Tests/SoraImgTests/Support/Paths.swift).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ name: String) -> String { root + "/Fixtures/" + name }

    /// The `soraimg` executable SwiftPM built beside this test bundle.
    static let binary: String = {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("soraimg").path
    }()

    /// A fresh empty folder, removed when the returned value is released by the test.
    static func temporaryFolder(_ label: String = #function) -> TemporaryFolder { TemporaryFolder(label) }
}

final class TemporaryFolder {
    let path: String

    init(_ label: String) {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "soraimg-test-\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the folder, sorted, hidden files included.
    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    /// Copies a file in and returns its new path.
    @discardableResult
    func copy(_ source: String, as name: String? = nil) -> String {
        let destination = file(name ?? (source as NSString).lastPathComponent)
        try! FileManager.default.copyItem(atPath: source, toPath: destination)
        return destination
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The real-world corpus named by `SORAIMG_CORPUS` and its manifest.
enum Corpus {
    static let directory: String? = ProcessInfo.processInfo.environment["SORAIMG_CORPUS"].flatMap {
        FileManager.default.fileExists(atPath: $0 + "/MANIFEST.tsv") ? $0 : nil
    }
    static var isAvailable: Bool { directory != nil }
    static let skipReason: Comment = "SORAIMG_CORPUS is not set (or has no MANIFEST.tsv): corpus tests skipped"

    static func file(_ name: String) -> String { directory! + "/files/" + name }

    struct Entry: Sendable, CustomStringConvertible {
        let file: String
        let expected: String
        let uprightWidth: Int?
        let uprightHeight: Int?
        let orientation: String
        var description: String { file }
    }

    static let entries: [Entry] = {
        guard let directory, let text = try? String(contentsOfFile: directory + "/MANIFEST.tsv", encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        return lines.dropFirst().map { row in
            Entry(
                file: row[column("file")], expected: row[column("expected")],
                uprightWidth: Int(row[column("upright_width")]), uprightHeight: Int(row[column("upright_height")]),
                orientation: row[column("exif_orientation")])
        }
    }()
}
