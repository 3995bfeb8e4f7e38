internal import CCurl
internal import CCurlShims
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What bounds one transfer: where its body goes (and how much of it), and its timeouts.
struct TransferLimits {
    let sink: ResponseSink
    /// Seconds to open the connection.
    let connectTimeout: Double
    /// Seconds without a byte moving before the transfer is given up.
    let stallTimeout: Double
}

/// Where a response body goes.
enum ResponseSink {
    /// Collected in memory, refused beyond `limit` bytes.
    case memory(limit: Int)
    /// Written to an open file descriptor as it arrives, refused beyond `limit` bytes.
    case file(descriptor: Int32, limit: Int)
}

/// One libcurl easy handle performing one request. It owns the handle, the header list and
/// the MIME body, and keeps everything the C side points into alive until `deinit`.
/// Not `Sendable`: one transfer, one thread.
final class CurlTransfer {
    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var mime: OpaquePointer?
    /// What the C callbacks read and write, passed to them as an unretained pointer.
    private let state: TransferState

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init(_ request: HTTPRequest, limits: TransferLimits, progress: (@Sendable (TransferProgress) -> Bool)?) throws(HTTPTransportError) {
        guard Self.globalInit == CURLE_OK, let handle = CurlHandles.shared.take() else {
            throw HTTPTransportError(.other, "libcurl could not start")
        }
        self.handle = handle
        state = TransferState(sink: limits.sink, stallTimeout: limits.stallTimeout, progress: progress)
        try configure(request, limits: limits)
    }

    deinit {
        // Options go; the handle's open connections and TLS sessions stay for the next request.
        curl_easy_reset(handle)
        CurlHandles.shared.put(handle)
        curl_slist_free_all(headerList)
        if let mime { curl_mime_free(mime) }
    }

    // MARK: Setup

    private func set(_ option: CURLoption, _ value: Int) {
        _ = CCurlShims_setopt_long(handle, option, value)
    }

    private func set(_ option: CURLoption, _ value: String) {
        _ = value.withCString { CCurlShims_setopt_pointer(handle, option, $0) }
    }

    private func set(_ option: CURLoption, pointer: UnsafeRawPointer?) {
        _ = CCurlShims_setopt_pointer(handle, option, pointer)
    }

