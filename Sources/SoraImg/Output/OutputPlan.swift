import Foundation

/// Where one prep's result goes.
public enum OutputDestination: Sendable, Equatable {
    /// Exactly this file.
    case file(String)
    /// `DIR/STEM.WxH.EXT`, named once the size is known.
    case directory(String, stem: String)
    /// Image bytes on standard output.
    case standardOutput

    /// The final path for an image of `size` in `format`; nil for standard output.
    public func path(size: VideoSize, format: ImageFormat) -> String? {
        switch self {
        case .file(let path): path
        case .directory(let directory, let stem): OutputPlan.join(directory, "\(stem).\(size).\(format.fileExtension)")
        case .standardOutput: nil
        }
    }
}

/// Where each input is read from.
/// One input and where its result goes.
public struct PlannedPrep: Sendable, Equatable {
    public let input: ImageInput
    public let destination: OutputDestination
}

/// The output rules of `prep` (README, "soraimg prep"), applied to the whole command line before any
/// image is read, so a usage mistake never leaves half a batch done.
public enum OutputPlan {
    /// - Parameters:
    ///   - inputs: as given; `-` is standard input.
    ///   - output: the `-o` value, if any.
    ///   - format: `--format`, if given.
    ///   - json: whether `--json` owns standard output.
    /// - Returns: one planned prep per input, in order, and the output format.
    public static func make(
        inputs: [String], output: String?, format explicitFormat: ImageFormat?, json: Bool
    ) throws(PrepError) -> (preps: [PlannedPrep], format: ImageFormat) {
        guard !inputs.isEmpty else { throw PrepError(.usage, "no input images given") }
        let sources = inputs.map(ImageInput.init(argument:))
        if sources.contains(.standardInput) && sources.count > 1 {
            throw PrepError(.usage, "standard input (-) can only be the one input")
        }
        var format = explicitFormat ?? .jpeg
        let destinations: [OutputDestination]

        switch output {
        case "-":
            guard sources.count == 1 else { throw PrepError(.usage, "-o - writes one image to standard output; give one input") }
            guard !json else { throw PrepError(.usage, "-o - and --json both want standard output; drop one") }
            destinations = [.standardOutput]
        case let output? where output.hasSuffix("/") || isDirectory(output):
            destinations = sources.map { .directory(output, stem: stem(of: $0)) }
        case let output?:
            guard sources.count == 1 else {
                throw PrepError(.usage, "-o \(output) names one file but \(sources.count) inputs were given; use -o DIR/ for several")
            }
            let fileExtension = (output as NSString).pathExtension
            let named = ImageFormat(fileExtension: fileExtension)
            switch (explicitFormat, named) {
            case (nil, let named?): format = named
            case (nil, nil) where fileExtension.isEmpty:
                // A bare name is as likely a folder not made yet as a file: offer both.
                throw PrepError(
                    .usage,
                    "cannot tell the output format from '\(output)', which has no extension and is not an existing folder; for a folder give -o \(output)/ (created if missing), for a file named \(output) give --format jpeg (or png, webp)")
            case (nil, nil):
                throw PrepError(.usage, "cannot tell the output format from '\(output)'; name it .jpg, .png or .webp, or give --format")
            case (let explicit?, let named?) where explicit != named:
                throw PrepError(.usage, "-o \(output) says \(named.displayName) but --format says \(explicit.displayName)")
            default: break
            }
            destinations = [.file(output)]
        case nil:
            guard !sources.contains(.standardInput) else {
                throw PrepError(.usage, "an image read from standard input needs -o FILE, -o DIR/ or -o -")
            }
            destinations = sources.map { source in
                guard case .file(let path) = source else { return .standardOutput }
                let directory = FileName.parent(of: path)
                return .directory(directory.isEmpty ? "." : directory, stem: stem(of: source))
            }
        }

        let preps = zip(sources, destinations).map { PlannedPrep(input: $0, destination: $1) }
        try checkInputsDistinct(sources)
        try checkCollisions(preps)
        try checkNotOverwritingInputs(preps, format: format)
        return (preps, format)
    }

    /// The same file given twice, under two names (a link, a linked folder, `./`), would be
    /// prepared twice into one output: refused before the first one is written.
    private static func checkInputsDistinct(_ sources: [ImageInput]) throws(PrepError) {
        var seen: [FileIdentity: String] = [:]
        for case .file(let path) in sources {
            guard let identity = FileIdentity(path) else { continue }
            if let earlier = seen[identity] {
                throw PrepError(.usage, "\(earlier) and \(path) are the same file; give it once")
            }
            seen[identity] = path
        }
    }

