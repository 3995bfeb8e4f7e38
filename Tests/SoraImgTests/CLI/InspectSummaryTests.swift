import Foundation
import Testing

/// Findings a file repeats thousands of times are summarised, one line a kind, and reading
/// them stays cheap.
@Suite("inspect summarises repeated findings (binary)", .hangGuard)
struct InspectSummaryTests {
    /// A small grey PNG with `count` tEXt chunks, keywords `k00000`, `k00001`, ….
    static func pngWithTextChunks(_ count: Int) -> [UInt8] {
        let text = (0..<count).map { PNGWriter.chunk("tEXt", Array(String(format: "k%05d", $0).utf8) + [0] + Array("text".utf8)) }
        return PNGWriter.file(
            [PNGWriter.header(width: 64, height: 36, bitDepth: 8, colourType: 0)] + text
                + [PNGWriter.imageData(rows: Array(repeating: [UInt8](repeating: 128, count: 64), count: 36)), PNGWriter.end])
    }

    @Test("20,000 PNG text chunks: one line with the count and the first few, in text and JSON")
    func manyTextChunks() throws {
        let folder = Paths.temporaryFolder()
        let file = folder.file("chatty.png")
        try Data(Self.pngWithTextChunks(20_000)).write(to: URL(fileURLWithPath: file))

        let human = try soraimg(["inspect", file, "--faces", "ignore"], timeLimit: 300)
        #expect(human.status == 0, "\(human.stderr)")
        let lines = human.stdoutText.split(separator: "\n")
        #expect(lines.count < 10, "\(lines.count) lines")
        let comment = lines.filter { $0.hasPrefix("  comment:") }
        #expect(comment.count == 1, "\(comment.prefix(3))")
        #expect(comment.first?.contains("20000 text chunks, first: \"k00000\", \"k00001\", \"k00002\"") == true, "\(comment.prefix(3))")

        let json = try Inspected(file)
        #expect(json.details("comment").count == 1 && json.details("comment").first?.contains("20000") == true, "\(json.details("comment").prefix(3))")

        let measured = try measuredSoraimg(["inspect", file, "--faces", "ignore"])
        print("inspect of 20,000 PNG text chunks (\(Data(Self.pngWithTextChunks(20_000)).count) bytes): \(String(format: "%.2f", measured.seconds)) s, \(measured.peakKilobytes / 1024) MB peak")
        #expect(measured.status == 0 && measured.seconds < 120 && measured.peak(under: 300_000))
    }

    @Test("a few findings are still listed one by one")
    func fewStayListed() throws {
        let folder = Paths.temporaryFolder()
        let file = folder.file("few.png")
        try Data(Self.pngWithTextChunks(3)).write(to: URL(fileURLWithPath: file))
        let details = try Inspected(file).details("comment")
        #expect(details.count == 3 && details.allSatisfy { $0.contains("PNG text chunk") }, "\(details)")
    }

    @Test("thousands of JPEG comments: one line")
    func manyComments() throws {
        let folder = Paths.temporaryFolder()
        let comments = (0..<5_000).map { [0xFF, 0xFE, 0, 8] + Array(String(format: "c%05d", $0).utf8) }
        let jpeg = try JPEGWriter.inserting(comments, into: Paths.fixture("orientation/landscape-1.jpg"))
        let file = folder.file("comments.jpg")
        try Data(jpeg).write(to: URL(fileURLWithPath: file))
        let details = try Inspected(file).details("comment")
        #expect(details.count == 1 && details.first?.contains("5000 JPEG comments, first: \"c00000\"") == true, "\(details.prefix(3))")
    }
}
