internal import CVips

#if canImport(Glibc)
    import Glibc
#endif

/// Content digests, computed by GLib (linked already through libvips).
enum Digest {
    /// SHA-256 of `bytes` as 64 lowercase hex digits.
    static func sha256(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            guard let hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buffer.baseAddress, gsize(buffer.count)) else { return "" }
            defer { g_free(hex) }
            return String(cString: hex)
        }
    }
}

extension Digest {
    /// SHA-256 of a whole open file, read in pieces from its start.
    static func sha256(descriptor: Int32) -> String {
        guard let checksum = g_checksum_new(G_CHECKSUM_SHA256) else { return "" }
        defer { g_checksum_free(checksum) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            guard got > 0 else { break }
            buffer.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, gssize(got)) }
            offset += off_t(got)
        }
        return g_checksum_get_string(checksum).map { String(cString: $0) } ?? ""
    }

    /// SHA-256 of the regular file at `path`; nil when it cannot be read.
    static func sha256(path: String) -> String? {
        let descriptor = FileName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return sha256(descriptor: descriptor)
    }
}
