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

    /// Lines that parse are events; merging them gives each job once, in first-seen order, with
    /// its latest status; and every event survives a round trip through its own encoding.
    static func check(_ contents: [UInt8]) {
        guard FileManager.default.createFile(atPath: path, contents: Data(contents)) else {
            fail("cannot write \(path)")
        }
        let journal = Journal(path: path)
        let entries = journal.entries()
        let jobs = journal.jobs()
        expect(Set(jobs.map(\.id)).count == jobs.count, "a job listed twice: \(jobs.map(\.id))")
        expect(jobs.map(\.id) == uniqueInOrder(entries.map(\.id)), "jobs \(jobs.map(\.id)) are not the events' ids in order")
        for job in jobs {
            let latest = entries.last { $0.id == job.id }
            expect(job.status == latest?.status, "job \(job.id) is \(job.status), its last event says \(latest?.status ?? "nothing")")
        }
        for entry in entries {
            do {
                let again = try JSONDecoder().decode(JournalEntry.self, from: JSONEncoder().encode(entry))
                expect(again == entry, "an event changed in a round trip: \(entry) became \(again)")
            } catch {
                fail("an event read from the journal does not round-trip: \(error)")
            }
        }
    }

    private static func uniqueInOrder(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
