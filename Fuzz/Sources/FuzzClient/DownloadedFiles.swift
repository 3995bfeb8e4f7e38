import Foundation
import FuzzSupport
import SoraImg

/// A downloaded video, checked for a whole MP4 structure before it is renamed into place.
enum DownloadedFiles {
    /// One file per process, rewritten for each input and removed at exit.
    static let path: String = {
        let path = NSTemporaryDirectory() + "soraimg-fuzz-download-\(getpid()).mp4"
        atexit { unlink(DownloadedFiles.path) }
        return path
    }()

    /// The check reads the same from a file (`pread` of box headers) as from memory; a file it
    /// passes starts with `ftyp`; every refusal is a sentence with no control characters, so
    /// a hostile file cannot rewrite the terminal through it.
    static func check(_ bytes: [UInt8]) {
        let fromBytes = outcome { () throws(MP4StructureError) in try MP4Structure.check(bytes) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fail("cannot write \(path)") }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { fail("cannot open \(path): \(errno)") }
        defer { close(descriptor) }
        let fromFile = outcome { () throws(MP4StructureError) in try MP4Structure.check(descriptor: descriptor) }
        expect(fromBytes == fromFile, "memory says \(String(describing: fromBytes)), the file \(String(describing: fromFile))")
        guard let error = fromBytes else {
            expect(bytes.count >= 8 && bytes[4..<8].elementsEqual("ftyp".utf8), "a file that does not start with ftyp passed")
            return
        }
        expect(!error.message.isEmpty, "a refusal without a message")
        let control = error.message.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        expect(control == nil, "the message holds U+\(String(control?.value ?? 0, radix: 16)): \(error.message)")
    }

    private static func outcome(_ body: () throws(MP4StructureError) -> Void) -> MP4StructureError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }
}
