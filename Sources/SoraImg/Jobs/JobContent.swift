/// Where a finished job's video is, when a status answer names it rather than the job's id
/// addressing it (a Gemini operation's sample: a URI, or the bytes themselves).
public enum VideoSource: Sendable, Equatable {
    /// A URL to fetch; the dialect decides whether the key may go with it.
    case url(String)
    /// The video itself, carried in the answer.
    case bytes([UInt8])
}

/// How the engine gets a variant of a finished job: a request to send, or bytes already at
/// hand, which are written and checked like a download without any request.
public enum JobContent: Sendable {
    case request(HTTPRequest)
    case bytes([UInt8])
}
