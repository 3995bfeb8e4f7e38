import Testing

@_spi(Fuzzing) @testable import SoraImg

/// The pure parts of surviving a hostile network: what a redirect may carry, and how a
/// hostile body is shown in an error.
@Suite("hostile answers (pure)")
struct HostileAnswerTests {
    private let credentials = try! VideosConfiguration(
        baseURL: "http://127.0.0.1:8080/v1", apiKey: "sk-hostile", auth: .apiKey, organization: "org-1", project: "proj-1")

    @Test("a GET to another origin drops every credential header: api-key, organization, project")
    func getToAnotherOrigin() throws {
        let request = HTTPRequest(method: .get, url: "http://127.0.0.1:8080/v1/videos/v/content", headers: credentials.headers)
        // localhost and 127.0.0.1 are the same machine but different origins.
        let (next, crossesOrigin) = try RedirectPolicy.next(after: request, status: 307, location: "http://localhost:8080/v1/videos/v/content")
        #expect(crossesOrigin)
        #expect(next.headers.isEmpty, "\(next.headers.map(\.name))")
        #expect(credentials.headers.map(\.name) == ["api-key", "OpenAI-Organization", "OpenAI-Project"])
    }

    @Test("a POST or DELETE redirected to another origin is refused, naming both URLs; within the origin it goes on")
    func actionsStayHome() throws {
        for method in [HTTPRequest.Method.post, .delete] {
            let request = HTTPRequest(method: method, url: "http://127.0.0.1:8080/v1/videos", headers: credentials.headers, body: .json([]))
            #expect {
                try RedirectPolicy.next(after: request, status: 307, location: "http://localhost:8080/v1/videos")
            } throws: { error in
                let error = error as? HTTPTransportError
                return error?.kind == .badRedirect && error?.message.contains("http://127.0.0.1:8080/v1/videos") == true
                    && error?.message.contains("http://localhost:8080/v1/videos") == true
            }
            let (same, crossesOrigin) = try RedirectPolicy.next(after: request, status: 307, location: "/v1/videos/")
            #expect(!crossesOrigin)
            #expect(same.method == method && same.headers.count == 3)
        }
    }

    @Test("an excerpt never carries control characters or invalid bytes, and is short")
    func excerptIsSanitised() throws {
        let hostile: [UInt8] = Array("\u{1B}[2J\u{1B}]0;owned\u{07}".utf8) + [0x00, 0xFF, 0xC3] + Array("\r\n\t text\u{202E}gnp.exe".utf8)
        let excerpt = try #require(HTTPResponse(status: 200, headers: [:], body: hostile, url: "u").excerpt(redacting: { $0 }))
        let forbidden = excerpt.unicodeScalars.filter { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{FFFD}" || scalar == "\u{202E}"
        }
        #expect(forbidden.isEmpty, "\(excerpt.debugDescription)")
        #expect(excerpt.contains("text"))
        let long = HTTPResponse(status: 200, headers: [:], body: Array(String(repeating: "abc ", count: 500).utf8), url: "u").excerpt(limit: 50, redacting: { $0 })
        #expect(long?.count == 50 && long?.hasSuffix("…") == true)
        #expect(HTTPResponse(status: 200, headers: [:], body: Array(" \r\n ".utf8), url: "u").excerpt(redacting: { $0 }) == nil)
    }

    @Test("a key echoed where an excerpt is cut is redacted before the cut: no part of it shows")
    func keyAtTheCut() {
        let key = "sk-proj-Q7wXe2RtY9uIo4PaS1dF6gH3jK8lZ5xC0vB"
        let configuration = try! VideosConfiguration(baseURL: "https://api.example/v1", apiKey: key)
        let client = OpenAIDialect(configuration: configuration)
        // The key starting well inside the 120-character excerpt, across its end, and past it.
        for offset in [10, 90, 110, 118, 130] {
            let body = Array((String(repeating: "x", count: offset) + key + " and more text after it").utf8)
            let failed = HTTPResponse(status: 502, headers: [:], body: body, url: "https://api.example/v1/videos")
            let error = ErrorCatalogue.error(for: failed, configuration: configuration, collection: true, redact: client.redact)
            #expect(!error.description.contains(key.prefix(12)), "offset \(offset): \(error.description)")
            do {
                _ = try client.decode(Video.self, from: HTTPResponse(status: 200, headers: [:], body: body, url: failed.url))
                Issue.record("offset \(offset): text decoded as a video")
            } catch {
                #expect(!error.description.contains(key.prefix(12)), "offset \(offset): \(error.description)")
            }
        }
    }

    @Test("an HTML page is recognised by its type or its start, and shown by its title")
    func htmlTitle() {
        let page = Array("<!DOCTYPE html>\n<html><head><TITLE> 502 Bad Gateway </TITLE><style>x{}</style></head><body>...</body></html>".utf8)
        for headers in [["content-type": "text/html; charset=utf-8"], [:]] {
            let response = HTTPResponse(status: 502, headers: headers, body: page, url: "u")
            #expect(response.isHTML && response.excerpt(redacting: { $0 }) == "502 Bad Gateway")
        }
        let message = ErrorCatalogue.fallbackMessage(
            HTTPResponse(status: 502, headers: [:], body: page, url: "https://gw.example/v1/videos"), redacting: { $0 })
        #expect(message == #"https://gw.example/v1/videos answered HTTP 502 with an HTML page, not the API (a proxy, or a wrong base URL?): "502 Bad Gateway""#)
    }
}
