// Placeholder until the full box walker lands: checks the ftyp box only.
import Foundation

public struct MP4StructureError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

public enum MP4Structure {
    public static func check(descriptor: Int32) throws(MP4StructureError) {
        var bytes = [UInt8](repeating: 0, count: 12)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 12, 0) }
        guard got >= 8, bytes[4..<8].elementsEqual("ftyp".utf8) else { throw MP4StructureError(description: "no ftyp box") }
    }
}
