import Foundation
import Testing

/// Text a file carries reaches the terminal only made printable: a JPEG comment, an EXIF
/// Artist or a PNG text keyword can hold terminal escapes (clear the screen, set the window
/// title, recolour what follows), chosen by whoever wrote the file.
@Suite("file text in reports is printable (binary)")
struct PrintableReportTests {
    static let escape = "\u{1B}[2J\u{1B}]0;owned\u{07}"

    /// A JPEG with a comment segment holding escapes, inserted just after SOI.
    static func jpegWithComment() throws -> [UInt8] {
        let photo = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("orientation/landscape-1.jpg"))))
        let text = Array(("holiday" + escape + "snap").utf8)
        let segment: [UInt8] = [0xFF, 0xFE, UInt8((text.count + 2) >> 8), UInt8((text.count + 2) & 0xFF)] + text
        return Array(photo.prefix(2)) + segment + Array(photo.dropFirst(2))
    }

    /// A PNG whose eXIf names an Artist with escapes, and whose text chunk's keyword has one.
    static func pngWithText() -> [UInt8] {
        let exif = ExifBlock.make(orientation: 1, artist: "Jane" + escape + "Doe", latitude: (10, north: true), longitude: (20, east: true))
        return PNGWriter.file([
            PNGWriter.header(width: 64, height: 36, bitDepth: 8, colourType: 0),
            PNGWriter.chunk("eXIf", exif),
            PNGWriter.chunk("tEXt", Array(("Author" + escape).utf8) + [0] + Array("someone".utf8)),
            PNGWriter.imageData(rows: Array(repeating: [UInt8](repeating: 128, count: 64), count: 36)),
            PNGWriter.end,
        ])
    }

    /// No control character but the line ends, and no C1 control or bidirectional override.
    static func isPrintable(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format
        }
    }

    @Test("inspect and prep's removed report show the comment, the Artist and the keyword without their escapes", .hangGuard)
    func escapesRemoved() throws {
        let folder = Paths.temporaryFolder()
        let jpeg = folder.file("comment.jpg"), png = folder.file("artist.png")
        try Data(try Self.jpegWithComment()).write(to: URL(fileURLWithPath: jpeg))
        try Data(Self.pngWithText()).write(to: URL(fileURLWithPath: png))

        let inspect = try soraimg(["inspect", jpeg, png], timeLimit: 300)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let prep = try soraimg(["prep", jpeg, png, "-o", folder.file("out/"), "--faces", "ignore"], timeLimit: 300)
        #expect(prep.status == 0, "\(prep.stderr)")
        let json = try soraimg(["inspect", jpeg, png, "--json"], timeLimit: 300)
        for (name, text) in [("inspect", inspect.stdoutText + inspect.stderr), ("prep", prep.stdoutText + prep.stderr), ("inspect --json", json.stdoutText)] {
            #expect(Self.isPrintable(text), "\(name): \(text.debugDescription)")
            #expect(!text.contains("\\u001b") && !text.contains("\\u0007"), "\(name) JSON escapes: \(text)")
        }
        // The text itself is still reported.
        #expect(prep.stderr.contains("holiday") && prep.stderr.contains("Jane") && prep.stderr.contains("Author"), "\(prep.stderr)")
    }
}
