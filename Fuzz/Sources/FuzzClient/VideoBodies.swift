import Foundation
import FuzzSupport
@_spi(Fuzzing) import SoraImg

/// The bodies of successful answers, decoded as the client decodes them.
enum VideoBodies {
    static let client = OpenAIDialect(configuration: try! VideosConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: ErrorAnswers.apiKey))

    static func answer(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body, url: "http://127.0.0.1:9/v1/videos")
    }

    /// A video decodes or is refused as `unavailable`; one that decodes survives a round trip
    /// through JSON, and one that ended without a video becomes a job failure naming it.
    static func checkVideo(_ body: [UInt8]) {
        guard let video = decode(Video.self, body) else { return }
        check(video)
    }

    static func checkList(_ body: [UInt8]) {
        guard let list = decode(VideoList.self, body) else { return }
        list.data.forEach(check)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) -> T? {
        do {
            return try client.decode(type, from: answer(body))
        } catch {
            expect(error.kind == .unavailable && error.status == 200, "a body that is not JSON gave \(error.kind), status \(String(describing: error.status))")
            expect(!error.message.isEmpty, "an undecodable body gave an error without a message")
            return nil
        }
    }

    private static func check(_ video: Video) {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(video)
        } catch {
            fail("a decoded video does not encode: \(error)")
        }
        do {
            let again = try JSONDecoder().decode(Video.self, from: encoded)
            expect(again == video, "a video changed in a JSON round trip: \(video) became \(again)")
        } catch {
            fail("an encoded video does not decode: \(error) in \(String(decoding: encoded, as: UTF8.self))")
        }
        // Whatever the server sent, the engine's view of it is range-checked and printable.
        let job = OpenAIDialect.snapshot(video)
        if let progress = job.progress { expect(progress.isFinite && (0...100).contains(progress), "progress \(progress) reached the engine") }
        expect(!job.providerStatus.unicodeScalars.contains { $0.value < 0x20 }, "a control character in a status: \(job.providerStatus.debugDescription)")
        if job.isFinished && !job.hasVideo {
            let failure = VideosError.failure(of: job)
            expect(failure.kind == .jobFailed && failure.videoID == video.id, "job \(video.id) \(video.status) gave \(failure.kind)")
        }
    }
}
