/// XMP too large for one JPEG segment (64 KB) continues in APP1 segments named
/// `http://ns.adobe.com/xmp/extension/`, each carrying a piece of one packet: the packet's GUID
/// (32 characters), its full length and the piece's offset, big-endian. Photo managers put face
/// regions there when the main packet is full, and libvips reads only the main packet.
struct ExtendedXMP {
    static let signature = Array("http://ns.adobe.com/xmp/extension/".utf8) + [0]

    private var pieces: [String: [(offset: Int, data: ArraySlice<UInt8>)]] = [:]
    private var order: [String] = []

    /// Takes one APP1 body that starts with `signature`; false when it does not.
    mutating func add(segment body: ArraySlice<UInt8>) -> Bool {
        guard body.starts(with: Self.signature) else { return false }
        let header = body.dropFirst(Self.signature.count)
        guard header.count >= 40 else { return true }
        let guid = String(decoding: header.prefix(32), as: UTF8.self)
        let offset = header.dropFirst(36).prefix(4).reduce(0) { $0 << 8 | Int($1) }
        if pieces[guid] == nil { order.append(guid) }
        pieces[guid, default: []].append((offset, header.dropFirst(40)))
        return true
    }

    /// Each packet, its pieces placed by offset. Only bytes the file holds are used: the
    /// declared full length is not trusted for an allocation, and a gap ends the packet.
    var packets: [[UInt8]] {
        order.map { guid in
            var packet: [UInt8] = []
            for piece in pieces[guid, default: []].sorted(by: { $0.offset < $1.offset }) {
                guard piece.offset <= packet.count else { break }
                let overlap = packet.count - piece.offset
                if overlap < piece.data.count { packet += piece.data.dropFirst(overlap) }
            }
            return packet
        }
    }
}
