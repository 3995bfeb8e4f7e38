import Foundation

/// The body of xAI's `POST {base}/videos/generations` (`GenerateVideoRequest` in the REST
/// OpenAPI spec of xai-org/xai-sdk-ts, `spec/openapi.json`):
///
///     {"model": "grok-imagine-video", "prompt": "...",
///      "image": {"url": "data:image/jpeg;base64,..."}, "duration": 8, "resolution": "720p"}
///
/// `image.url` takes "a public URL or base64-encoded data URL of the image (JPEG, PNG, or
/// WebP)"; soraimg sends the prepared image inline, so nothing is uploaded elsewhere.
/// `duration` is an integer from 1 to 15 (the spec also takes a string; a number is its own
/// example). `aspect_ratio` is left out: the spec says it is "ignored for image-to-video ... the
/// aspect ratio is always derived from the input image", and the image was already cropped to
/// the size asked for, so the crop is the aspect choice.
enum XAIRequest {
    /// The durations the spec allows: "integer 1–15, default 8".
    static let seconds = 1...15
    /// The narrowest and widest aspects soraimg sends (width over height): 2:5 to 5:2, and at
    /// least 300 px a side. xAI publishes no limit for its input; these are the bounds soraimg
    /// applies to every provider whose video follows the image (as for Kling at Replicate),
    /// chosen so no size is sent that a video model is unlikely to take.
    static let narrowest = 2.0 / 5.0
    static let widest = 5.0 / 2.0
    static let shortestSide = 300

    /// The JSON body for `video`.
    static func body(for video: CreateVideo) -> [UInt8] {
        var object: [String: Any] = ["model": video.model, "prompt": video.prompt, "resolution": resolution(of: video.size)]
        if let reference = video.reference {
            object["image"] = ["url": reference.dataURL]
        }
        // A duration that is not a whole number of seconds is refused before sending
        // (`XAIDialect.check`), so this never drops one silently.
        if let seconds = Int(video.seconds) { object["duration"] = seconds }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }

    /// The fields a dry run shows beside the prompt, model, seconds and size.
    static func fields(of video: CreateVideo) -> [(name: String, value: String)] {
        var fields = [("duration", video.seconds), ("resolution", resolution(of: video.size))]
        if let reference = video.reference {
            fields.append(("image", "url: data URL (\(reference.format.mimeType), \(video.size))"))
        }
        return fields
    }

    /// The spec's `resolution` (`480p`, `720p`, `1080p`) for a size: the smallest class whose
    /// shorter side holds the size's shorter side, so the video is never made smaller than the
    /// image asked for. Which models accept `1080p` is not documented (a third-party gateway
    /// says plain grok-imagine-video refuses it): soraimg sends it only for a size above 720p,
    /// which a user asked for explicitly, and the service's refusal is shown if it comes.
    static func resolution(of size: VideoSize) -> String {
        switch min(size.width, size.height) {
        case ...480: "480p"
        case ...720: "720p"
        default: "1080p"
        }
    }

    /// Whether a video may be asked for at `size`: at least 300 px a side, with an aspect from
    /// 2:5 to 5:2.
    static func allows(_ size: VideoSize) -> Bool {
        let aspect = Double(size.width) / Double(size.height)
        return min(size.width, size.height) >= shortestSide && aspect >= narrowest && aspect <= widest
    }

    /// The refusal for a size outside `allows`.
    static let sizeRule = "any size from 300 px a side with an aspect from 2:5 to 5:2 (such as 1280x720, 720x1280, 1000x1000, 1500x600)"
}
