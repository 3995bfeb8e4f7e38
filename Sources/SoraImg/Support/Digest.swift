internal import CVips

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
