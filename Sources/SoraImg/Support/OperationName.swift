/// A Gemini API long-running operation's name (`models/veo-3.1-generate-preview/operations/abc`):
/// the job's id, polled as a path under the API root (`GET {base}/{name}`, as google-genai
/// 2.34.0's `operations.get` does). It comes from a server and contains `/`, so it cannot be
/// escaped as one segment; instead only a plain relative path is taken, and anything else is
/// a hostile answer.
public enum OperationName {
    /// Far beyond any real name (about 70 characters), short enough for a URL and a journal line.
    static let maximumLength = 512

    /// Whether `name` is one or more `/`-separated segments of ASCII letters, digits, `-`, `_`
    /// and `.`: no empty segment (`a//b`, a leading or trailing `/`), no `.` or `..` segment
    /// (an HTTP client resolves them, climbing out of the API root), and so no scheme, host,
    /// port, query, fragment, escape, space or control character.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        for segment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !segment.isEmpty, !segment.allSatisfy({ $0 == UInt8(ascii: ".") }) else { return false }
            guard segment.allSatisfy(isSegmentByte) else { return false }
        }
        return true
    }

    private static func isSegmentByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
        default: false
        }
    }
}
