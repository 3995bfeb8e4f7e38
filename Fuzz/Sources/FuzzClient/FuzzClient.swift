import FuzzSupport

/// One libFuzzer input: its first byte picks the parser, the rest is what that parser reads.
/// Letters, so the seeds in Fuzz/Seeds/client stay readable.
enum ClientTarget {
    /// `v`: a `GET /videos/{id}` body.
    case video
    /// `l`: a `GET /videos` body.
    case list
    /// `r`: a whole error answer (a flags byte, then status line, headers and body): header
    /// parsing, the retry and poll timing read from it, and the error catalogue.
    case response
    /// `j`: the journal file.
    case journal
    /// `m`: a multipart Content-Type line, then the body the sandbox splits with it.
    case multipart
    /// `s`: the bytes a client sends on one connection to the sandbox.
    case sandboxConnection
    /// `f`: a downloaded file, checked as a whole MP4.
    case downloadedFile
    /// `u`: a base URL (and the same text as a header value from the environment).
    case baseURL

    init?(selector: UInt8) {
        switch selector {
        case UInt8(ascii: "v"): self = .video
        case UInt8(ascii: "l"): self = .list
        case UInt8(ascii: "r"): self = .response
        case UInt8(ascii: "j"): self = .journal
        case UInt8(ascii: "m"): self = .multipart
        case UInt8(ascii: "s"): self = .sandboxConnection
        case UInt8(ascii: "f"): self = .downloadedFile
        case UInt8(ascii: "u"): self = .baseURL
        default: return nil
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClient(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    // -1 tells libFuzzer not to keep an input that selects nothing.
    guard let selector = bytes.first, let target = ClientTarget(selector: selector) else { return -1 }
    let input = Array(bytes.dropFirst())
    switch target {
    case .video: VideoBodies.checkVideo(input)
    case .list: VideoBodies.checkList(input)
    case .response: ErrorAnswers.check(input)
    case .journal: JournalFile.check(input)
    case .multipart: SandboxRequests.checkMultipart(input)
    case .sandboxConnection: SandboxRequests.checkConnection(input)
    case .downloadedFile: DownloadedFiles.check(input)
    case .baseURL: BaseURLs.check(input)
    }
    return 0
}