    /// Two inputs with the same stem in the same folder would get the same name (the size in
    /// the name is only known once each image is read), so they are refused up front.
    private static func checkCollisions(_ preps: [PlannedPrep]) throws(PrepError) {
        var seen: [String: String] = [:]
        var clashes: [String] = []
        for prep in preps {
            let key: String
            switch prep.destination {
            case .directory(let directory, let stem):
                // The folder by device and inode, so two spellings of one folder meet.
                key = (FileIdentity(directory).map { "\($0.device):\($0.inode)/" + stem } ?? canonical(join(directory, stem))) + ".*"
            case .file(let path): key = canonical(path)
            case .standardOutput: continue
            }
            if let earlier = seen[key] {
                clashes.append("\(earlier) and \(prep.input)")
            } else {
                seen[key] = prep.input.description
            }
        }
        guard clashes.isEmpty else {
            throw PrepError(.usage, "these inputs would be written to the same output name: \(clashes.joined(separator: "; ")); use -o with separate folders or rename them")
        }
    }

    /// No output may land on any input, with or without `--force`: a named output is compared
    /// with every input by device and inode; a `STEM.WxH.EXT` name (its size known only once the
    /// image is read) with every input in that folder whose name has that form, whatever the size.
    private static func checkNotOverwritingInputs(_ preps: [PlannedPrep], format: ImageFormat) throws(PrepError) {
        let inputs = preps.compactMap { prep -> (path: String, identity: FileIdentity)? in
            guard case .file(let path) = prep.input, let identity = FileIdentity(path) else { return nil }
            return (path, identity)
        }
        // Looked up, not searched: every input, every input named STEM.WxH.EXT by folder and
        // stem, and every output folder, each examined once, so a batch of thousands costs
        // thousands of `stat` calls, not millions.
        let inputsByIdentity = Dictionary(inputs.map { ($0.identity, $0.path) }, uniquingKeysWith: { first, _ in first })
        var sizedInputs: [SizedName: String] = [:]
        for input in inputs {
            let name = (input.path as NSString).lastPathComponent
            guard let parts = sizedNameParts(name), parts.fileExtension == format.fileExtension,
                let folder = FileIdentity(parentOf: input.path)
            else { continue }
            sizedInputs[SizedName(folder: folder, stem: parts.stem), default: input.path] = input.path
        }
        var folders: [String: FileIdentity?] = [:]
        for prep in preps {
            switch prep.destination {
            case .file(let output):
                guard let target = FileIdentity(output), let input = inputsByIdentity[target] else { continue }
                let what = prep.input.description == input ? "the input itself" : "the input \(input)"
                throw PrepError(.usage, "-o \(output) is \(what); soraimg never overwrites an input")
            case .directory(let directory, let stem):
                if folders[directory] == nil { folders[directory] = .some(FileIdentity(directory)) }
                guard let folder = folders[directory] ?? nil, let input = sizedInputs[SizedName(folder: folder, stem: stem)] else { continue }
                throw PrepError(
                    .usage,
                    "\(input) is an input, and the output of \(prep.input) may take its name; soraimg never overwrites an input (use -o DIR/ to write elsewhere)")
            case .standardOutput: continue
            }
        }
    }

    /// An output name a later size could take: a folder and a stem.
    private struct SizedName: Hashable {
        let folder: FileIdentity
        let stem: String
    }

    /// `STEM` and `EXT` of a name of the form `STEM.WxH.EXT` (W and H ASCII digits); nil for
    /// any other name.
    static func sizedNameParts(_ name: String) -> (stem: String, fileExtension: String)? {
        guard let extensionDot = name.lastIndex(of: "."), extensionDot != name.startIndex,
            let sizeDot = name[..<extensionDot].lastIndex(of: ".")
        else { return nil }
        let fileExtension = name[name.index(after: extensionDot)...]
        let size = name[name.index(after: sizeDot)..<extensionDot].split(separator: "x", omittingEmptySubsequences: false)
        guard !fileExtension.isEmpty, size.count == 2,
            size.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return (String(name[..<sizeDot]), String(fileExtension))
    }

    static func stem(of source: ImageInput) -> String {
        guard case .file(let path) = source else { return "stdin" }
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return stem.isEmpty ? name : stem
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func isDirectory(_ path: String) -> Bool { FileName.isDirectory(path) }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

}

/// A file as the system knows it, whatever path led there (links followed).
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard FileName.withCString(path, { stat($0, &info) }) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The folder that holds `path`.
    init?(parentOf path: String) {
        let parent = FileName.parent(of: path)
        self.init(parent.isEmpty ? "." : parent)
    }
}
