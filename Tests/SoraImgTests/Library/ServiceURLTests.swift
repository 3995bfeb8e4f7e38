import Testing

@testable import SoraImg

@Suite("Service URLs")
struct ServiceURLTests {
    @Test(
        "accepted URLs, as displayed and as origins",
        arguments: [
            ("https://api.openai.com/v1", "https://api.openai.com/v1", "https://api.openai.com"),
            ("HTTPS://API.Example.COM/v1/", "https://api.example.com/v1", "https://api.example.com"),
            ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080"),
            ("https://h:443/v1", "https://h/v1", "https://h"),
            ("http://h:80", "http://h", "http://h"),
            ("https://h/", "https://h", "https://h"),
            ("https://h//", "https://h", "https://h"),
            ("http://[::1]:9000/v1", "http://[::1]:9000/v1", "http://[::1]:9000"),
            ("https://r.openai.azure.com/openai/v1?api-version=preview", "https://r.openai.azure.com/openai/v1?api-version=preview", "https://r.openai.azure.com"),
            ("https://h/v1/?", "https://h/v1", "https://h"),
            ("https://h/a%20b", "https://h/a%20b", "https://h"),
        ])
    func accepted(text: String, display: String, origin: String) throws {
        let url = try ServiceURL(text, source: "--base-url")
        #expect(url.display == display)
        #expect(url.origin == origin)
        #expect(!url.hadCredentials)
        #expect(try ServiceURL(url.display, source: "again") == url)
    }

    @Test("credentials are dropped and shown nowhere")
    func credentials() throws {
        let url = try ServiceURL("https://user:s3cret-pw@gateway.example/v1?api-version=preview", source: "OPENAI_BASE_URL")
        #expect(url.hadCredentials)
        #expect(url.display == "https://gateway.example/v1?api-version=preview")
        #expect(url.origin == "https://gateway.example")
        #expect(url == (try ServiceURL("https://gateway.example/v1?api-version=preview", source: "x")))
        for text in [url.display, url.description, url.url(path: "/videos/a", query: ["limit": "2"])] {
            #expect(!text.contains("s3cret") && !text.contains("user"))
        }
    }

    @Test(
        "paths go before the base query; extra items are merged",
        arguments: [
            ("https://h/openai/v1?api-version=preview", "/videos/abc", [:], "https://h/openai/v1/videos/abc?api-version=preview"),
            ("https://h/openai/v1?api-version=preview", "/videos", ["limit": "20", "order": "desc"], "https://h/openai/v1/videos?api-version=preview&limit=20&order=desc"),
            ("https://h/v1/", "/videos/abc/content", ["variant": "video"], "https://h/v1/videos/abc/content?variant=video"),
            ("https://h/v1", "videos", [:], "https://h/v1/videos"),
            ("https://h", "/videos", [:], "https://h/videos"),
            ("https://h/v1?api-version=preview", "/videos", ["api-version": "2025-01"], "https://h/v1/videos?api-version=2025-01"),
            ("https://h/v1?a=1&b=2", "", ["after": "video x&y"], "https://h/v1?a=1&b=2&after=video%20x%26y"),
            ("https://h/v1?a=1&&b", "/videos", [:], "https://h/v1/videos?a=1&&b"),
        ] as [(String, String, [String: String], String)])
    func joining(base: String, path: String, query: [String: String], expected: String) throws {
        #expect(try ServiceURL(base, source: "--base-url").url(path: path, query: query) == expected)
    }

    @Test("a segment is escaped whole: slashes, dots and escapes cannot change the path")
    func escaping() {
        #expect(ServiceURL.escaped("../../x/y") == "..%2F..%2Fx%2Fy")
        #expect(ServiceURL.escaped("video_\u{1B}[31m\u{07}") == "video_%1B%5B31m%07")
        #expect(ServiceURL.escaped("é") == "%C3%A9")
        #expect(ServiceURL.escaped("video_AZaz09-._~") == "video_AZaz09-._~")
        #expect(ServiceURL.escaped("..") == "%2E%2E" && ServiceURL.escaped(".") == "%2E" && ServiceURL.escaped("...") == "...")
    }

