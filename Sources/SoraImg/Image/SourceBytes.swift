/// The encoded bytes of one input, kept at a fixed address for as long as any image decoded
/// from them is alive: libvips' buffer loaders read the caller's memory lazily, without a copy.
final class SourceBytes {
    let buffer: UnsafeMutableRawBufferPointer

    init(copying bytes: some Collection<UInt8>) {
        buffer = .allocate(byteCount: max(1, bytes.count), alignment: 16)
        _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        count = bytes.count
    }

    /// Takes ownership of memory allocated with `UnsafeMutableRawBufferPointer.allocate`.
    init(adopting buffer: UnsafeMutableRawBufferPointer, count: Int) {
        self.buffer = buffer
        self.count = count
    }

    let count: Int

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<count]) }

    deinit { buffer.deallocate() }
}
