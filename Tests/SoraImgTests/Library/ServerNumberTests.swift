import Foundation
import Testing

@testable import SoraImg

@Suite("Numbers from a server's JSON")
struct ServerNumberTests {
    @Test(
        "percentages are clamped to 0...100; non-finite ones are dropped",
        arguments: [
            (1e300, 100), (-5, 0), (42.5, 42.5), (100, 100), (0, 0), (Double.nan, nil), (.infinity, nil), (-.infinity, nil),
            (Double.greatestFiniteMagnitude, 100), (-0.0, 0),
        ] as [(Double, Double?)])
    func percent(value: Double, expected: Double?) {
        #expect(ServerNumber.percent(value) == expected)
        if let clamped = ServerNumber.percent(value) { #expect(Int(clamped) >= 0) }
    }

    @Test(
        "timestamps are whole seconds from 1970 to the year 3000",
        arguments: [
            (1.5e9, 1_500_000_000), (1_700_000_000.75, 1_700_000_000), (0, 0), (32_503_680_000, 32_503_680_000),
            (32_503_680_000.5, 32_503_680_000), (32_503_680_001, nil), (9e18, nil), (1e300, nil), (-1, nil), (-5e9, nil),
            (Double.nan, nil), (.infinity, nil),
        ] as [(Double, Int?)])
    func timestamp(value: Double, expected: Int?) {
        #expect(ServerNumber.timestamp(value) == expected)
    }

    @Test("absent numbers stay absent")
    func absent() {
        #expect(ServerNumber.percent(nil) == nil && ServerNumber.timestamp(nil) == nil)
    }

    private func decoded(_ fields: String) throws -> Video {
        try JSONDecoder().decode(Video.self, from: Data(#"{"id": "video_1", "status": "in_progress", \#(fields)}"#.utf8))
    }

    @Test(
        "a video decodes whatever its numbers are, with progress clamped and odd times dropped",
        arguments: [
            (#""progress": 1e300, "created_at": 1.5e9"#, 100, 1_500_000_000),
            (#""progress": -5, "created_at": 9e18"#, 0, nil),
            (#""progress": "NaN", "created_at": "1700000000""#, nil, nil),
            (#""progress": "Infinity", "created_at": -1"#, nil, nil),
            (#""progress": 33.3, "created_at": 1700000000.25"#, 33.3, 1_700_000_000),
            (#""progress": null, "created_at": 1e300"#, nil, nil),
            (#""progress": true, "created_at": {"seconds": 1}"#, nil, nil),
            (#""progress": 50, "created_at": 1700000000"#, 50, 1_700_000_000),
        ] as [(String, Double?, Int?)])
    func videos(fields: String, progress: Double?, createdAt: Int?) throws {
        let video = try decoded(fields)
        #expect(video.progress == progress)
        #expect(video.createdAt == createdAt)
    }

    @Test("completion and expiry times are as tolerant as creation")
    func otherTimes() throws {
        let video = try decoded(#""completed_at": 1.7e9, "expires_at": 9223372036854775807"#)
        #expect(video.completedAt == 1_700_000_000 && video.expiresAt == nil)
        let again = try decoded(#""completed_at": -3.5, "expires_at": 1700003600.9"#)
        #expect(again.completedAt == nil && again.expiresAt == 1_700_003_600)
    }
}
