import Foundation
import Testing

/// Memory stays bounded: by the decode's size after shrink-on-load, not the photo's, and not
/// by how many photos a batch has. Measured in a separate process (see `measuredSoraimg`).
@Suite("memory (binary)")
struct MemoryTests {
    @Test("a 50-megapixel JPEG is prepared in under 150 MB")
    func fiftyMegapixels() throws {
        let folder = Paths.temporaryFolder()
        let noise = folder.file("noise.v"), photo = folder.file("50mp.jpg")
        // Grain everywhere, so the JPEG is as costly to decode as a real photo of its size.
        #expect(try runProcess("/usr/bin/vips", ["gaussnoise", noise, "8660", "5773", "--mean", "128", "--sigma", "40"]).status == 0)
        #expect(try runProcess("/usr/bin/vips", ["jpegsave", noise, photo, "--Q", "85"]).status == 0)
        let run = try measuredSoraimg(["prep", photo, "-o", folder.file("out.jpg")])
        #expect(run.status == 0)
        #expect(run.peak(under: 150_000), "\(run.peakKilobytes) KB")
        print("measured: 50 MP JPEG prep: \(String(format: "%.2f", run.seconds)) s, \(run.peakKilobytes / 1024) MB peak")
    }

    @Test("a batch's peak memory does not grow with the number of photos")
    func batchFlat() throws {
        let folder = Paths.temporaryFolder()
        var inputs: [String] = []
        for copy in 0..<60 {
            inputs.append(folder.copy(Paths.fixture("demo/holiday.jpg"), as: "photo-\(copy).jpg"))
        }
        let ten = try measuredSoraimg(["prep", "-o", folder.file("ten/")] + inputs.prefix(10))
        let sixty = try measuredSoraimg(["prep", "-o", folder.file("sixty/")] + inputs)
        #expect(ten.status == 0 && sixty.status == 0)
        // Six times the photos; allow allocator noise, not growth per photo.
        #expect(sixty.peak(under: ten.peakKilobytes + 20_000), "10 photos: \(ten.peakKilobytes) KB, 60: \(sixty.peakKilobytes) KB")
        print("measured: batch peak memory, 10 photos \(ten.peakKilobytes / 1024) MB, 60 photos \(sixty.peakKilobytes / 1024) MB")
    }
}
