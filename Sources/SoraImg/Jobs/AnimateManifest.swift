import Foundation

/// A batch written down: one JSON object per line, each an animate item (`image`, `prompt`,
/// and optionally `model`, `seconds`, `size`, `output`, `provider`). Every line is checked
/// before anything is sent, and every bad line is reported with its number, so a batch never
/// pays for its first half and then stops at a typo.
public enum AnimateManifest {
    /// The keys a line may carry.
    public static let keys: Set<String> = ["image", "prompt", "model", "seconds", "size", "output", "provider"]

    /// - Parameters:
    ///   - template: the command line's settings, which a line's own keys override.
    ///   - provider: the provider this run speaks; a line naming another is refused.
    ///   - models: the table for a line's model, where the provider's own list gives one
    ///     (OpenRouter's); by default the built-in tables.
    /// Relative `image` and `output` paths are read from the manifest's folder.
    public static func jobs(
        from path: String, template: AnimateJob, provider: String, models: ((VideoModel) -> VideoModel)? = nil
    ) throws(VideosError) -> [AnimateJob] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VideosError(FileManager.default.fileExists(atPath: path) ? .usage : .notFound, "cannot read the manifest \(path)")
        }
        let folder = FileName.parent(of: path)
        var jobs: [AnimateJob] = []
        var problems: [String] = []
        for (offset, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, !text.hasPrefix("#") else { continue }
            do {
                jobs.append(try job(from: Data(text.utf8), template: template, provider: provider, folder: folder, models: models))
            } catch {
                problems.append("\(path):\(offset + 1): \(error.message)")
            }
        }
        if !problems.isEmpty {
            let shown = problems.prefix(20).joined(separator: "\n  ")
            let more = problems.count > 20 ? "\n  ... and \(problems.count - 20) more" : ""
            throw VideosError(
                .usage, "the manifest has \(problems.count) bad line\(problems.count == 1 ? "" : "s"); nothing was sent:\n  \(shown)\(more)")
        }
        guard !jobs.isEmpty else { throw VideosError(.usage, "the manifest \(path) holds no jobs") }
        return jobs
    }

    static func job(
        from line: Data, template: AnimateJob, provider: String, folder: String, models: ((VideoModel) -> VideoModel)? = nil
    ) throws(VideosError) -> AnimateJob {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            throw VideosError(.usage, "not a JSON object")
        }
        let unknown = Set(object.keys).subtracting(keys)
        if !unknown.isEmpty {
            throw VideosError(.usage, "unknown key\(unknown.count == 1 ? "" : "s") \(unknown.sorted().joined(separator: ", ")) (known: \(keys.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String) throws(VideosError) -> String? {
            guard let value = object[key] else { return nil }
            if let string = value as? String { return string }
            // Seconds are often written as a number.
            if key == "seconds", let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() {
                return String(number.intValue)
            }
            throw VideosError(.usage, "\(key) must be a string")
        }
        if let wanted = try text("provider"), wanted != provider {
            throw VideosError(.usage, "provider \(wanted.printable(limit: 40)) differs from this run's (\(provider)); run one manifest per provider")
        }
        guard let prompt = try text("prompt"), !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw VideosError(.usage, "prompt is missing or empty")
        }
        var job = template
        job.prompt = prompt
        if let model = try text("model") {
            let named = VideoModel(named: model, provider: template.model.provider)
            job.model = models?(named) ?? named
        }
        if let seconds = try text("seconds") { job.seconds = seconds }
        if let size = try text("size") {
            guard let parsed = SizeRequest(parsing: size) else { throw VideosError(.usage, "size must be auto, max or WxH, not '\(size.printable(limit: 40))'") }
            job.size = parsed
        }
        job.image = try text("image").map { resolve($0, in: folder) }
        job.output = try text("output").map { resolve($0, in: folder) }
        if let image = job.image, !FileManager.default.fileExists(atPath: image) {
            throw VideosError(.usage, "image \(image) does not exist")
        }
        try job.validate()
        return job
    }

    private static func resolve(_ path: String, in folder: String) -> String {
        guard !path.hasPrefix("/"), !folder.isEmpty else { return path }
        let joined = OutputPlan.join(folder, path)
        return path.hasSuffix("/") && !joined.hasSuffix("/") ? joined + "/" : joined
    }
}
