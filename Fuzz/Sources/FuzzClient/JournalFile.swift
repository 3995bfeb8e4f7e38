import Foundation
import FuzzSupport
import SoraImg

/// The journal as the client reads it back: whatever a crash, a torn write or a hand edit
/// left in the file.
enum JournalFile {
    /// One file per process, rewritten for each input and removed at exit.
    static let path: String = {
        let path = NSTemporaryDirectory() + "soraimg-fuzz-journal-\(getpid()).jsonl"
        atexit { unlink(JournalFile.path) }
        return path
    }()

    /// Reading never fails: lines that parse are records, the rest are counted as unreadable;
    /// each job appears once; and every record survives a round trip through its own encoding.
    static func check(_ contents: [UInt8]) {
        guard FileManager.default.createFile(atPath: path, contents: Data(contents)) else {
            fail("cannot write \(path)")
        }
        let index = JobJournal(path: path).index()
        let ids = index.jobs.map(\.id)
        expect(Set(ids).count == ids.count, "a job listed twice: \(ids)")
        let lines = contents.split(separator: 0x0A, omittingEmptySubsequences: false)
        var readable = 0
        for line in lines.dropLast() where !line.isEmpty {
            guard let record = try? JSONDecoder().decode(JournalRecord.self, from: Data(line)) else { continue }
            readable += 1
            do {
                // Times are kept to the millisecond: compare after one trip.
                let once = try JSONDecoder().decode(JournalRecord.self, from: JSONEncoder().encode(record))
                let twice = try JSONDecoder().decode(JournalRecord.self, from: JSONEncoder().encode(once))
                expect(once == twice, "a record changed in a round trip: \(once) became \(twice)")
            } catch {
                fail("a record read from the journal does not round-trip: \(error)")
            }
        }
        expect(index.unreadableLines.count + readable <= lines.count, "more lines counted than the file has")
    }
}
