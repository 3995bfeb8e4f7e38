import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads an input whole, refusing it before reading when it is over the byte cap.
enum InputReader {
    static func read(path: String, maxBytes: Int) throws(PrepError) -> SourceBytes {
        // By the name's own bytes, which need not be UTF-8.
        let fd = FileName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw PrepError(.inputMissing, reason)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PrepError(.inputMissing, String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw PrepError(.inputMissing, "is a directory, not an image") }
        var sizeHint = 1 << 16
        if (info.st_mode & S_IFMT) == S_IFREG {
            try checkSize(Int(info.st_size), maxBytes: maxBytes)
            sizeHint = Int(info.st_size) + 1  // one more byte to see the end in one read
        }
        return try readAll(fd, maxBytes: maxBytes, sizeHint: sizeHint)
    }

    /// Reads standard input (or any stream) up to the cap.
    static func readStandardInput(maxBytes: Int) throws(PrepError) -> SourceBytes {
        try readAll(STDIN_FILENO, maxBytes: maxBytes, sizeHint: 1 << 16)
    }

    private static func checkSize(_ count: Int, maxBytes: Int) throws(PrepError) {
        if count == 0 { throw PrepError(.corrupt, "empty file") }
        if count > maxBytes {
            throw PrepError(.overLimit, "\(count) bytes is over the \(maxBytes)-byte limit (--max-bytes)")
        }
    }

    /// How many bytes are read before the format is sniffed: enough for every signature
    /// `SniffedFormat` knows (SVG's `<svg` is looked for in the first 1024).
    static let sniffLength = 4096

    private static func readAll(_ fd: Int32, maxBytes: Int, sizeHint: Int) throws(PrepError) -> SourceBytes {
        var capacity = max(sniffLength, sizeHint)
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        var sniffed = false
        while true {
            if !sniffed && count >= sniffLength {
                // What is not an image is refused from its first bytes, before a device or a
                // pipe that never ends (/dev/zero) is read up to the byte cap.
                sniffed = true
                let format = SniffedFormat(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if case .supported = format {} else {
                    buffer.deallocate()
                    throw PrepError(.unsupportedFormat, format.refusal)
                }
            }
            if count == capacity {
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let got = Glibc.read(fd, buffer.baseAddress! + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.deallocate()
                throw PrepError(.inputMissing, "cannot read: \(reason)")
            }
            if got == 0 { break }
            count += got
            if count > maxBytes {
                buffer.deallocate()
                throw PrepError(.overLimit, "over the \(maxBytes)-byte limit (--max-bytes)")
            }
        }
        do throws(PrepError) {
            try checkSize(count, maxBytes: maxBytes)
        } catch {
            buffer.deallocate()
            throw error
        }
        return SourceBytes(adopting: buffer, count: count)
    }
}
