/// File names made from job ids, which a provider chooses and a hostile one can fill with
/// anything: path separators, `..`, terminal escapes, thousands of characters.
public enum JobFileName {
    /// The longest id segment kept as it is; longer ones are hashed, so every stem stays far
    /// below the 255-byte name limit of common file systems once a suffix is added.
    static let maximumLength = 128

    /// The stem for job `id`: its last `/`-segment when that is 1 to 128 ASCII letters, digits,
    /// `_`, `-` or `.` not starting with `.`, otherwise `video-` and 12 hex digits of its SHA-256.
    public static func stem(forID id: String) -> String {
        let bytes = Array(id.utf8)
        // Only the last segment: providers' handles are paths (`models/m/operations/abc`),
        // and the segment alone can never climb out of the folder it is written into.
        let segment = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes[($0 + 1)...] } ?? bytes[...]
        if isSafe(segment) { return String(decoding: segment, as: UTF8.self) }
        return "video-" + Digest.sha256(bytes).prefix(12)
    }

    private static func isSafe(_ segment: ArraySlice<UInt8>) -> Bool {
        guard let first = segment.first, segment.count <= maximumLength, first != UInt8(ascii: ".") else { return false }
        return segment.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
    }
}