    private func configure(_ request: HTTPRequest, limits: TransferLimits) throws(HTTPTransportError) {
        let easy = handle
        set(CURLOPT_URL, request.url)
        // Only http and https, also for anything curl might follow; soraimg follows redirects
        // itself (HTTPClient), so credentials never reach another host.
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        set(CURLOPT_FOLLOWLOCATION, 0)
        // TLS verification stays on (these are libcurl's defaults, set so no one unsets them).
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(limits.connectTimeout * 1000)))
        // A transfer that moves no byte for `stallTimeout` (a minute by default) has stalled:
        // this is what ends a server that takes a request and never answers. TransferState
        // times it exactly; libcurl's own low-speed check, kept as a backstop, averages the
        // speed over several seconds and so fires up to about six seconds later.
        set(CURLOPT_LOW_SPEED_LIMIT, 1)
        set(CURLOPT_LOW_SPEED_TIME, max(1, Int(limits.stallTimeout.rounded(.up))))
        if let timeout = request.timeout { set(CURLOPT_TIMEOUT_MS, Int(timeout * 1000)) }
        set(CURLOPT_USERAGENT, "soraimg/\(SoraImgVersion.current)")
        set(CURLOPT_ERRORBUFFER, pointer: state.errorBuffer.baseAddress)

        let context = Unmanaged.passUnretained(state).toOpaque()
        _ = CCurlShims_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            TransferState.from(context).receive(body: data, size * count)
        })
        set(CURLOPT_WRITEDATA, pointer: context)
        _ = CCurlShims_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            TransferState.from(context).receive(headerLine: data, size * count)
        })
        set(CURLOPT_HEADERDATA, pointer: context)
        set(CURLOPT_NOPROGRESS, 0)
        _ = CCurlShims_setopt_xferinfo_callback(easy, { context, downloadTotal, downloaded, uploadTotal, uploaded in
            TransferState.from(context).progressed(
                TransferProgress(uploaded: Int(uploaded), uploadTotal: Int(uploadTotal), downloaded: Int(downloaded), downloadTotal: Int(downloadTotal)))
        })
        set(CURLOPT_XFERINFODATA, pointer: context)

        var headers = request.headers
        switch request.body {
        case .none:
            if request.method == .post || request.method == .put {
                _ = CCurlShims_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0)
                set(CURLOPT_COPYPOSTFIELDS, "")
                // An empty body has no type (libcurl would name a form).
                headers.append(HTTPHeader("Content-Type", ""))
            }
        case .bytes(let bytes):
            _ = CCurlShims_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            bytes.withUnsafeBytes { _ = CCurlShims_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            state.uploadSize = bytes.count
        case .json(let bytes):
            headers.append(HTTPHeader("Content-Type", "application/json"))
            _ = CCurlShims_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            bytes.withUnsafeBytes { _ = CCurlShims_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            state.uploadSize = bytes.count
        case .multipart(let parts):
            try attach(parts)
        }
        if request.method == .delete { set(CURLOPT_CUSTOMREQUEST, "DELETE") }
        // The body above is sent as a POST's; the method's name is PUT.
        if request.method == .put { set(CURLOPT_CUSTOMREQUEST, "PUT") }
        if request.method == .post {
            // libcurl silently resends a request whose reused connection turns out dead; for a
            // create that is a second billed job. A POST gets a connection of its own, so an
            // unanswered one surfaces as an error and is reconciled (VideosClient.create).
            set(CURLOPT_FRESH_CONNECT, 1)
            set(CURLOPT_FORBID_REUSE, 1)
        }
        // No "Expect: 100-continue" round trip before the body.
        headers.append(HTTPHeader("Expect", ""))
        for header in headers {
            let line = header.value.isEmpty ? "\(header.name):" : "\(header.name): \(header.value)"
            guard let list = curl_slist_append(headerList, line) else { throw HTTPTransportError(.other, "out of memory") }
            headerList = list
        }
        set(CURLOPT_HTTPHEADER, pointer: headerList.map { UnsafeRawPointer($0) })
    }

    /// Builds the MIME body. File parts are read through callbacks from memory: libcurl knows
    /// each size (so it sends a Content-Length) and can seek back to resend.
    private func attach(_ parts: [MultipartPart]) throws(HTTPTransportError) {
        guard let mime = curl_mime_init(handle) else { throw HTTPTransportError(.other, "out of memory") }
        self.mime = mime
        for part in parts {
            guard let mimePart = curl_mime_addpart(mime) else { throw HTTPTransportError(.other, "out of memory") }
            curl_mime_name(mimePart, part.name)
            if let filename = part.filename {
                let source = UploadSource(part.data)
                state.uploadSources.append(source)
                curl_mime_data_cb(
                    mimePart, curl_off_t(part.data.count),
                    { buffer, size, count, source in UploadSource.from(source).read(into: buffer, size * count) },
                    { source, offset, origin in UploadSource.from(source).seek(to: Int(offset), origin: origin) },
                    nil, Unmanaged.passUnretained(source).toOpaque())
                curl_mime_filename(mimePart, filename)
            } else {
                part.data.withUnsafeBytes { bytes in
                    _ = curl_mime_data(mimePart, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), part.data.count)
                }
            }
            if let type = part.contentType { curl_mime_type(mimePart, type) }
            state.uploadSize += part.data.count
        }
        set(CURLOPT_MIMEPOST, pointer: UnsafeRawPointer(mime))
    }

    // MARK: Perform

    /// Runs the exchange to its end.
    func perform() throws(HTTPTransportError) -> (status: Int, headers: [String: String], body: [UInt8]) {
        let code = curl_easy_perform(handle)
        var uploaded: curl_off_t = 0
        _ = CCurlShims_getinfo_off_t(handle, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        let bodySent = state.uploadSize > 0 && Int(uploaded) >= state.uploadSize
        guard code == CURLE_OK else { throw transportError(code, bodySent: bodySent) }
        var status = 0
        _ = CCurlShims_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, state.headers, state.body)
    }

    private func transportError(_ code: CURLcode, bodySent: Bool) -> HTTPTransportError {
        if let failure = state.failure { return HTTPTransportError(failure.kind, failure.message, bodySent: bodySent) }
        let detail = String(cString: state.errorBuffer.baseAddress!)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: HTTPTransportError.Kind = switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM: .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE: .tls
        case CURLE_ABORTED_BY_CALLBACK: .cancelled
        case CURLE_UNSUPPORTED_PROTOCOL: .badRedirect
        default: .other
        }
        return HTTPTransportError(kind, message, bodySent: bodySent)
    }
}

/// How far a transfer is, in bytes.
public struct TransferProgress: Sendable {
    public let uploaded: Int
    public let uploadTotal: Int
    public let downloaded: Int
    public let downloadTotal: Int
}

