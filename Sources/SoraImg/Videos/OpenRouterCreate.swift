import Foundation

/// The body of OpenRouter's `POST /videos` (`VideoGenerationRequest` in its OpenAPI spec):
/// `model`, `prompt`, `duration` as an integer, the frame size, and the photo as the video's
/// first frame in a base64 data URL.
@_spi(Fuzzing) public struct OpenRouterCreate: Sendable {
    public let model: String
    public let prompt: String
    /// nil when `seconds` is not a whole number (refused before sending: the spec's `duration`
    /// is an integer).
    public let duration: Int?
    public let frame: OpenRouterFrame
    /// `data:image/jpeg;base64,...`; nil for a text-only job.
    public let imageURL: String?

    public init(_ video: CreateVideo, capabilities: OpenRouterModel?) {
        model = video.model
        prompt = video.prompt
        duration = Int(video.seconds)
        frame = OpenRouterFrame(video.size, model: video.model, capabilities: capabilities)
        imageURL = video.reference.map(\.dataURL)
    }

    public var json: [UInt8] {
        var object: [String: Any] = ["model": model, "prompt": prompt]
        if let duration { object["duration"] = duration }
        switch frame {
        case .size(let size): object["size"] = size.description
        case .resolution(let resolution, let aspectRatio):
            object["resolution"] = resolution
            object["aspect_ratio"] = aspectRatio
        }
        if let imageURL {
            // The skill OpenRouterTeam/skills openrouter-video says a data URL is accepted
            // here; the API reference types it as a bare string and does not say. UNCONFIRMED
            // by the API reference; it is the only way to send a local photo without hosting it.
            object["frame_images"] = [["type": "image_url", "image_url": ["url": imageURL], "frame_type": "first_frame"]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }
}

/// How a frame size is named on the wire: `size: "WxH"`, or `resolution` + `aspect_ratio`
/// (the spec calls them interchangeable).
public enum OpenRouterFrame: Sendable, Equatable {
    case size(VideoSize)
    case resolution(String, aspectRatio: String)

    /// Veo models are asked by resolution and aspect ratio, the pair Google's own API takes
    /// (OpenRouter's guide lists only landscape `supported_sizes` for google/veo-3.1, but both
    /// 16:9 and 9:16 aspect ratios). Another model gets `size` when its capabilities list it;
    /// else the pair when the size has one; else `size` as given (`--size WxH` for a model
    /// soraimg has no table for). The photo is cropped locally to exactly this size, so how a
    /// service treats a first frame of another aspect (crop, pad or refuse: unconfirmed for
    /// OpenRouter, it depends on the upstream provider) never comes up.
    init(_ size: VideoSize, model: String, capabilities: OpenRouterModel?) {
        let pair = OpenRouterResolution.pair(for: size)
        let isVeo = model.lowercased().hasPrefix("google/veo")
        if !isVeo, capabilities?.supportedSizes.contains(size) == true {
            self = .size(size)
        } else if let pair {
            self = .resolution(pair.resolution, aspectRatio: pair.aspectRatio)
        } else {
            self = .size(size)
        }
    }
}
