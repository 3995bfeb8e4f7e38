import Foundation

/// Writes a whole file or nothing: a temporary file in the target folder, then a rename.
public enum AtomicFile {
    /// Writes `bytes` to `path`. Without `replacing`, an existing file is refused (exit 73).
    /// A folder named with a trailing `/` is created when missing.
    public static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws(PrepError) {
        if !replacing && FileName.exists(path) { throw TemporaryFile.exists(path) }
        let file = try TemporaryFile(beside: path)
        try file.write(bytes)
        try file.commit(to: path, replacing: replacing)
    }
}
