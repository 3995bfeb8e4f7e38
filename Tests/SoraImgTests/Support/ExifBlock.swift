/// A little-endian TIFF block as PNG's eXIf and JPEG's APP1 carry it, built entry by entry:
/// IFD0 with Orientation and Artist, and a GPS IFD with a position.
enum ExifBlock {
    static func make(orientation: UInt16, artist: String, latitude: (Double, north: Bool), longitude: (Double, east: Bool)) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func entry(_ tag: UInt16, _ type: UInt16, _ count: UInt32, _ value: [UInt8]) -> [UInt8] {
            u16(tag) + u16(type) + u32(count) + value + [UInt8](repeating: 0, count: 4 - value.count)
        }
        /// Degrees as three rationals: whole degrees, whole minutes, seconds in hundredths.
        func rationals(_ degrees: Double) -> [UInt8] {
            let whole = UInt32(degrees), minutes = UInt32((degrees - Double(whole)) * 60)
            let seconds = UInt32(((degrees - Double(whole)) * 3600 - Double(minutes) * 60) * 100)
            return u32(whole) + u32(1) + u32(minutes) + u32(1) + u32(seconds) + u32(100)
        }
        let artistBytes = Array(artist.utf8) + [0]
        // Layout: header (8), IFD0 (2 + 3 x 12 + 4), GPS IFD (2 + 4 x 12 + 4), then the values.
        let ifd0 = 8, gpsIFD = ifd0 + 2 + 3 * 12 + 4
        let artistAt = gpsIFD + 2 + 4 * 12 + 4
        let latitudeAt = artistAt + artistBytes.count + artistBytes.count % 2
        let longitudeAt = latitudeAt + 24
        var block = Array("II".utf8) + u16(42) + u32(UInt32(ifd0))
        block += u16(3)
        block += entry(0x0112, 3, 1, u16(orientation))
        block += entry(0x013B, 2, UInt32(artistBytes.count), u32(UInt32(artistAt)))
        block += entry(0x8825, 4, 1, u32(UInt32(gpsIFD)))
        block += u32(0)
        block += u16(4)
        block += entry(1, 2, 2, Array((latitude.north ? "N" : "S").utf8) + [0])
        block += entry(2, 5, 3, u32(UInt32(latitudeAt)))
        block += entry(3, 2, 2, Array((longitude.east ? "E" : "W").utf8) + [0])
        block += entry(4, 5, 3, u32(UInt32(longitudeAt)))
        block += u32(0)
        block += artistBytes + [UInt8](repeating: 0, count: artistBytes.count % 2)
        block += rationals(latitude.0) + rationals(longitude.0)
        return block
    }
}
