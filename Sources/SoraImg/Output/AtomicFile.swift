import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a whole file or nothing: a temporary file in the target folder, then a rename.
public enum AtomicFile {
    /// Writes `bytes` to `path`. Without `replacing`, an existing file is refused (exit 73),
    /// also if one appears while writing: the final step is `link`, which never overwrites.
    /// A folder named with a trailing `/` is created when missing.
    public static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws(PrepError) {
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        if !replacing && FileManager.default.fileExists(atPath: path) {
            throw PrepError(.cannotWrite, "\(path) already exists; use --force to replace it")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PrepError(.cannotWrite, "cannot create folder \(folder): \(error.localizedDescription)")
        }

        let name = (path as NSString).lastPathComponent
        var template = Array("\(folder)/.\(name).XXXXXX.tmp".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { throw failure("cannot create a file in \(folder)") }
        let temporary = String(cString: template)
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }

        do throws(PrepError) {
            try writeAll(fd, bytes, path: temporary)
            // mkstemp makes 0600; give the file the permissions a normal create would.
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
            guard fsync(fd) == 0 else { throw failure("cannot write \(path)") }
        } catch {
            close(fd)
            throw error
        }
        close(fd)

        if replacing {
            guard rename(temporary, path) == 0 else { throw failure("cannot write \(path)") }
        } else {
            if link(temporary, path) == 0 {
                unlink(temporary)
            } else if errno == EEXIST {
                throw PrepError(.cannotWrite, "\(path) already exists; use --force to replace it")
            } else if errno == EPERM || errno == EOPNOTSUPP || errno == EXDEV {
                // A file system without hard links: checked above, so rename.
                guard rename(temporary, path) == 0 else { throw failure("cannot write \(path)") }
            } else {
                throw failure("cannot write \(path)")
            }
        }
        finished = true
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(PrepError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write \(path)")
            }
            written += result
        }
    }

    private static func failure(_ what: String) -> PrepError {
        PrepError(.cannotWrite, "\(what): \(String(cString: strerror(errno)))")
    }
}
