import Foundation
import SoraImg
import SoraImgSandbox
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A sandbox started in-process on a free port, and a client for it over real HTTP: URLSession
/// (libcurl underneath on Linux), as an ordinary client would talk to it.
final class Sandbox: Sendable {
    let server: SandboxServer
    let port: Int
    static let key = "sk-sandbox-test"

    init(_ configuration: SandboxConfiguration = SandboxConfiguration(jobSeconds: 0.5)) throws {
        server = try SandboxServer(configuration)
        try server.start()
        port = URL(string: server.baseURL)?.port ?? 0
    }

    deinit { server.stop() }

    /// Sends one request to `server.baseURL + path` (paths outside /v1 start with "/../").
    func send(
        _ method: String, _ path: String, key: String? = Sandbox.key, headers: [String: String] = [:], body: Data? = nil,
        contentType: String? = nil
    ) async throws -> Reply {
        let base = path.hasPrefix("/../") ? "http://127.0.0.1:\(port)" + path.dropFirst(3) : server.baseURL + path
        var request = URLRequest(url: URL(string: base)!)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw CocoaError(.featureUnsupported) }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// `POST /videos` with a multipart body.
    func create(_ form: MultipartForm, key: String? = Sandbox.key) async throws -> Reply {
        try await send("POST", "/videos", key: key, body: form.data, contentType: form.contentType)
    }

    /// `POST /videos` with a JSON body.
    func create(json: [String: Any]) async throws -> Reply {
        try await send("POST", "/videos", body: try JSONSerialization.data(withJSONObject: json), contentType: "application/json")
    }

    /// The `GET /sandbox/uploads` document.
    func uploads() async throws -> [String: Any] {
        try await send("GET", "/../sandbox/uploads").json()
    }

    /// Polls `GET /videos/{id}` until the job is no longer queued or in progress.
    func waitUntilFinished(_ id: String, timeout: Duration = .seconds(60)) async throws -> Reply {
        let deadline = ContinuousClock.now + timeout
        while true {
            let reply = try await send("GET", "/videos/\(id)")
            let status = try reply.json()["status"] as? String
            if status != "queued" && status != "in_progress" || ContinuousClock.now > deadline { return reply }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// A response as the tests read it.
struct Reply: Sendable {
    let status: Int
    /// Lowercased names.
    let headers: [String: String]
    let body: Data

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }

    /// The `error` object of an error body.
    var error: [String: Any] { ((try? json())?["error"] as? [String: Any]) ?? [:] }
    var errorMessage: String? { error["message"] as? String }
    var errorCode: String? { error["code"] as? String }
    var errorParam: String? { error["param"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A multipart/form-data body built by hand, so tests control every part header.
struct MultipartForm {
    let boundary = "soraimg-test-\(UUID().uuidString)"
    private var parts: [Data] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// The body: each part after a delimiter line, then the closing delimiter.
    var data: Data {
        parts.reduce(into: Data()) { $0 += Data("--\(boundary)\r\n".utf8) + $1 + Data("\r\n".utf8) }
            + Data("--\(boundary)--\r\n".utf8)
    }

    /// The usual create fields.
    static func create(prompt: String = "waves on a beach", model: String = "sora-2", seconds: String = "4", size: String) -> MultipartForm {
        var form = MultipartForm()
        form.field("prompt", prompt)
        form.field("model", model)
        form.field("seconds", seconds)
        form.field("size", size)
        return form
    }

    mutating func field(_ name: String, _ value: String) {
        part(disposition: "form-data; name=\"\(name)\"", contentType: nil, body: Data(value.utf8))
    }

    /// A file part; nil `filename` or `contentType` leaves that header parameter out.
    mutating func file(_ name: String, filename: String?, contentType: String?, bytes: [UInt8]) {
        let disposition = "form-data; name=\"\(name)\"" + (filename.map { "; filename=\"\($0)\"" } ?? "")
        part(disposition: disposition, contentType: contentType, body: Data(bytes))
    }

    private mutating func part(disposition: String, contentType: String?, body: Data) {
        var head = "Content-Disposition: \(disposition)\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        parts.append(Data((head + "\r\n").utf8) + body)
    }
}

/// Reference images made the way soraimg makes them.
enum ReferenceImages {
    /// `pattern-landscape.png` prepared for sora-2: a metadata-free 1280x720 JPEG.
    static let landscape: [UInt8] = {
        // A test fixture that cannot be prepared is a broken checkout: fail loudly.
        try! ImagePrep.prepare(.file(Paths.fixture("pattern-landscape.png")), options: PrepOptions()).bytes
    }()

    /// The landscape JPEG with every APPn and COM segment of `demo/holiday.jpg` spliced in
    /// after SOI: EXIF orientation 6 (so it shows as 720x1280), GPS, owner, XMP face regions.
    static let landscapeWithHolidayMetadata: [UInt8] = {
        let holiday = [UInt8](try! Data(contentsOf: URL(fileURLWithPath: Paths.fixture("demo/holiday.jpg"))))
        var segments: [UInt8] = []
        var offset = 2
        while offset + 4 <= holiday.count, holiday[offset] == 0xFF {
            let marker = holiday[offset + 1]
            let length = Int(holiday[offset + 2]) << 8 | Int(holiday[offset + 3])
            if marker == 0xDA { break }  // start of scan: no more metadata segments
            if (0xE0...0xEF).contains(marker) || marker == 0xFE {
                segments += holiday[offset..<(offset + 2 + length)]
            }
            offset += 2 + length
        }
        return Array(landscape[..<2]) + segments + Array(landscape[2...])
    }()
}
