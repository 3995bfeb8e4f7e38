import Foundation

extension OpenRouterCatalogue {
    /// The table `prep` and `animate` use for `model` at OpenRouter: a model with a built-in
    /// row keeps it (its sizes are named by resolution and aspect ratio); any other takes the
    /// sizes, durations and prices this list states for it; a model the list does not name
    /// stays a pass-through name (`--size WxH` then says what to make).
    public func videoModel(for model: VideoModel) -> VideoModel {
        guard model.provider == .openrouter, !model.isKnown, let listed = self.model(named: model.name) else { return model }
        let table = listed.videoModel
        return table.isKnown ? table : model
    }

    /// Refuses, before anything is read or sent, what OpenRouter would refuse or ignore after
    /// being paid: a photo for a model that takes no first frame, and a duration that is not a
    /// whole number of seconds (the API's `duration` is an integer).
    public static func check(_ job: AnimateJob, catalogue: OpenRouterCatalogue?) throws(VideosError) {
        guard job.model.provider == .openrouter else { return }
        guard let seconds = Int(job.seconds), seconds >= 1 else {
            throw VideosError(.usage, "OpenRouter takes a whole number of seconds, not '\(job.seconds.printable(limit: 40))'; give --seconds such as 8")
        }
        if let listed = job.model.listedSeconds, !listed.isEmpty, !listed.contains(seconds) {
            throw VideosError(
                .usage, "\(job.model.name) does not allow --seconds \(seconds); it allows \(listed.map(String.init).joined(separator: ", "))")
        }
        guard job.image != nil, let listed = catalogue?.model(named: job.model.name), !listed.acceptsFirstFrame else { return }
        let takes = listed.supportedFrameImages.map { $0.isEmpty ? "no frame images" : "only \($0.joined(separator: ", "))" } ?? "no frame images"
        let others = catalogue?.models.filter(\.acceptsFirstFrame).prefix(4).map(\.id) ?? []
        throw VideosError(
            .usage,
            "\(job.model.name.printable(limit: 80)) takes \(takes) (OpenRouter's model list), so a photo cannot be its first frame; nothing was sent",
            hint: "run without a photo for a text-only video" + (others.isEmpty ? "" : ", or use a model that takes one: \(others.joined(separator: ", "))"))
    }
}

extension VideoModel {
    /// The durations as whole seconds, when every one is.
    var listedSeconds: [Int]? {
        let values = seconds.compactMap(Int.init)
        return values.count == seconds.count ? values : nil
    }
}

extension OpenRouterCatalogue {
    /// What `soraimg models --provider openrouter` lists: the built-in rows first (whether a
    /// photo can be the first frame as this list says, when it names them), then every other
    /// model the list names, sized from it.
    public var facts: [ModelFacts] {
        let builtIn = VideoModel.catalogue.filter { $0.provider == Provider.openrouter.rawValue }
        let known = Set(builtIn.map(\.model.name))
        let rows = builtIn.map { fact in
            guard let listed = model(named: fact.model.name) else { return fact }
            return ModelFacts(
                provider: fact.provider, model: fact.model, defaultSeconds: fact.defaultSeconds, firstFrame: listed.acceptsFirstFrame,
                assumed: fact.assumed, source: fact.source)
        }
        return rows + models.filter { !known.contains($0.id) }.map(\.facts)
    }
}
