import Foundation

/// One `soraimg animate` item: a photo (or none, for a text-only job) made into a video.
public struct AnimateJob: Sendable {
    public var prompt: String
    public var model: VideoModel
    public var seconds: String
    public var size: SizeRequest
    /// The reference photo; nil for a text-only job.
    public var image: String?
    /// Where the video goes: a file, or a folder (`DIR/STEM.mp4`); nil for `./STEM.mp4`, or
    /// `./VIDEO_ID.mp4` for a text-only job.
    public var output: String?
    public var variants: [ContentVariant] = [.video]
    public var prep = PrepOptions()
    public var referenceEncoding = ReferenceEncoding.multipart
    /// An image the service already holds, by its file id, instead of a photo: nothing is
    /// prepared locally, and the size is the text-only job's unless `--size` says.
    public var inputFileID: String?
    public var replacing = false

    public init(prompt: String, model: VideoModel, seconds: String, size: SizeRequest, image: String?, output: String?) {
        self.prompt = prompt
        self.model = model
        self.seconds = seconds
        self.size = size
        self.image = image
        self.output = output
    }

    /// Checks what can be checked before anything is read or sent.
    public func validate() throws(VideosError) {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw VideosError(.usage, "--prompt must not be empty") }
        if let inputFileID {
            guard image == nil else { throw VideosError(.usage, "give a photo or --input-file-id, not both") }
            // It goes into a JSON body and the journal: one visible token, of a sane length.
            guard (1...256).contains(inputFileID.utf8.count), inputFileID.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw VideosError(.usage, "--input-file-id takes a file id the service gave (such as file-abc123): visible characters, no spaces, at most 256")
            }
        }
        // A model whose durations are not stated (a provider's list without them) takes any.
        if model.isKnown && !model.seconds.isEmpty && !model.seconds.contains(seconds) {
            throw VideosError(.usage, "\(model.name) does not allow --seconds \(seconds); it allows \(model.seconds.joined(separator: ", "))")
        }
        do {
            try size.validate(for: model)
            if case .exact(let exact) = size { try model.check(seconds: seconds, at: exact) }
        } catch {
            throw VideosError(.usage, error.message)
        }
    }

    /// The size for a text-only job: an exact size as given; otherwise landscape, at 720p
    /// (`auto`) or the largest the model allows (`max`).
    func textOnlySize() throws(VideosError) -> VideoSize {
        do {
            return try size.target(for: model, upright: VideoSize(width: 16, height: 9))
        } catch {
            throw VideosError(.usage, error.message)
        }
    }

    /// The video's path, given the job's id for a text-only job.
    public func videoPath(id: String?) -> String? {
        let stem: String
        if let image {
            stem = ((image == "-" ? "stdin" : (image as NSString).lastPathComponent) as NSString).deletingPathExtension
        } else if let id {
            // A server chose the id: only a safe name made from it becomes a file name.
            stem = JobFileName.stem(forID: id)
        } else {
            return nil
        }
        guard let output else { return "./\(stem).mp4" }
        var isDirectory: ObjCBool = false
        if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue) {
            return OutputPlan.join(output, "\(stem).mp4")
        }
        return output
    }

    /// A photo's path as the journal records it: absolute, so a rerun from another folder
    /// still names the same photo.
    static func absolute(_ path: String) -> String {
        guard path != "-", !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Where each variant goes beside the video: `BASE.thumbnail.webp`, `BASE.spritesheet.jpg`.
    public static func path(of variant: ContentVariant, video: String) -> String {
        guard variant != .video else { return video }
        let base = video.hasSuffix(".mp4") ? String(video.dropLast(4)) : video
        return base + variant.suffix
    }
}
