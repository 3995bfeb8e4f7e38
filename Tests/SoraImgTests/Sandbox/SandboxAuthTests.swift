import Foundation
import SoraImgSandbox
import Testing

@Suite("Sandbox: authentication")
struct SandboxAuthTests {
    @Test("no key: 401 invalid_api_key in the service's error shape, with a request id")
    func missingKey() async throws {
        let sandbox = try Sandbox()
        let reply = try await sandbox.send("GET", "/videos", key: nil)
        #expect(reply.status == 401)
        #expect(reply.errorCode == "invalid_api_key")
        #expect(reply.error["type"] as? String == "invalid_request_error")
        #expect(reply.error.keys.contains("param"))
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.headers["x-request-id"]?.hasPrefix("req_") == true)
    }

    @Test("with --key, another key is refused and never echoed back")
    func wrongKey() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(key: "sk-right", jobSeconds: 0))
        let reply = try await sandbox.send("GET", "/videos", key: "sk-wrong-secret-value")
        #expect(reply.status == 401)
        #expect(reply.errorCode == "invalid_api_key")
        #expect(reply.errorMessage?.hasPrefix("Incorrect API key provided.") == true)
        #expect(!reply.text.contains("sk-wrong-secret-value"))
        #expect(!reply.text.contains("sk-right"))
    }

    @Test("with --key, that key is accepted as Bearer and as api-key")
    func rightKey() async throws {
        let sandbox = try Sandbox(SandboxConfiguration(key: "sk-right", jobSeconds: 0))
        let bearer = try await sandbox.send("GET", "/videos", key: "sk-right")
        #expect(bearer.status == 200)
        let apiKey = try await sandbox.send("GET", "/videos", key: nil, headers: ["api-key": "sk-right"])
        #expect(apiKey.status == 200)
        let wrongAPIKey = try await sandbox.send("GET", "/videos", key: nil, headers: ["api-key": "sk-other"])
        #expect(wrongAPIKey.status == 401)
    }

    @Test("without --key, any non-empty key is accepted; an empty Bearer is not")
    func anyKey() async throws {
        let sandbox = try Sandbox()
        #expect(try await sandbox.send("GET", "/videos", key: "anything").status == 200)
        #expect(try await sandbox.send("GET", "/videos", key: nil, headers: ["api-key": "x"]).status == 200)
        #expect(try await sandbox.send("GET", "/videos", key: nil, headers: ["Authorization": "Bearer "]).status == 401)
        #expect(try await sandbox.send("GET", "/videos", key: nil, headers: ["Authorization": "Basic eDp5"]).status == 401)
    }
}
