import Foundation
import FuzzSupport
@_spi(Fuzzing) import SoraImg

/// An answer that is not a success, as the client meets it: the header lines libcurl hands
/// over one by one, the status, and the body.
///
/// Input: one flags byte (bit 0: the request was to the `/videos` collection; bit 1: the base
/// URL is OpenAI's own), then the answer as sent, `HTTP/1.1 429 ...\r\nName: value\r\n\r\nbody`.
enum ErrorAnswers {
    /// The key the client holds. Seeds carry it in bodies and headers, as a server that echoes
    /// it would; no error the client makes may show it.
    static let apiKey = "sk-fuzz-5c2e9a7b41d3"
    /// When the answers are read: Retry-After dates are measured from here.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func check(_ input: [UInt8]) {
        guard let flags = input.first else { return }
        let response = answer(Array(input.dropFirst()))
        checkHeaders(response)
        checkTiming(response)
        checkCatalogue(response, collection: flags & 1 != 0, openAI: flags & 2 != 0)
        checkExcerpt(response)
    }

    /// Splits the head into lines as libcurl's header callback receives them (each with its
    /// CRLF; a status line starts the headers afresh) and reads the status from the last
    /// status line, as libcurl does; a missing or odd status stands for 500.
    static func answer(_ bytes: [UInt8]) -> HTTPResponse {
        let blank = Array("\r\n\r\n".utf8)
        let headEnd = (0...max(0, bytes.count - blank.count)).first { bytes[$0...].starts(with: blank) } ?? bytes.count
        let bodyStart = min(bytes.count, headEnd + blank.count)
        var status = 500
        var headers: [String: String] = [:]
        for line in String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n") {
            if line.hasPrefix("HTTP/") {
                headers = [:]
                let code = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                status = code.map { (100...599).contains($0) ? $0 : 500 } ?? 500
            } else if case let (name, value)? = HTTPResponse.field(inHeaderLine: line + "\r\n") {
                headers[name] = value
            }
        }
        return HTTPResponse(status: status, headers: headers, body: Array(bytes[bodyStart...]), url: "https://gateway.example/v1/videos")
    }

    /// Names are stored lower-cased and trimmed, values trimmed, so lookups cannot miss.
    static func checkHeaders(_ response: HTTPResponse) {
        for (name, value) in response.headers {
            expect(name == name.lowercased(), "header name '\(name)' is not lower-cased")
            expect(name == name.trimmingCharacters(in: .whitespaces), "header name '\(name)' keeps spaces")
            expect(!name.contains(":"), "header name '\(name)' holds a colon")
            expect(value == value.trimmingCharacters(in: .whitespacesAndNewlines), "header value '\(value)' keeps spaces")
        }
    }

    /// Whatever the headers say, a retryable status waits a finite time within the caps and
    /// any other status is not retried; the poll interval is a number or absent.
    static func checkTiming(_ response: HTTPResponse) {
        let policy = RetryPolicy()
        let outcome = RetryPolicy.Outcome.status(
            response.status, retryAfterMilliseconds: response.header("retry-after-ms"), retryAfter: response.header("retry-after"))
        let delay = policy.delay(after: 1, outcome, now: now, jitter: 1)
        if RetryPolicy.isRetryable(status: response.status) {
            guard let delay else { fail("status \(response.status) is retryable but got no delay") }
            let cap = max(policy.maxServerDelay, policy.maxBackoff)
            expect(delay.isFinite && delay >= 0 && delay <= cap, "status \(response.status) with \(response.headers) waits \(delay) s")
        } else {
            expect(delay == nil, "status \(response.status) is not retryable but waits \(String(describing: delay)) s")
        }
        if response.header("openai-poll-after-ms") == nil {
            expect(OpenAIDialect(configuration: try! VideosConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: apiKey)).pollAfter(in: response) == nil, "a poll interval without the header")
        }
    }

    /// The error keeps the status and request id, gives a hint for every status it knows, and
    /// never shows the API key, wherever in the answer the server echoed it.
    static func checkCatalogue(_ response: HTTPResponse, collection: Bool, openAI: Bool) {
        let configuration = try! VideosConfiguration(baseURL: openAI ? VideosConfiguration.openAIBaseURL : "https://gateway.example/v1", apiKey: apiKey)
        let client = OpenAIDialect(configuration: configuration)
        let error = ErrorCatalogue.error(for: response, configuration: configuration, collection: collection, redact: client.redact)
        expect(error.status == response.status, "the error says HTTP \(String(describing: error.status)), the answer \(response.status)")
        expect(!error.message.isEmpty, "an error without a message for \(response.status)")
        if [401, 403, 404, 410, 429].contains(response.status) || (500...599).contains(response.status) {
            expect(error.hint != nil, "no hint for HTTP \(response.status)")
        }
        expect(!error.description.contains(apiKey), "the API key shows in the error: \(error.description)")
    }

    /// The excerpt an error quotes is short and printable: a hostile answer cannot move the
    /// cursor or rewrite the terminal through it.
    static func checkExcerpt(_ response: HTTPResponse) {
        guard let excerpt = response.excerpt(limit: 40, redacting: { $0 }) else { return }
        expect(excerpt.count <= 40, "a \(excerpt.count)-character excerpt over the limit of 40")
        let control = excerpt.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        expect(control == nil, "the excerpt holds control character U+\(String(control?.value ?? 0, radix: 16)): \(excerpt)")
    }
}
