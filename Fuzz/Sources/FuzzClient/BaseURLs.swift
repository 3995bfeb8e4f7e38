import FuzzSupport
import SoraImg

/// A base URL and header values as they come from the command line or the environment.
enum BaseURLs {
    /// Input: the text of `--base-url`, also tried as a header value.
    static func check(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        checkURL(text)
        checkHeader(text)
    }

    /// An accepted URL shows no credentials and reads back as itself; paths go before its query.
    /// A refused one is named in a message with no control characters and none of what stood
    /// before the `@`, where a password would be.
    static func checkURL(_ text: String) {
        let url: ServiceURL
        do {
            url = try ServiceURL(text, source: "--base-url")
        } catch {
            let control = error.message.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
            expect(control == nil, "the message holds U+\(String(control?.value ?? 0, radix: 16)): \(error.message)")
            expect(error.message.hasPrefix("--base-url "), "a message that does not name the source: \(error.message)")
            if let secret = secret(in: text) {
                expect(!error.message.contains(secret), "the message shows what preceded '@': \(error.message)")
            }
            return
        }
        expect(url.scheme == "http" || url.scheme == "https", "accepted the scheme '\(url.scheme)'")
        expect(!url.host.isEmpty && !url.origin.contains("@"), "the origin '\(url.origin)' has no host or keeps credentials")
        expect(url.display == url.origin + url.path + (url.query.map { "?" + $0 } ?? ""), "display '\(url.display)' is not its parts")
        expect(!url.display.contains("#") && !url.display.contains(" "), "display '\(url.display)' holds '#' or a space")
        expect(!url.path.hasSuffix("/"), "the path '\(url.path)' keeps a trailing '/'")
        if url.hadCredentials, let secret = secret(in: text) {
            expect(!url.display.contains(secret), "the display '\(url.display)' shows what preceded '@'")
        }
        do {
            let again = try ServiceURL(url.display, source: "display")
            expect(again == url && !again.hadCredentials, "'\(url.display)' reads back as '\(again.display)'")
        } catch {
            fail("the display '\(url.display)' of an accepted URL is refused: \(error)")
        }
        let joined = url.url(path: "/videos/" + ServiceURL.escaped("a/b"))
        expect(joined == url.origin + url.path + "/videos/a%2Fb" + (url.query.map { "?" + $0 } ?? ""), "joined as '\(joined)'")
    }

    /// A header value passes only without control characters, and a refusal never quotes it.
    static func checkHeader(_ value: String) {
        let hasControl = value.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        do {
            try HeaderValue.check(value, name: "OpenAI-Organization", source: "OPENAI_ORG_ID")
            expect(!hasControl, "a header value with a control character passed")
        } catch {
            expect(hasControl, "a header value without control characters was refused: \(error.message)")
            expect(value.count < 12 || !error.message.contains(value), "the refusal quotes the value")
        }
    }

    /// What stands between the scheme (or the start) and the last `@`, when it is long enough
    /// that finding it in a message is no coincidence and it does not recur after the `@`.
    private static func secret(in text: String) -> String? {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let start = text.range(of: "://").map { $0.upperBound < at ? $0.upperBound : text.startIndex } ?? text.startIndex
        let secret = String(text[start..<at])
        let after = text[text.index(after: at)...]
        guard secret.count >= 12, !after.contains(secret), secret.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else { return nil }
        return secret
    }
}
