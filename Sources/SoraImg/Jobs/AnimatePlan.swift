import Foundation

/// Checks a batch of animate items before anything is paid for: no two items may write the
/// same file, no item may write over one of the inputs, and no existing file is replaced
/// without `--force` (unless it is this very request's earlier download).
public enum AnimatePlan {
    public static func check(_ jobs: [AnimateJob], journal: JobJournal) throws(VideosError) {
        var owners: [String: String] = [:]
        let inputs = Dictionary(jobs.compactMap { job in job.image.flatMap { $0 == "-" ? nil : FileIdentity(path: $0).map { ($0, job.image!) } } }) { a, _ in a }
        let downloaded = Set(journal.index().jobs.flatMap { $0.downloads.values.map(AnimateJob.absolute) })
        for job in jobs {
            // A text-only job's video goes to `-o` or the current folder: check that folder too.
            let target = job.videoPath(id: nil) ?? job.output.map { $0.hasSuffix("/") ? $0 + "video.mp4" : $0 } ?? "./video.mp4"
            let folder = (target as NSString).deletingLastPathComponent
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
                    throw VideosError(
                        .usage, "\(other) and \(input) would both be written to \(path)",
                        hint: "give each photo its own name, or one -o FILE per command")
                }
                owners[key] = input
                if let identity = FileIdentity(path: path), let source = inputs[identity] {
                    throw VideosError(.usage, "\(path) is the input \(source); soraimg never writes over an input")
                }
                if !job.replacing && FileManager.default.fileExists(atPath: path) && !downloaded.contains(key) {
                    throw VideosError(.cannotWrite, "\(path) already exists; use --force to replace it")
                }
            }
        }
    }
}

/// A file's device and inode: two paths name one file when these agree, links and all.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
