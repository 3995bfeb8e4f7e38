/// Where an image to prepare comes from: the one input type every entry point takes, so a
/// file, bytes in memory and standard input go through the same checks in the same order.
public enum ImageInput: Sendable, Equatable, CustomStringConvertible {
    /// A file, opened by its name's own bytes (which need not be UTF-8).
    case file(String)
    /// Bytes already in memory (an upload, a test's image, a fuzzer's input).
    case bytes([UInt8])
    /// Standard input, read up to the byte cap.
    case standardInput

    /// A command-line argument: `-` is standard input, anything else a file name.
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .file(argument)
    }

    /// As a command line names it: the path, `-` for standard input.
    public var description: String {
        switch self {
        case .file(let path): path
        case .bytes(let bytes): "(\(bytes.count) bytes in memory)"
        case .standardInput: "-"
        }
    }

    /// Reads the input whole, refusing it before reading when it is over `maxBytes` and from
    /// its first bytes when it is not an image.
    func read(maxBytes: Int) throws(PrepError) -> SourceBytes {
        switch self {
        case .file(let path): return try InputReader.read(path: path, maxBytes: maxBytes)
        case .standardInput: return try InputReader.readStandardInput(maxBytes: maxBytes)
        case .bytes(let bytes):
            guard bytes.count <= maxBytes else {
                throw PrepError(.overLimit, "\(bytes.count) bytes is over the \(maxBytes)-byte limit (--max-bytes)")
            }
            guard !bytes.isEmpty else { throw PrepError(.corrupt, "empty file") }
            return SourceBytes(copying: bytes)
        }
    }
}
