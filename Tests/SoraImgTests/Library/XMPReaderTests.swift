import Foundation
import Testing

@testable import SoraImg

/// The XMP, IPTC and repeated-finding readers on packets a hostile file could hold.
@Suite("XMP, IPTC and repeated findings", .hangGuard)
struct XMPReaderTests {
    private func findings(_ packet: String) -> [PrivacyFinding] {
        var scan = XMPScan()
        scan.read(Array(packet.utf8))
        return scan.findings
    }

    @Test("attributes, elements, lists, CDATA and references, under any prefix")
    func forms() {
        let found = findings("""
            <x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
            <rdf:Description xmlns:p='http://ns.adobe.com/photoshop/1.0/' p:City='S&#xE3;o Paulo'>
            <p:Country><![CDATA[Brazil & more]]></p:Country>
            <q:creator xmlns:q='http://purl.org/dc/elements/1.1/'><rdf:Seq><rdf:li>A &lt;B&gt;</rdf:li><rdf:li>C</rdf:li></rdf:Seq></q:creator>
            <!-- <p:State>not this</p:State> -->
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """)
        #expect(found.contains(PrivacyFinding(kind: .location, detail: "XMP photoshop:City: São Paulo")), "\(found)")
        #expect(found.contains(PrivacyFinding(kind: .location, detail: "XMP photoshop:Country: Brazil & more")), "\(found)")
        #expect(found.contains(PrivacyFinding(kind: .owner, detail: "XMP dc:creator: A <B>, C")), "\(found)")
        #expect(!found.contains { $0.detail.contains("not this") })
    }

    @Test("a prefix bound to another namespace is not mistaken for the usual one")
    func prefixMeansItsNamespace() {
        let found = findings("<r:x xmlns:r='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><r:Description xmlns:photoshop='urn:other'><photoshop:City>Nowhere</photoshop:City></r:Description></r:x>")
        #expect(found.isEmpty, "\(found)")
    }

    @Test("XMP's coordinate forms")
    func coordinates() {
        #expect(XMPScan.coordinate("43,28.044N").map { abs($0 - 43.4674) < 1e-6 } == true)
        #expect(XMPScan.coordinate("33,51,24.48S").map { abs($0 + 33.8568) < 1e-6 } == true)
        #expect(XMPScan.coordinate("-0.1246") == -0.1246)
        #expect(XMPScan.coordinate("north") == nil && XMPScan.coordinate("1,2,3,4N") == nil)
    }

    @Test("deep nesting, unterminated tags and millions of values stay cheap")
    func hostilePackets() {
        let deep = String(repeating: "<a:b xmlns:a='http://purl.org/dc/elements/1.1/'>", count: 200_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = findings(deep)
            _ = findings("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:Description a='")
            _ = findings("<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'>" + String(repeating: "<dc:creator>x</dc:creator>", count: 200_000))
        }
        // A hang guard, not a speed limit: a reader that went quadratic would take hours here;
        // the linear one takes well under a second in a release build and about a minute in a
        // debug build under AddressSanitizer on a busy machine.
        #expect(elapsed < .seconds(600), "\(elapsed)")
        print("measured: hostile XMP packets read in \(elapsed)")
        let many = findings("<d xmlns:dc='http://purl.org/dc/elements/1.1/'>" + (0..<1_000).map { "<dc:creator>n\($0)</dc:creator>" }.joined() + "</d>")
        #expect(many.count == 1 && many[0].detail.hasPrefix("XMP dc:creator: n0, n1"), "\(many)")
    }

    @Test("IPTC records: lengths that run past the block are not read")
    func iptcBounds() {
        func block(_ records: [UInt8]) -> ArraySlice<UInt8> {
            let size = UInt32(records.count)
            let resource = Array("8BIM".utf8) + [0x04, 0x04, 0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: size >> (24 - 8 * $0)) } + records
            return ArraySlice(IPTCRecords.signature + resource)
        }
        var good = IPTCRecords()
        let taken = good.add(segment: block([0x1C, 2, 90, 0, 5] + Array("Paris".utf8)))
        #expect(taken)
        #expect(good.findings == [PrivacyFinding(kind: .location, detail: "IPTC City: Paris")])
        var cut = IPTCRecords()
        _ = cut.add(segment: block([0x1C, 2, 90, 0xFF, 0xFF] + Array("Paris".utf8)))
        #expect(cut.findings.isEmpty)
    }

    @Test("a kind reported many times keeps its first findings and counts the rest")
    func capped() {
        let many = (0..<20).map { PrivacyFinding(kind: .owner, detail: "o\($0)") } + [PrivacyFinding(kind: .exif, detail: "e")]
        let result = RepeatedFindings.capped(many)
        #expect(result.map(\.detail) == (0..<8).map { "o\($0)" } + ["and 12 more owner findings", "e"])
    }
}
