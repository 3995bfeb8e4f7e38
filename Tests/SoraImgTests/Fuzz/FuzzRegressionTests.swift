import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// The inputs the libFuzzer harnesses (Fuzz/, run by scripts/fuzz) found bugs with, kept in
/// Fixtures/fuzz/<harness>/ and fed to the same entry points the harnesses use.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let prepFindings = findings("prep")
    static let clientFindings = findings("client")

    private static func findings(_ harness: String) -> [String] {
        let folder = Paths.fixture("fuzz/\(harness)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { "fuzz/\(harness)/\($0)" }
    }

    private static func bytes(_ fixture: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture(fixture))))
    }

    /// The harness's options: the defaults without face detection.
    private static var options: PrepOptions {
        var options = PrepOptions()
        options.faces = .ignore
        return options
    }

    private static func refusal(_ bytes: [UInt8]) -> PrepError? {
        do {
            _ = try ImagePrep.prepare(.bytes(Array(bytes)), options: options)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Prep

    @Test("every prep finding is prepared at the target size or refused as bad input", arguments: prepFindings)
    func prepFinding(fixture: String) throws {
        let input = try Self.bytes(fixture)
        do {
            let prepared = try ImagePrep.prepare(.bytes(Array(input)), options: Self.options)
            let again = try ImagePrep.prepare(.bytes(prepared.bytes), options: Self.options)
            #expect(again.size == prepared.size)
        } catch {
            #expect(error.exitStatus == .badInput, "\(error)")
        }
        // The harness also decodes a PNG with soraimg's decoder and with libvips', within its
        // 10-megapixel limit.
        #expect(PNGDecoder.disagreement(decoding: input, maxPixels: 10_000_000) == nil, "\(fixture)")
    }

    @Test("an image already at the target size is prepared, its time limit armed twice on one image")
    func exactTargetSize() throws {
        // Nothing to crop or resize, so prep arms the loaded image and the fitted one, the same
        // libvips object: the second deadline used to free the first while its handler read it.
        let prepared = try ImagePrep.prepare(.bytes(Array(try Self.bytes("fuzz/prep/exact-target-size.png"))), options: Self.options)
        #expect(prepared.size == VideoSize(width: 1280, height: 720))
        let again = try ImagePrep.prepare(.bytes(prepared.bytes), options: Self.options)
        #expect(again.size == prepared.size)
    }

    @Test("a refusal names this input's damage, not a warning an earlier image left in libvips' error buffer")
    func staleErrorBuffer() throws {
        let damaged = try Self.bytes("fuzz/prep/stale-error-buffer.jpg")
        let alone = try #require(Self.refusal(damaged))
        // Reading this header succeeds, and leaves libjpeg's warning ("extraneous bytes before
        // marker") in the global buffer, where it headed the next refusal's message.
        let warnsInHeader = try Self.bytes("fuzz/prep/stale-error-buffer-before.jpg")
        _ = try ImageInspector.inspect(.bytes(warnsInHeader), options: Self.options)
        #expect(Self.refusal(damaged) == alone)
        _ = try ImageInspector.inspect(.bytes(warnsInHeader), options: Self.options)
        #expect(throws: alone) { try ImageInspector.inspect(.bytes(damaged), options: Self.options) }
    }

    // MARK: Client

    @Test("every client finding goes through the parser its first byte selects", arguments: clientFindings)
    func clientFinding(fixture: String) throws {
        let input = try Self.bytes(fixture)
        switch input.first {
        case UInt8(ascii: "r"):
            let error = ErrorAnswer(input).error()
            #expect(!error.message.isEmpty)
            #expect(!error.description.contains(ErrorAnswer.apiKey))
        case UInt8(ascii: "u"):
            // Base URL findings hold the password `s3cret-password`, which no refusal may show.
            let text = String(decoding: input.dropFirst(), as: UTF8.self)
            #expect {
                try ServiceURL(text, source: "--base-url")
            } throws: { error in
                !"\(error)".contains("s3cret") && "\(error)".contains("***@")
            }
        case UInt8(ascii: "f"):
            // A downloaded file: refused with a printable sentence, never a crash.
            #expect {
                try MP4Structure.check(input.dropFirst())
            } throws: { error in
                !"\(error)".isEmpty && !"\(error)".unicodeScalars.contains { $0.value < 0x20 }
            }
        default:
            Issue.record("\(fixture): only error answers (r), base URLs (u) and downloaded files (f) have findings so far; replay the new kind here")
        }
    }

    @Test("an error answer never shows the API key, even echoed in the request id and the code")
    func keyInRequestID() throws {
        let answer = ErrorAnswer(try Self.bytes("fuzz/client/error-key-in-request-id.http"))
        #expect(answer.response.requestID?.contains(ErrorAnswer.apiKey) == true)
        let error = answer.error()
        #expect(error.requestID == "req_12er [redacted]")
        #expect(error.code == "[redacted]")
        #expect(!error.description.contains(ErrorAnswer.apiKey))
    }

    @Test("a downloaded file of seven bytes that is not an MP4 is refused as another format, not a crash")
    func sevenByteDownload() throws {
        let input = try Self.bytes("fuzz/client/download-seven-bytes.bin")
        #expect { try MP4Structure.check(input.dropFirst()) } throws: { ($0 as? MP4StructureError)?.kind == .notMP4 }
    }

    @Test("an error body with an empty message still says what came back")
    func emptyMessage() throws {
        let error = ErrorAnswer(try Self.bytes("fuzz/client/error-body-empty-message.http")).error()
        #expect(error.kind == .auth)
        #expect(error.message.contains("answered HTTP 401"), "\(error.message)")
    }
}

/// A FuzzClient input of kind `r`: `r`, a flags byte (bit 0: a request to the `/videos`
/// collection; bit 1: OpenAI's base URL), then the answer as sent.
private struct ErrorAnswer {
    static let apiKey = "sk-fuzz-5c2e9a7b41d3"

    let collection: Bool
    let openAI: Bool
    let response: HTTPResponse

    init(_ input: [UInt8]) {
        let flags = input.dropFirst().first ?? 0
        collection = flags & 1 != 0
        openAI = flags & 2 != 0
        let text = String(decoding: input.dropFirst(2), as: UTF8.self)
        let (head, body) = text.range(of: "\r\n\r\n").map { (text[..<$0.lowerBound], text[$0.upperBound...]) } ?? (text[...], ""[...])
        var status = 500
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix("HTTP/") {
                status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 500
                headers = [:]
            } else if let field = HTTPResponse.field(inHeaderLine: line) {
                headers[field.name] = field.value
            }
        }
        response = HTTPResponse(status: status, headers: headers, body: Array(body.utf8), url: "https://gateway.example/v1/videos")
    }

    func error() -> VideosError {
        let configuration = try! VideosConfiguration(
            baseURL: openAI ? VideosConfiguration.openAIBaseURL : "https://gateway.example/v1", apiKey: Self.apiKey)
        return ErrorCatalogue.error(
            for: response, configuration: configuration, collection: collection, redact: OpenAIDialect(configuration: configuration).redact)
    }
}
