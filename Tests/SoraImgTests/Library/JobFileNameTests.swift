import Testing

@testable import SoraImg

@Suite("Job file names")
struct JobFileNameTests {
    /// `video-` and the first 12 hex digits of SHA-256(id), computed independently of the code
    /// under test (with `printf %s ID | sha256sum`), so a wrong hash input fails.
    @Test(
        "the last segment when it is safe, otherwise a hash of the whole id",
        arguments: [
            ("video_abc", "video_abc"),
            ("models/veo/operations/abc", "abc"),
            // Only the stem is used, so `y` never leaves the folder.
            ("../../x/y", "y"),
            ("a.b-c_D9", "a.b-c_D9"),
            ("..", "video-5ec1f7e700f3"),
            (".hidden", "video-1692419006a8"),
            ("a/", "video-b3dda5b674f9"),
            ("", "video-e3b0c44298fc"),
            ("%2e%2e", "video-032f551e881f"),
        ])
    func stems(id: String, expected: String) {
        #expect(JobFileName.stem(forID: id) == expected)
    }

    @Test("128 characters are kept; 129 are hashed")
    func length() {
        let kept = String(repeating: "a", count: 128)
        #expect(JobFileName.stem(forID: kept) == kept)
        let long = String(repeating: "a", count: 129)
        #expect(JobFileName.stem(forID: long) == "video-" + Digest.sha256(Array(long.utf8)).prefix(12))
        #expect(JobFileName.stem(forID: "ops/" + long).hasPrefix("video-"))
    }

    @Test(
        "unicode, control characters, spaces and a backslash are hashed",
        arguments: ["vidéo", "video_\u{1B}[31mred\u{07}", "a\nb", "a b", "a\\b", "ｖｉｄｅｏ", "a\u{0}b", "x/\u{202E}gpj.exe"])
    func unsafe(id: String) {
        let stem = JobFileName.stem(forID: id)
        #expect(stem == "video-" + Digest.sha256(Array(id.utf8)).prefix(12))
        #expect(stem.count == 18 && stem.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test("different unsafe ids get different stems")
    func distinct() {
        #expect(JobFileName.stem(forID: "..") != JobFileName.stem(forID: "../"))
        #expect(JobFileName.stem(forID: "a/") != JobFileName.stem(forID: "b/"))
    }
}
