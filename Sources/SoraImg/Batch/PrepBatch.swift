import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What became of one input.
public struct PrepOutcome: Sendable {
    public let input: ImageInput
    public let result: Result<PrepWritten, PrepError>
}

/// One written result.
public struct PrepWritten: Sendable {
    /// The file written; nil when the bytes went to standard output.
    public let output: String?
    public let size: VideoSize
    public let format: ImageFormat
    public let byteCount: Int
    public let source: SourceDescription
    public let removed: [PrivacyFinding]
    /// The human faces in the image written; nil when detection was off or unavailable.
    public let faces: [FaceBox]?
    /// How many times the photo was enlarged, rounded to a tenth; nil when it was not.
    public let upscale: Double?
}

/// Runs planned preps, several at once; one failure never stops the others.
public enum PrepBatch {
    /// - Parameters:
    ///   - jobs: how many images at once; the cores left over go to libvips' own threads.
    ///   - finished: called as each input ends (from a worker thread), with its index.
    /// - Returns: every outcome, in the order of `preps`.
    public static func run(
        _ preps: [PlannedPrep], options: PrepOptions, replacing: Bool, jobs: Int,
        finished: @Sendable (Int, PrepOutcome) -> Void = { _, _ in }
    ) -> [PrepOutcome] {
        let workers = max(1, min(jobs, preps.count))
        // Parallel images scale almost linearly; libvips' threads inside one image far less
        // (measured in Benchmarks/README.md), so images get the cores first.
        Vips.setThreadsPerImage(ProcessInfo.processInfo.activeProcessorCount / workers)

        let outcomes = Mutex([PrepOutcome?](repeating: nil, count: preps.count))
        let commits = CommitQueue()
        withoutActuallyEscaping(finished) { finished in
            let finish: @Sendable (Int, Result<PrepWritten, PrepError>) -> Void = { index, result in
                let outcome = PrepOutcome(input: preps[index].input, result: result)
                finished(index, outcome)
                outcomes.withLock { $0[index] = outcome }
            }
            _ = WorkerPool.map(count: preps.count, workers: workers) { index in
                switch Result(catching: { () throws(PrepError) in try prepareOne(preps[index], options: options, replacing: replacing) }) {
                case .failure(let error):
                    finish(index, .failure(error))
                case .success(.done(let written)):
                    finish(index, .success(written))
                case .success(.writing(let file, let path, let written)):
                    commits.submit {
                        finish(index, Result { () throws(PrepError) in
                            try file.commit(to: path, replacing: replacing)
                            return written
                        })
                    }
                }
            }
            commits.waitForAll()
        }
        return outcomes.withLock { $0 }.map { $0! }
    }

    /// A prepared image: written (to standard output), or in its temporary file, waiting for
    /// the commit that makes it the named file.
    enum Prepared {
        case done(PrepWritten)
        case writing(PendingFile, path: String, PrepWritten)
    }

    static func runOne(_ prep: PlannedPrep, options: PrepOptions, replacing: Bool) throws(PrepError) -> PrepWritten {
        switch try prepareOne(prep, options: options, replacing: replacing) {
        case .done(let written):
            return written
        case .writing(let file, let path, let written):
            try file.commit(to: path, replacing: replacing)
            return written
        }
    }

    /// Prepares one image and writes its bytes: to standard output, or to a temporary file
    /// beside the output, which `commit` moves into place.
    static func prepareOne(_ prep: PlannedPrep, options: PrepOptions, replacing: Bool) throws(PrepError) -> Prepared {
        // A named output that exists is refused before any decoding.
        if case .file(let path) = prep.destination, !replacing, FileName.exists(path) {
            throw PrepError(.cannotWrite, "\(path) already exists; use --force to replace it")
        }
        let image = try ImagePrep.prepare(prep.input, options: options)
        let output = prep.destination.path(size: image.size, format: image.format)
        let written = PrepWritten(
            output: output, size: image.size, format: image.format, byteCount: image.bytes.count,
            source: image.source, removed: image.removed, faces: image.faces,
            upscale: image.upscale)
        guard let output else {
            try writeStandardOutput(image.bytes)
            return .done(written)
        }
        if !replacing && FileName.exists(output) { throw TemporaryFile.exists(output) }
        let file = try TemporaryFile(beside: output)
        try file.write(image.bytes)
        return .writing(PendingFile(file), path: output, written)
    }

    private static func writeStandardOutput(_ bytes: [UInt8]) throws(PrepError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw PrepError(.cannotWrite, "cannot write to standard output: \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }
}

extension Array where Element == PrepOutcome {
    /// 0 when every item succeeded, otherwise the status of the first failure in input order.
    public var exitStatus: ExitStatus {
        for outcome in self {
            if case .failure(let error) = outcome.result { return error.exitStatus }
        }
        return .ok
    }
}

/// A temporary file handed from the worker that wrote it to the commit queue: one thread uses
/// it at a time, the worker before `submit` and the queue after.
final class PendingFile: @unchecked Sendable {
    private let file: TemporaryFile

    init(_ file: TemporaryFile) {
        self.file = file
    }

    func commit(to path: String, replacing: Bool) throws(PrepError) {
        try file.commit(to: path, replacing: replacing)
    }
}

/// Moves written files into place off the workers' threads. The commit's `fsync` waits for the
/// disk, and a worker waiting there leaves its core idle: about 5% of a batch's time on the
/// development machine. Commits run one at a time, in the order submitted; at most `limit`
/// wait at once, so on a slow disk the workers wait too instead of open files piling up.
final class CommitQueue: Sendable {
    private let queue = DispatchQueue(label: "soraimg.prep.commit")
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore

    init(limit: Int = 8) {
        slots = DispatchSemaphore(value: limit)
    }

    func submit(_ commit: @escaping @Sendable () -> Void) {
        slots.wait()
        queue.async(group: group) {
            commit()
            self.slots.signal()
        }
    }

    /// Returns once every submitted commit has run.
    func waitForAll() {
        group.wait()
    }
}
