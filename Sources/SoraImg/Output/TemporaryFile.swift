import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file being written in its target folder, that becomes the real file only on `commit`:
/// nobody ever sees half of it, and a failure leaves nothing behind (`deinit` removes it).
/// Not `Sendable`: one writer.
public final class TemporaryFile {
    public let path: String
    public private(set) var descriptor: Int32
    private var committed = false
    /// So a Ctrl-C that ends the process removes it too (`TemporaryFiles.removeAll`).
    private let cleanup: Int

    /// Creates `.soraimg-XXXXXX.tmp` beside `target`, creating the folder when missing. The
    /// name is short and fixed, not derived from the target's: a legal target name (up to 255
    /// bytes) must never become an illegal temporary one.
    public init(beside target: String) throws(PrepError) {
        let directory = FileName.parent(of: target)
        let folder = directory.isEmpty ? "." : directory
        guard FileName.makeDirectories(folder) else {
            throw PrepError(.cannotWrite, "cannot create folder \(FileName.display(folder)): \(FolderCheck.reason(creating: folder))")
        }
        var template = (FileName.bytes(folder) + Array("/.soraimg-XXXXXX.tmp".utf8)).map { CChar(bitPattern: $0) } + [0]
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { throw Self.failure("cannot create a file in \(folder)") }
        descriptor = fd
        path = FileName.string(fromBytes: template.dropLast().map { UInt8(bitPattern: $0) })
        cleanup = TemporaryFiles.shared.register(path)
    }

    deinit {
        TemporaryFiles.shared.unregister(cleanup)
        if descriptor >= 0 { close(descriptor) }
        if !committed { FileName.withCString(path) { _ = unlink($0) } }
    }

    public func write(_ bytes: [UInt8]) throws(PrepError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure("cannot write \(path)")
            }
            written += result
        }
    }

    /// The first `count` bytes written, for checking what a download holds.
    public func prefix(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, 0) }
        return Array(bytes.prefix(max(0, got)))
    }

    /// Moves the file into place at `target`. Without `replacing`, an existing file is
    /// refused, also one that appeared meanwhile: the final step is `link`, which never
    /// overwrites (with a rename fallback on file systems without hard links).
    public func commit(to target: String, replacing: Bool) throws(PrepError) {
        // mkstemp makes 0600; give the file the permissions a normal create would.
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        guard fsync(descriptor) == 0 else { throw Self.failure("cannot write \(target)") }
        close(descriptor)
        descriptor = -1
        let from = FileName.bytes(path).map { CChar(bitPattern: $0) } + [0]
        let to = FileName.bytes(target).map { CChar(bitPattern: $0) } + [0]
        if replacing {
            guard rename(from, to) == 0 else { throw Self.failure("cannot write \(target)") }
        } else if link(from, to) == 0 {
            unlink(from)
        } else if errno == EEXIST {
            throw Self.exists(target)
        } else if errno == EPERM || errno == EOPNOTSUPP || errno == EXDEV {
            guard !FileName.exists(target) else { throw Self.exists(target) }
            guard rename(from, to) == 0 else { throw Self.failure("cannot write \(target)") }
        } else {
            throw Self.failure("cannot write \(target)")
        }
        committed = true
    }

    static func exists(_ path: String) -> PrepError {
        PrepError(.cannotWrite, "\(path) already exists; use --force to replace it")
    }

    private static func failure(_ what: String) -> PrepError {
        PrepError(.cannotWrite, "\(what): \(String(cString: strerror(errno)))")
    }
}
