import Foundation
import Testing

/// `inspect` finds what exiftool finds: identity written in XMP, IPTC, a second EXIF block,
/// Extended XMP and PNG's XMP chunk, each compared with exiftool's reading of the same file.
@Suite("inspect finds what exiftool finds (binary)", .hangGuard)
struct InspectIdentityTests {
    /// A copy of a plain photo (EXIF orientation only) with exiftool's assignments written in.
    private func written(_ assignments: [String], fixture: String = "orientation/landscape-1.jpg", in folder: TemporaryFolder) throws -> String {
        let file = folder.copy(Paths.fixture(fixture), as: "case." + (fixture as NSString).pathExtension)
        try Exiftool.write(file, assignments)
        return file
    }

    private func saved(_ bytes: [UInt8], as name: String, in folder: TemporaryFolder) throws -> String {
        let file = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    static let xmpCases: [(String, [String])] = [
        ("GPS", ["-XMP-exif:GPSLatitude=43.4674 N", "-XMP-exif:GPSLongitude=11.8851 W"]),
        ("serials", ["-XMP-aux:SerialNumber=AUX123", "-XMP-exifEX:SerialNumber=BODY456"]),
        ("owners", ["-XMP-dc:Creator=Robin Doe", "-XMP-photoshop:Credit=Casey Credit", "-XMP-xmpRights:Owner=Olive Owner"]),
        ("places", ["-XMP-photoshop:City=Lyon", "-XMP-photoshop:State=Auvergne-Rhone-Alpes", "-XMP-photoshop:Country=France", "-XMP-iptcCore:Location=Place Bellecour"]),
        ("people", ["-XMP-iptcExt:PersonInImage=Pat Doe", "-XMP-iptcExt:PersonInImage=Lee Doe"]),
        ("MWG regions", ["-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=640,H=400,Unit=pixel},RegionList=[{Name=Sam Region,Type=Face,Area={X=0.3,Y=0.4,W=0.1,H=0.15,Unit=normalized}}]}"]),
    ]

    @Test("identity in XMP only: GPS, serials, owners, places, people, regions", arguments: xmpCases.map(\.0))
    func xmpIdentity(name: String) throws {
        let folder = Paths.temporaryFolder()
        let file = try written(Self.xmpCases.first { $0.0 == name }!.1, in: folder)
        let inspected = try Inspected(file)
        #expect(inspected.status == 0, "\(inspected.stderr)")
        try inspected.agrees(withExiftoolOn: file)
    }

    @Test("XMP's GPS form: the hemisphere letter signs the degrees")
    func xmpCoordinates() throws {
        let folder = Paths.temporaryFolder()
        let file = try written(["-XMP-exif:GPSLatitude=33.8568 S", "-XMP-exif:GPSLongitude=151.2153 E"], in: folder)
        #expect(try Inspected(file).details("gps").contains { $0.contains("latitude -33.8568, longitude 151.2153") })
    }

    @Test("namespaces are told by URI, not prefix; character references and entities are decoded")
    func prefixesAndReferences() throws {
        let folder = Paths.temporaryFolder()
        let packet = JPEGWriter.packet(
            declarations: "xmlns:e='http://ns.adobe.com/exif/1.0/' xmlns:r='http://www.metadataworkinggroup.com/schemas/regions/' xmlns:who='http://purl.org/dc/elements/1.1/' xmlns:area='http://ns.adobe.com/xmp/sType/Area#'",
            """
            <e:GPSLatitude>48,51.4N</e:GPSLatitude><e:GPSLongitude>2,21.1E</e:GPSLongitude>
            <who:creator><rdf:Seq><rdf:li>Jo &amp; Co</rdf:li></rdf:Seq></who:creator>
            <r:Regions rdf:parseType='Resource'><r:RegionList><rdf:Bag>
            <rdf:li rdf:parseType='Resource'><r:Name>&#83;am &#x4B;im</r:Name><r:Type>Face</r:Type>
            <r:Area area:x='0.5' area:y='0.5' area:w='0.1' area:h='0.1' area:unit='normalized'/></rdf:li>
            </rdf:Bag></r:RegionList></r:Regions>
            """)
        let file = try saved(try JPEGWriter.inserting([JPEGWriter.xmp(packet)], into: Paths.fixture("orientation/landscape-1.jpg")), as: "prefixes.jpg", in: folder)
        let inspected = try Inspected(file)
        try inspected.agrees(withExiftoolOn: file)
        #expect(inspected.details("face-region").contains("MWG regions: Sam Kim"), "\(inspected.findings)")
        #expect(inspected.details("owner").contains { $0.contains("Jo & Co") }, "\(inspected.findings)")
        #expect(!inspected.findings.contains { $0.detail.contains("&#") || $0.detail.contains("&amp;") })
    }

    @Test("Extended XMP, joined by GUID and offset, is read like the main packet")
    func extendedXMP() throws {
        let folder = Paths.temporaryFolder()
        let guid = "0123456789ABCDEF0123456789ABCDEF"
        let main = JPEGWriter.packet(declarations: "xmlns:xmpNote='http://ns.adobe.com/xmp/note/'", "<xmpNote:HasExtendedXMP>\(guid)</xmpNote:HasExtendedXMP>")
        let extended = JPEGWriter.packet(
            declarations: "xmlns:mwg-rs='http://www.metadataworkinggroup.com/schemas/regions/' xmlns:stArea='http://ns.adobe.com/xmp/sType/Area#'",
            """
            <mwg-rs:Regions rdf:parseType='Resource'><mwg-rs:RegionList><rdf:Bag>
            <rdf:li rdf:parseType='Resource'><mwg-rs:Name>Ext Person</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
            <mwg-rs:Area stArea:x='0.5' stArea:y='0.5' stArea:w='0.1' stArea:h='0.1' stArea:unit='normalized'/></rdf:li>
            </rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
            """)
        // In two pieces, the second first: a reader must place them by offset.
        let segments = [JPEGWriter.xmp(main)] + JPEGWriter.extendedXMP(extended, guid: guid, pieces: 2, order: [1, 0])
        let file = try saved(try JPEGWriter.inserting(segments, into: Paths.fixture("orientation/landscape-1.jpg")), as: "extended.jpg", in: folder)
        let inspected = try Inspected(file)
        try inspected.agrees(withExiftoolOn: file)
        #expect(inspected.details("face-region").contains("MWG regions: Ext Person"), "\(inspected.findings)")
        #expect(inspected.details("person-name").contains { $0.contains("Ext Person") })
    }

    @Test("IPTC IIM: by-line, city, state, country, sub-location, caption")
    func iptc() throws {
        let folder = Paths.temporaryFolder()
        let file = try written([
            "-IPTC:By-line=Bea Byline", "-IPTC:City=Paris", "-IPTC:Province-State=Ile-de-France",
            "-IPTC:Country-PrimaryLocationName=France", "-IPTC:Sub-location=Le Marais", "-IPTC:Caption-Abstract=Lunch with Bea",
        ], in: folder)
        let inspected = try Inspected(file)
        try inspected.agrees(withExiftoolOn: file)
        #expect(inspected.details("comment").contains { $0.contains("Lunch with Bea") }, "\(inspected.findings)")
    }

    @Test("a second EXIF segment is read too")
    func secondExif() throws {
        let folder = Paths.temporaryFolder()
        let tiff = ExifBlock.make(orientation: 1, artist: "Second Segment", latitude: (35.6586, north: true), longitude: (139.7454, east: true))
        let file = try saved(try JPEGWriter.inserting([JPEGWriter.exif(tiff)], into: Paths.fixture("orientation/landscape-1.jpg")), as: "two-exif.jpg", in: folder)
        let inspected = try Inspected(file)
        try inspected.agrees(withExiftoolOn: file)
        #expect(inspected.details("owner").contains { $0.contains("Second Segment") }, "\(inspected.findings)")
    }

    @Test("XMP in a PNG (iTXt XML:com.adobe.xmp) is read as XMP, not reported as a comment")
    func pngXMP() throws {
        let folder = Paths.temporaryFolder()
        let file = try written(["-XMP-dc:Creator=Png Owner", "-XMP-photoshop:City=Oslo", "-XMP-iptcExt:PersonInImage=Pia Png"], fixture: "shapes/49x500.png", in: folder)
        let inspected = try Inspected(file)
        try inspected.agrees(withExiftoolOn: file)
        #expect(inspected.kinds.contains("xmp"))
        #expect(!inspected.details("comment").contains { $0.contains("XML:com.adobe.xmp") }, "\(inspected.findings)")
    }
}