/// The state libcurl's C callbacks reach through their context pointer.
private final class TransferState {
    let sink: ResponseSink
    let progress: (@Sendable (TransferProgress) -> Bool)?
    let stallTimeout: Double
    /// Bytes moved either way when the count last changed, and when that was.
    private var moved = 0
    private var lastMoved = ContinuousClock.now
    var body: [UInt8] = []
    var received = 0
    var headers: [String: String] = [:]
    var uploadSize = 0
    var uploadSources: [UploadSource] = []
    /// Set by a callback that stopped the transfer, to say why.
    var failure: (kind: HTTPTransportError.Kind, message: String)?
    let errorBuffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(sink: ResponseSink, stallTimeout: Double, progress: (@Sendable (TransferProgress) -> Bool)?) {
        self.sink = sink
        self.stallTimeout = stallTimeout
        self.progress = progress
        errorBuffer.initialize(repeating: 0)
    }

    deinit { errorBuffer.deallocate() }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> TransferState {
        Unmanaged<TransferState>.fromOpaque(pointer!).takeUnretainedValue()
    }

    /// Returning anything but `count` makes libcurl stop with a write error.
    func receive(body data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data else { return 0 }
        received += count
        let bytes = UnsafeRawBufferPointer(start: data, count: count)
        switch sink {
        case .memory(let limit):
            guard received <= limit else { return stop(.tooLarge, "the answer is larger than the \(limit) bytes soraimg accepts for it") }
            body.append(contentsOf: bytes)
        case .file(let descriptor, let limit):
            guard received <= limit else { return stop(.tooLarge, "the download is larger than \(limit) bytes") }
            var written = 0
            while written < count {
                let result = write(descriptor, bytes.baseAddress! + written, count - written)
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return stop(.other, "cannot write the download: \(String(cString: strerror(errno)))") }
                written += result
            }
        }
        return count
    }

    func receive(headerLine data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data else { return 0 }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after an interim 1xx): forget the previous headers
        } else if case let (name, value)? = HTTPResponse.field(inHeaderLine: line) {
            headers[name] = value
            // Refuse a body declared larger than the limit before a byte of it arrives.
            if name == "content-length", let declared = Int(value), declared > sink.limit {
                return stop(.tooLarge, "the answer declares \(declared) bytes, more than the \(sink.limit) soraimg accepts for it")
            }
        }
        return count
    }

    /// Returning non-zero makes libcurl stop with CURLE_ABORTED_BY_CALLBACK. libcurl calls this
    /// at least once a second, also while nothing moves, which is what times a stall.
    func progressed(_ value: TransferProgress) -> Int32 {
        let now = ContinuousClock.now
        if value.uploaded + value.downloaded != moved {
            moved = value.uploaded + value.downloaded
            lastMoved = now
        } else if now - lastMoved > .milliseconds(Int(stallTimeout * 1000)) {
            failure = (.timeout, "no byte moved for \(Self.seconds(stallTimeout)): the server stopped answering")
            return 1
        }
        guard let progress else { return 0 }
        if progress(value) { return 0 }
        failure = (.cancelled, "stopped")
        return 1
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private func stop(_ kind: HTTPTransportError.Kind, _ message: String) -> Int {
        failure = (kind, message)
        return 0
    }
}

/// An upload part's bytes, read by libcurl through callbacks and rewound for a resend.
private final class UploadSource {
    let data: [UInt8]
    var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> UploadSource {
        Unmanaged<UploadSource>.fromOpaque(pointer!).takeUnretainedValue()
    }

    func read(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let count = min(capacity, data.count - offset)
        data.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    func seek(to position: Int, origin: Int32) -> Int32 {
        // libcurl only ever rewinds a MIME part to its start (SEEK_SET).
        guard origin == SEEK_SET, position >= 0, position <= data.count else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
        offset = position
        return Int32(CURL_SEEKFUNC_OK)
    }
}

extension ResponseSink {
    /// The most bytes this sink takes.
    var limit: Int {
        switch self {
        case .memory(let limit), .file(_, let limit): limit
        }
    }
}

/// Idle libcurl handles, kept for the next request: a handle keeps its open connections, DNS
/// answers and TLS sessions across `curl_easy_reset`, so polling a job every few seconds reuses
/// one kept-alive connection instead of a new TCP and TLS handshake each time. A handle is used
/// by one transfer at a time; a batch's running jobs take one each.
final class CurlHandles: @unchecked Sendable {
    static let shared = CurlHandles()
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    /// More idle handles than this are closed: a batch runs at most a few jobs at once.
    private let keep = 8

    func take() -> UnsafeMutableRawPointer? {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        return reused ?? curl_easy_init()
    }

    func put(_ handle: UnsafeMutableRawPointer) {
        lock.lock()
        let kept = idle.count < keep
        if kept { idle.append(handle) }
        lock.unlock()
        if !kept { curl_easy_cleanup(handle) }
    }
}
