import Foundation

/// The input JSON of a fal model: each model names its image field and spells its duration its
/// own way, so a small table holds what differs (from the generated input types in fal-js
/// `libs/client/src/types/endpoints.ts` @ 381105e, 2026-08).
struct FalRequest: Sendable {
    /// What one model's input looks like.
    struct Model: Sendable {
        /// The field that takes the reference image's URL.
        let imageField: String
        /// `"8s"` for Veo 3.1, `"5"` for Kling.
        let durationSuffix: String
        /// Whether the model takes `aspect_ratio` and `resolution` (Veo 3.1 does; Kling v3 has
        /// neither, its video follows the image).
        let namesSize: Bool
        /// The model needs an image (an image-to-video endpoint).
        let needsImage: Bool
    }

    static let models: [String: Model] = [
        // `Veo31ImageToVideoInput`: image_url required; duration "4s" | "6s" | "8s".
        "fal-ai/veo3.1/image-to-video": Model(imageField: "image_url", durationSuffix: "s", namesSize: true, needsImage: true),
        // `KlingVideoV34kImageToVideoInput`: start_image_url required; duration "3"…"15".
        "fal-ai/kling-video/v3/pro/image-to-video": Model(imageField: "start_image_url", durationSuffix: "", namesSize: false, needsImage: true),
    ]

    /// A model soraimg has no table for: `image_url` (the name most fal models use, e.g.
    /// Seedance 2.0, as fal's image-to-video overview says) and the duration as a bare number.
    static let passThrough = Model(imageField: "image_url", durationSuffix: "", namesSize: false, needsImage: false)

    static func model(_ name: String) -> Model { models[name] ?? passThrough }

    /// The JSON body of `POST {base}/{model}`: the prompt, the image by URL, the duration as
    /// the model spells it, and (Veo) the aspect ratio and resolution of the prepared size.
    static func body(for video: CreateVideo) -> [UInt8] {
        var object: [String: Any] = [:]
        for (name, value) in wireFields(of: video) { object[name] = value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }

    private static func wireFields(of video: CreateVideo) -> [(String, String)] {
        let model = model(video.model)
        var fields = [("prompt", video.prompt), ("duration", video.seconds + model.durationSuffix)]
        if model.namesSize {
            fields += [("aspect_ratio", aspectRatio(of: video.size)), ("resolution", resolution(of: video.size))]
        }
        if let url = video.reference?.url { fields.append((model.imageField, url)) }
        return fields
    }

    /// What `--dry-run` shows beside the common fields: the model's own, as sent, and the
    /// image's field naming the upload.
    static func fields(of video: CreateVideo) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = wireFields(of: video).filter { $0.0 != "prompt" }.map { ($0.0, $0.1) }
        if let reference = video.reference {
            fields.append((model(video.model).imageField, "uploaded to fal storage first (\(reference.format.mimeType), \(video.size))"))
        }
        return fields
    }

    static func aspectRatio(of size: VideoSize) -> String { size.isPortrait ? "9:16" : "16:9" }

    static func resolution(of size: VideoSize) -> String { min(size.width, size.height) >= 1080 ? "1080p" : "720p" }

    /// Whether Veo 3.1 can be asked for `size`: 16:9 or 9:16 at 720p or 1080p (its schema's
    /// aspect ratios and resolutions; the pixel sizes are assumed, as no fal page gives them).
    static func isVeoSize(_ size: VideoSize) -> Bool {
        VideoModel.veoSizes.contains(size)
    }

    /// A model id as fal writes them: `owner/app[/path...]`, each segment letters, digits,
    /// `.`, `_` or `-` and not `.` or `..`, so the id can only ever name a path under the base.
    static func isModelID(_ name: String) -> Bool {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count >= 2 && segments.count <= 8
            && segments.allSatisfy { segment in
                !segment.isEmpty && segment.count <= 100 && segment != "." && segment != ".."
                    && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
            }
    }
}
