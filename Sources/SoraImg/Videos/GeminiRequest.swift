import Foundation

/// The body of `POST {base}/models/{model}:predictLongRunning` for Veo, as google-genai
/// 2.34.0's Developer-API serializer (`_GenerateVideosSource_to_mldev`,
/// `_GenerateVideosConfig_to_mldev`, `_Image_to_mldev`) writes it:
///
///     {"instances": [{"prompt": "...",
///                     "image": {"bytesBase64Encoded": "<base64>", "mimeType": "image/jpeg"}}],
///      "parameters": {"aspectRatio": "16:9", "resolution": "720p", "durationSeconds": 8}}
///
/// The image is `bytesBase64Encoded` (plain base64, no `data:` prefix) and never the
/// `inlineData` form, which Veo refuses with "`inlineData` isn't supported by this model".
/// `personGeneration` is left out: a Google forum report (discuss.ai.google.dev, topic 181139)
/// shows veo-3.1-generate-preview refusing the documented `allow_adult` for image-to-video,
/// and the service's default needs no value.
enum GeminiRequest {
    /// The JSON body for `video`.
    static func body(for video: CreateVideo) -> [UInt8] {
        var instance: [String: Any] = ["prompt": video.prompt]
        if let reference = video.reference {
            instance["image"] = [
                "bytesBase64Encoded": reference.base64,
                "mimeType": reference.format.mimeType,
            ]
        }
        var parameters: [String: Any] = [
            "aspectRatio": aspectRatio(of: video.size),
            "resolution": resolution(of: video.size),
        ]
        // An integer on the wire (the SDK's `duration_seconds: int`), unlike the OpenAI
        // protocol's string. A duration that is not a whole number is refused before sending
        // (`GeminiDialect.check`), so this never drops one silently.
        if let seconds = Int(video.seconds) { parameters["durationSeconds"] = seconds }
        let object: [String: Any] = ["instances": [instance], "parameters": parameters]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }

    /// The fields a dry run shows beside the prompt, model, seconds and size: how the body
    /// will say the size, and the image described (not included).
    static func fields(of video: CreateVideo) -> [(name: String, value: String)] {
        var fields = [("aspectRatio", aspectRatio(of: video.size)), ("resolution", resolution(of: video.size))]
        if let reference = video.reference {
            fields.append(("image", "bytesBase64Encoded (\(reference.format.mimeType), \(video.size))"))
        }
        return fields
    }

    /// Veo takes two aspect ratios (the SDK's docstring: `16:9`, `9:16`); the image was already
    /// cropped to the size's own shape, so its orientation picks one.
    static func aspectRatio(of size: VideoSize) -> String {
        size.isPortrait ? "9:16" : "16:9"
    }

    /// `720p` or `1080p` (the SDK's docstring), by the shorter side.
    static func resolution(of size: VideoSize) -> String {
        min(size.width, size.height) >= 1080 ? "1080p" : "720p"
    }

    /// Whether `size` is one Veo's two parameters describe exactly: 1280x720 or 1920x1080, in
    /// either orientation. The pixel sizes are an assumption: Google names only `720p` and
    /// `1080p` (OpenRouter's guide lists 1280x720 and 1920x1080 for google/veo-3.1).
    static func isExpressible(_ size: VideoSize) -> Bool {
        let landscape = size.isPortrait ? size.transposed : size
        return landscape == VideoSize(width: 1280, height: 720) || landscape == VideoSize(width: 1920, height: 1080)
    }
}
