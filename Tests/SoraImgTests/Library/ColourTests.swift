import Testing

@testable import SoraImg

/// The centres of the six patches in Fixtures/patches.png (3 columns x 2 rows), as fractions.
private let patchCentres: [(x: Double, y: Double)] = [
    (1 / 6, 1 / 4), (3 / 6, 1 / 4), (5 / 6, 1 / 4), (1 / 6, 3 / 4), (3 / 6, 3 / 4), (5 / 6, 3 / 4),
]

/// The mean colour near the centre of each patch.
private func patchColours(_ pixels: Pixels) -> [[Double]] {
    patchCentres.map { pixels.meanColour(x: $0.x - 0.04, y: $0.y - 0.08, width: 0.08, height: 0.16) }
}

/// The patches as prepared to the same size as the colour fixtures (480x320 is 3:2, so the
/// cover crop to 1280x720 keeps every patch centre).
private func referenceColours() throws -> [[Double]] {
    let (_, pixels) = try prepared(Paths.fixture("patches.png")) { $0.format = .png }
    return patchColours(pixels)
}

@Suite("Colour")
struct ColourTests {
    @Test("untagged 8-bit RGB comes out with its colours unchanged")
    func untaggedUnchanged() throws {
        let source = patchColours(try Pixels(file: Paths.fixture("patches.png")))
        let out = try referenceColours()
        for (a, b) in zip(source, out) { #expect(colourDistance(a, b) < 1.5, "\(a) vs \(b)") }
    }

    @Test(
        "tagged, CMYK, grey, 16-bit, palette and transparent inputs come out as the sRGB colours",
        arguments: [
            ("colour/patches-p3.png", 3.0), ("colour/patches-p3.jpg", 5.0),
            ("colour/patches-16bit.png", 1.5), ("colour/patches-palette.png", 6.0),
        ])
    func converted(fixture: String, bound: Double) throws {
        let reference = try referenceColours()
        let (_, pixels) = try prepared(Paths.fixture(fixture)) { $0.format = .png }
        for (index, (expected, got)) in zip(reference, patchColours(pixels)).enumerated() {
            #expect(colourDistance(expected, got) < bound, "\(fixture) patch \(index): \(expected) vs \(got)")
        }
    }

    @Test("the P3 check can fail: the P3 pixels read as sRGB are visibly off")
    func p3WithoutProfileDiffers() throws {
        let reference = try referenceColours()
        let p3Pixels = try Pixels(file: Paths.fixture("colour/patches-p3.png"))
        let raw = patchColours(p3Pixels)
        let worst = zip(reference, raw).map { colourDistance($0, $1) }.max() ?? 0
        #expect(worst > 15, "P3 and sRGB values differ by only \(worst)")
    }

    @Test(
        "CMYK, tagged or not, comes out as its profile says",
        arguments: ["colour/patches-cmyk.jpg", "colour/patches-cmyk-untagged.jpg"])
    func cmyk(fixture: String) throws {
        // The CMYK patches converted back at full size by the libvips CLI (make-fixtures.sh);
        // an untagged CMYK file gets the same built-in profile.
        let expected = patchColours(try Pixels(file: Paths.fixture("colour/patches-cmyk-expected.png")))
        let (_, pixels) = try prepared(Paths.fixture(fixture)) { $0.format = .png }
        for (want, got) in zip(expected, patchColours(pixels)) {
            #expect(colourDistance(want, got) < 4, "\(fixture): \(want) vs \(got)")
        }
        // And not a naive inversion of the CMYK values, which would be far off.
        let naive = patchColours(try Pixels(file: Paths.fixture("colour/patches-cmyk-untagged.jpg")))
        #expect(zip(expected, naive).map { colourDistance($0, $1) }.max()! > 30)
    }

    @Test("grey stays grey, as three equal bands")
    func grey() throws {
        let (_, pixels) = try prepared(Paths.fixture("colour/patches-grey.png")) { $0.format = .png }
        let source = patchColours(try Pixels(file: Paths.fixture("colour/patches-grey.png")))
        #expect(pixels.bands == 3)
        for (expected, got) in zip(source, patchColours(pixels)) {
            #expect(abs(got[0] - got[1]) < 1 && abs(got[1] - got[2]) < 1)
            #expect(abs(expected[0] - got[0]) < 1.5)
        }
    }

    @Test("transparency is flattened onto white, or onto the colour asked for")
    func alpha() throws {
        let reference = try referenceColours()
        let (_, onWhite) = try prepared(Paths.fixture("colour/patches-alpha.png")) { $0.format = .png }
        let (_, onBlack) = try prepared(Paths.fixture("colour/patches-alpha.png")) {
            $0.format = .png
            $0.background = .colour(.black)
        }
        #expect(onWhite.bands == 3)
        // Left column opaque: the patches. Right column transparent: the background.
        #expect(colourDistance(patchColours(onWhite)[0], reference[0]) < 1.5)
        #expect(colourDistance(patchColours(onWhite)[2], [255, 255, 255]) < 1)
        #expect(colourDistance(patchColours(onBlack)[2], [0, 0, 0]) < 1)
    }
}