    @Test(
        "refused URLs say where they came from, what was expected and what was received",
        arguments: [
            ("htp:/x", ServiceURLError.Kind.notHTTP, "OPENAI_BASE_URL must be an http or https URL with a host, not 'htp:/x'"),
            ("ftp://h/v1", .notHTTP, "OPENAI_BASE_URL must be an http or https URL with a host, not 'ftp://h/v1'"),
            ("api.example.com/v1", .notHTTP, "OPENAI_BASE_URL must be an http or https URL with a host, not 'api.example.com/v1'"),
            ("https:///v1", .notHTTP, "OPENAI_BASE_URL must be an http or https URL with a host, not 'https:///v1'"),
            ("", .notHTTP, "OPENAI_BASE_URL must be an http or https URL with a host, not ''"),
            ("https://h/v1#top", .fragment, "OPENAI_BASE_URL must not have a fragment ('#...'): a fragment never reaches the server, so 'https://h/v1#top' would not mean what it says"),
            ("https://h/v 1", .badCharacter, "OPENAI_BASE_URL holds a space at character 12; a URL has none (write it as %20), so it must not be 'https://h/v 1'"),
            ("https://h/v1\r\nX-Evil: 1", .badCharacter, "OPENAI_BASE_URL holds the control character U+000D at character 13; a URL has none, so it must not be 'https://h/v1 X-Evil: 1'"),
            ("https://h/\u{1B}[31m", .badCharacter, "OPENAI_BASE_URL holds the control character U+001B at character 11; a URL has none, so it must not be 'https://h/?[31m'"),
            ("https://hé/v1", .badCharacter, "OPENAI_BASE_URL holds the non-ASCII character U+00E9 at character 10; percent-encode it, or write a host name in its xn-- form, not 'https://hé/v1'"),
            ("https://h:0/v1", .badPort, "OPENAI_BASE_URL has the port '0', but a port is a number from 1 to 65535, in 'https://h:0/v1'"),
            ("https://h:99999", .badPort, "OPENAI_BASE_URL has the port '99999', but a port is a number from 1 to 65535, in 'https://h:99999'"),
            ("https://h:/v1", .badPort, "OPENAI_BASE_URL has the port '', but a port is a number from 1 to 65535, in 'https://h:/v1'"),
            ("https://h:+80", .badPort, "OPENAI_BASE_URL has the port '+80', but a port is a number from 1 to 65535, in 'https://h:+80'"),
            ("https://a..b/v1", .badHost, "OPENAI_BASE_URL has the host 'a..b', which is not a host name or address, in 'https://a..b/v1'"),
            ("https://h<x>/v1", .badHost, "OPENAI_BASE_URL has the host 'h<x>', which is not a host name or address, in 'https://h<x>/v1'"),
            ("http://[::1/v1", .badHost, "OPENAI_BASE_URL opens an IPv6 address with '[' but never closes it, in 'http://[::1/v1'"),
            ("http://[zz]/v1", .badHost, "OPENAI_BASE_URL has '[zz]', which is not an IPv6 address, in 'http://[zz]/v1'"),
            ("https://h/v1/{id}", .badCharacter, "OPENAI_BASE_URL holds '{', which a URL must percent-encode, in 'https://h/v1/{id}'"),
            ("https://h/v1?x=%zz", .badCharacter, "OPENAI_BASE_URL holds a '%' that does not start an escape such as %20, which a URL must percent-encode, in 'https://h/v1?x=%zz'"),
        ])
    func refused(text: String, kind: ServiceURLError.Kind, message: String) {
        #expect(throws: ServiceURLError(kind, message)) { try ServiceURL(text, source: "OPENAI_BASE_URL") }
    }

    @Test(
        "a refused URL never shows its credentials",
        arguments: [
            "htps://user:hunter22@h/v1", "https://user:hunter22@h/v1#x", "https:/user:hunter22@h", "https://user:hunter22@h:bad/v1",
            "https://u:hunter22@h/ v1", "user:hunter22@h", "h//user:hunter22@h.https://user:hunter22@h/v1", "https://user:hun/ter22@h/v1", "https://user:hun?ter22@h/v1", "https://hunter:80/x{22@h/v1",
        ])
    func refusedWithoutCredentials(text: String) {
        #expect {
            try ServiceURL(text, source: "--base-url")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("--base-url ") && !message.contains("hun") && !message.contains("ter22") && !message.contains("{")
                && message.contains("***@h")
        }
    }
}

@Suite("Header values from the environment")
struct HeaderValueTests {
    @Test("ordinary values pass", arguments: ["org-AbC123", "proj_9f8e7d", "a value with spaces", "ünïcødé"])
    func accepted(value: String) throws {
        try HeaderValue.check(value, name: "OpenAI-Organization", source: "OPENAI_ORG_ID")
    }

    @Test(
        "control characters are refused, naming the variable and the header, never the value",
        arguments: [
            ("org-secret\r\nX-Injected: 1", "a carriage return (CR) at character 11"),
            ("org-secret\nX-Injected: 1", "a line feed (LF) at character 11"),
            ("org-secret\u{1B}[31m", "the control character U+001B at character 11"),
            ("org-secret\tx", "the control character U+0009 at character 11"),
            ("org-secret\u{0}", "the control character U+0000 at character 11"),
            ("org-secret\u{7F}", "the control character U+007F at character 11"),
            ("org-secret\u{85}", "the control character U+0085 at character 11"),
        ])
    func refused(value: String, what: String) {
        let expected = HeaderValueError(
            "OPENAI_ORG_ID holds \(what); it is sent as the OpenAI-Organization header, which cannot carry control characters, so set it to the value alone")
        #expect(throws: expected) { try HeaderValue.check(value, name: "OpenAI-Organization", source: "OPENAI_ORG_ID") }
        #expect(!expected.message.contains("org-secret"))
    }
}
