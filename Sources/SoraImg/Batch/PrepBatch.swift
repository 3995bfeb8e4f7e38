import Foundation

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

        return WorkerPool.map(count: preps.count, workers: workers) { index in
            let outcome = PrepOutcome(input: preps[index].input, result: Result { () throws(PrepError) in
                try runOne(preps[index], options: options, replacing: replacing)
            })
            finished(index, outcome)
            return outcome
        }.map { $0! }
    }

    static func runOne(_ prep: PlannedPrep, options: PrepOptions, replacing: Bool) throws(PrepError) -> PrepWritten {
        // A named output that exists is refused before any decoding.
        if case .file(let path) = prep.destination, !replacing, FileName.exists(path) {
            throw PrepError(.cannotWrite, "\(path) already exists; use --force to replace it")
        }
        let image = try ImagePrep.prepare(prep.input, options: options)
        let output = prep.destination.path(size: image.size, format: image.format)
        if let output {
            try AtomicFile.write(image.bytes, to: output, replacing: replacing)
        } else {
            try writeStandardOutput(image.bytes)
        }
        return PrepWritten(
            output: output, size: image.size, format: image.format, byteCount: image.bytes.count,
            source: image.source, removed: image.removed, faces: image.faces,
            upscale: image.upscale)
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
