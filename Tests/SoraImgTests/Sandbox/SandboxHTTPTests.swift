import Foundation
import SoraImgSandbox
import Testing

/// The HTTP layer on the wire: framing, keep-alive, chunked bodies, and input no client sends.
@Suite("Sandbox: HTTP/1.1")
struct SandboxHTTPTests {
    private let auth = "Authorization: Bearer k\r\n"

    @Test(
        "malformed requests get 400 (or 431/501) and the server keeps serving",
        arguments: [
            "GARBAGE\r\n\r\n",
            "GET /v1/videos HTTP/9.9\r\n\r\n",
            "GET /v1/videos HTTP/1.1\r\nNo colon here\r\n\r\n",
            "GET v1/videos HTTP/1.1\r\n\r\n",
            "POST /v1/videos HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
            "POST /v1/videos HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            "POST /v1/videos HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "POST /v1/videos HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /v1/videos HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
            "GET /v1/videos HTTP/1.1\r\nX: <70,000 bytes>\r\n\r\n",
            "\u{0}\u{1}\u{2}\r\n\r\n",
        ])
    func malformed(request: String) throws {
        let sandbox = try Sandbox()
        let wire = request.replacingOccurrences(of: "<70,000 bytes>", with: String(repeating: "a", count: 70_000))
        let reply = try RawHTTP.exchange(wire, port: sandbox.port)
        let status = try #require(RawHTTP.statuses(reply).first, "no response to \(request.prefix(60).debugDescription)")
        #expect([400, 431, 501].contains(status), "\(reply)")
        #expect(reply.contains("\"error\""))
        #expect(reply.contains("x-request-id: req_"))
        let after = try RawHTTP.exchange("GET /v1/videos HTTP/1.1\r\n\(auth)Connection: close\r\n\r\n", port: sandbox.port)
        #expect(RawHTTP.statuses(after) == [200])
    }

    @Test("a body over the 64 MiB cap is refused with 413 before it is read")
    func tooLarge() throws {
        let sandbox = try Sandbox()
        let reply = try RawHTTP.exchange(
            "POST /v1/videos HTTP/1.1\r\n\(auth)Content-Type: application/json\r\nContent-Length: 67108865\r\n\r\n", port: sandbox.port)
        #expect(RawHTTP.statuses(reply) == [413])
    }

    @Test("a chunked create body is accepted")
    func chunked() throws {
        let sandbox = try Sandbox()
        let json = #"{"prompt": "waves", "size": "1280x720"}"#
        let first = json.prefix(10), rest = json.dropFirst(10)
        let body = String(first.utf8.count, radix: 16) + ";ext=1\r\n\(first)\r\n" + String(rest.utf8.count, radix: 16) + "\r\n\(rest)\r\n0\r\nX-Trailer: y\r\n\r\n"
        let reply = try RawHTTP.exchange(
            "POST /v1/videos HTTP/1.1\r\n\(auth)Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\(body)",
            port: sandbox.port)
        #expect(RawHTTP.statuses(reply) == [200], "\(reply)")
        #expect(reply.contains(#""status":"queued""#))
    }

    @Test("keep-alive: pipelined requests on one connection are each answered, in order")
    func keepAlive() throws {
        let sandbox = try Sandbox()
        let requests =
            "GET /v1/videos HTTP/1.1\r\n\(auth)\r\n" + "GET /v1/nothing HTTP/1.1\r\n\(auth)\r\n" + "\r\n"
            + "GET /v1/videos HTTP/1.1\r\n\(auth)Connection: close\r\n\r\n"
        let reply = try RawHTTP.exchange(requests, port: sandbox.port)
        #expect(RawHTTP.statuses(reply) == [200, 404, 200], "\(reply)")
        #expect(reply.components(separatedBy: "Connection: keep-alive").count == 3)
        #expect(reply.hasSuffix("}") && reply.contains("Connection: close"))
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() throws {
        let sandbox = try Sandbox()
        let json = #"{"prompt": "waves"}"#
        let reply = try RawHTTP.exchange(
            "POST /v1/videos HTTP/1.1\r\n\(auth)Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)",
            port: sandbox.port)
        #expect(RawHTTP.statuses(reply) == [100, 200], "\(reply)")
    }

    @Test("unknown paths are 404, wrong methods 405 with Allow, broken JSON and multipart 400")
    func routing() async throws {
        let sandbox = try Sandbox()
        let unknown = try await sandbox.send("GET", "/images")
        #expect(unknown.status == 404 && unknown.errorMessage == "Invalid URL (GET /v1/images)")
        let wrong = try await sandbox.send("PUT", "/videos")
        #expect(wrong.status == 405 && wrong.headers["allow"] == "GET, POST")
        let json = try await sandbox.send("POST", "/videos", body: Data("{not json".utf8), contentType: "application/json")
        #expect(json.status == 400)
        // Nesting far past the decoder's depth limit is refused, not a stack overflow.
        let deep = Data((String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)).utf8)
        #expect(try await sandbox.send("POST", "/videos", body: deep, contentType: "application/json").status == 400)
        let multipart = try await sandbox.send("POST", "/videos", body: Data("--x\r\nnope".utf8), contentType: "multipart/form-data; boundary=x")
        #expect(multipart.status == 400)
        let noBoundary = try await sandbox.send("POST", "/videos", body: Data("x".utf8), contentType: "multipart/form-data")
        #expect(noBoundary.status == 400)
        let text = try await sandbox.send("POST", "/videos", body: Data("x".utf8), contentType: "text/plain")
        #expect(text.status == 415)
    }

    @Test("stop() closes the port: new connections are refused")
    func stop() throws {
        let sandbox = try Sandbox()
        sandbox.server.stop()
        #expect(throws: (any Error).self) { try RawHTTP.exchange("GET /v1/videos HTTP/1.1\r\n\r\n", port: sandbox.port) }
        sandbox.server.stop()  // twice is harmless
    }
}
