import Foundation
import Testing

@testable import SoraImg

/// `soraimg animate` over a hundred photos against the sandbox, with the service refusing
/// creates (429) and dropping answers, interrupted half-way and run again.
@Suite("animate under load (binary)")
struct LoadTests {
    private let photoCount = 100

    @Test("100 photos, 429s and dropped answers, Ctrl-C half-way, run again: one job and one video per photo")
    func hundredPhotosInterruptedAndResumed() throws {
        // rate-limit-create refuses the first creates (nothing made); drop-create makes jobs
        // whose answers never arrive, which soraimg must find again through the list.
        // Jobs long enough that the interruption finds some running, which the rerun resumes.
        // The photos show no faces; the sandbox need not spend time looking for them.
        let sandbox = try SandboxProcess(["--fault", "rate-limit-create:6", "--fault", "drop-create:3", "--accept-faces"], jobSeconds: 1)
        let sources = ["orientation/landscape-6.jpg", "orientation/portrait-3.jpg", "shapes/49x500.png"].map(Paths.fixture)
        let photos = (0..<photoCount).map { index in
            let source = sources[index % sources.count]
            return sandbox.folder.copy(source, as: String(format: "photo-%03d.", index) + (source as NSString).pathExtension)
        }
        let arguments = ["animate"] + photos + ["--prompt", "load", "-o", "videos/", "--jobs", "4", "--max-running", "4", "--faces", "ignore"]
        let videos = sandbox.folder.file("videos")

        // First run: interrupted once a third of the videos are in and some job is running (the
        // workers move in waves, so a moment with every worker between jobs is common).
        let start = Date()
        func waiting() -> Bool {
            let downloaded = TemporaryFolderContents(videos).filter { $0.hasSuffix(".mp4") }.count
            return downloaded < photoCount / 3 || sandbox.journal.jobs().count <= downloaded
        }
        let (firstStatus, firstStderr, firstPID) = try sandbox.interrupted(arguments, waitingAtMost: 300) { !waiting() }
        #expect(firstStatus == 130, "\(firstStderr.suffix(2000))")
        let madeFirst = sandbox.jobCount
        #expect(madeFirst >= photoCount / 3 && madeFirst < photoCount)
        // Every job made so far is in the journal, whatever it was doing when interrupted.
        let servedFirst = try servedIDs(sandbox)
        #expect(servedFirst.isSubset(of: Set(sandbox.journal.jobs().map(\.id))))

        // Second run: the same command finishes the batch without paying twice.
        let second = try sandbox.run(arguments)
        #expect(second.status == 0, "\(second.stderr.suffix(2000))")
        // Four jobs ran at once on two cores: --max-running, not the cores, bounds them.
        let mostAtOnce = try mostRunningAtOnce(sandbox.journal.path, pid: firstPID)
        #expect(mostAtOnce == 4, "at most \(mostAtOnce) jobs ran at once")
        #expect(sandbox.jobCount == photoCount, "a job was paid for twice or never made")

        // One job per photo, one video per job, each a real MP4; nothing half-written.
        let jobsByInput = Dictionary(grouping: sandbox.journal.jobs(), by: { $0.input ?? "" })
        #expect(jobsByInput.count == photoCount)
        #expect(jobsByInput.values.allSatisfy { $0.count == 1 && $0[0].downloads[.video] != nil })
        let served = try servedIDs(sandbox)
        #expect(served.count == photoCount && served == Set(sandbox.journal.jobs().map(\.id)))
        let files = TemporaryFolderContents(videos)
        #expect(files.count == photoCount && files.allSatisfy { $0.hasSuffix(".mp4") }, "\(files.filter { !$0.hasSuffix(".mp4") })")
        #expect(files.allSatisfy { isMP4(videos + "/" + $0) })
        // The rerun left alone what was finished, resumed what was running, and created the rest.
        #expect(second.stdoutText.components(separatedBy: "already made by").count - 1 >= photoCount / 3)
        #expect(second.stderr.components(separatedBy: ": created video_").count - 1 == photoCount - madeFirst)
        let resumed = second.stderr.components(separatedBy: ": resuming video_").count - 1
        // Usually one or more; none when the running jobs happened to finish before the
        // interruption reached them (AnimateTests.rerunResumes covers resuming on its own).
        #expect(resumed == madeFirst - (second.stdoutText.components(separatedBy: "already made by").count - 1))
        print(
            "measured: load: first run made \(madeFirst) jobs before Ctrl-C; the rerun resumed \(resumed), created \(photoCount - madeFirst);",
            "\(sandbox.jobCount) jobs and \(files.count) videos for \(photoCount) photos; \(sandbox.createCount) create requests in all (429s and dropped answers included);",
            "\(String(format: "%.0f", Date().timeIntervalSince(start))) s")
    }

    /// The ids of the jobs the sandbox made, from its uploads report.
    private func servedIDs(_ sandbox: SandboxProcess) throws -> Set<String> {
        let uploads = try #require(try sandbox.report()["uploads"] as? [[String: Any]])
        return Set(uploads.compactMap { $0["video_id"] as? String })
    }
}

/// The most jobs one process's journal records show running at one moment: made and not yet
/// downloaded.
func mostRunningAtOnce(_ journal: String, pid: Int32) throws -> Int {
    let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
    var running = Set<String>()
    var most = 0
    for line in lines {
        guard let record = try? JSONDecoder().decode(JournalRecord.self, from: Data(line.utf8)), record.pid == pid, let id = record.id else { continue }
        switch record.event {
        case .created: running.insert(id)
        case .downloaded where record.variant == .video: running.remove(id)
        case .gone, .deleted: running.remove(id)
        default: break
        }
        most = max(most, running.count)
    }
    return most
}
