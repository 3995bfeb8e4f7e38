import Foundation

/// Checks a batch of animate items before anything is paid for: no two items may write the
/// same file, no item may write over one of the inputs, and no existing file is replaced
/// without `--force` (unless it is this very request's earlier download).
public enum AnimatePlan {
    public static func check(_ jobs: [AnimateJob], journal: JobJournal) throws(VideosError) {
        var owners: [String: String] = [:]
        let inputs = Dictionary(jobs.compactMap { job in job.image.flatMap { $0 == "-" ? nil : FileIdentity($0).map { ($0, job.image!) } } }) { a, _ in a }
        let downloaded = Set(journal.index().jobs.flatMap { $0.downloadedTo.values.flatMap { $0 }.map(AnimateJob.absolute) })
        for job in jobs {
            // A text-only job's video goes to `-o` or the current folder: check that folder too.
            let target = job.videoPath(id: nil) ?? job.output.map { $0.hasSuffix("/") ? $0 + "video.mp4" : $0 } ?? "./video.mp4"
            let folder = FileName.parent(of: target)
            if let why = FolderCheck.whyNotCreatable(folder.isEmpty ? "." : folder) {
                throw VideosError(
                    .cannotWrite, "cannot create folder \(folder.printable(limit: 300)) for the video: \(why)",
                    hint: "give -o a folder you can write to; nothing was sent")
            }
            guard let video = job.videoPath(id: nil) else { continue }
            for variant in job.variants {
                let path = AnimateJob.path(of: variant, video: video)
                let key = AnimateJob.absolute(path)
                let input = job.image ?? "text-only"
                if let other = owners[key] {
                    throw VideosError(.usage, "\(other) and \(input) would both be written to \(path); give each photo its own name")
                }
                owners[key] = input
                if let identity = FileIdentity(path), let source = inputs[identity] {
                    throw VideosError(.usage, "\(path) is the input \(source); soraimg never writes over an input")
                }
                if !job.replacing && FileManager.default.fileExists(atPath: path) && !downloaded.contains(key) {
                    var error = VideosError(.cannotWrite, "\(path) already exists")
                    error.cause = .outputExists(path: path)
                    throw error
                }
            }
        }
    }
}
