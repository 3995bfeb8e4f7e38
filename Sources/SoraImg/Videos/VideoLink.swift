extension VideoDialect {
    /// The request for a video (or output) link a status answer named. A link that is not
    /// http(s), that carries credentials of its own, or that is plain http under an https
    /// service is refused; the key goes with it only where `sendsKey` says (by default, the
    /// base URL's own origin), never to a storage or CDN host a server chose.
    /// - Parameter noun: what the link names in messages ("video", "output").
    func linkDownload(
        _ url: String, id: String, noun: String = "video", sendsKey: ((ServiceURL) -> Bool)? = nil
    ) throws(VideosError) -> HTTPRequest {
        let shown = redact(url).printable(limit: 200)
        let named = "the service named the \(noun) of \(id.printable(limit: 200)) at '\(shown)'"
        let target: ServiceURL
        do {
            target = try ServiceURL(url, source: "the \(noun) url")
        } catch {
            throw VideosError(.unavailable, "\(named), which is not an http or https URL soraimg fetches", videoID: id)
        }
        if target.hadCredentials || (configuration.service.scheme == "https" && target.scheme != "https") {
            throw VideosError(
                .unavailable,
                "\(named), \(target.hadCredentials ? "a URL with credentials in it" : "a plain http URL under an https service"); soraimg does not fetch it",
                videoID: id)
        }
        let keyed = sendsKey?(target) ?? (target.origin == configuration.service.origin)
        return HTTPRequest(method: .get, url: url, headers: keyed ? configuration.headers : [], timeout: nil)
    }
}

extension VideoDialect {
    /// The content of a provider that makes only the video and names it in its finished
    /// answer: the bytes inline, or a link that `request` turns into its download. Nil until an
    /// answer naming it is at hand; any other variant is refused (64).
    func namedVideo(
        of job: JobSnapshot, variant: ContentVariant, request: (String) throws(VideosError) -> HTTPRequest
    ) throws(VideosError) -> JobContent? {
        guard variant == .video else {
            throw VideosError(.usage, "\(provider) makes only the video; there is no \(variant.rawValue) to download", videoID: job.id)
        }
        switch job.videoSource {
        case nil: return nil
        case .bytes(let bytes): return .bytes(bytes)
        case .url(let url): return .request(try request(url))
        }
    }
}
