import SoraImgSandbox
import Testing

@Suite("Sandbox: configuration and fault parsing")
struct SandboxConfigurationTests {
    @Test(
        "faults parse, counts default to 1, and print back as written",
        arguments: [
            ("rate-limit-create:2", SandboxFault.rateLimitCreate(2)),
            ("rate-limit-create", .rateLimitCreate(1)),
            ("error-status:3", .errorStatus(3)),
            ("error-content", .errorContent(1)),
            ("drop-create:1", .dropCreate(1)),
            ("slow:500", .slow(milliseconds: 500)),
            ("fail-job:moderation_blocked", .failJob(code: "moderation_blocked")),
            ("expire", .expire),
        ])
    func parses(text: String, fault: SandboxFault) throws {
        #expect(try SandboxFault(parsing: text) == fault)
        #expect(try SandboxFault(parsing: fault.description) == fault)
    }

    @Test(
        "bad faults are refused with a message naming the value",
        arguments: ["explode", "rate-limit-create:x", "error-status:-1", "slow", "slow:fast", "fail-job", "fail-job:", "expire:2", ""])
    func refuses(text: String) {
        #expect {
            try SandboxFault(parsing: text)
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            return error.kind == .invalidFault && error.message.contains("'\(text)'")
        }
    }

    @Test("only loopback hosts are accepted", arguments: ["0.0.0.0", "192.168.1.10", "example.com", "::", "10.0.0.1"])
    func nonLoopback(host: String) {
        #expect {
            try SandboxServer(SandboxConfiguration(host: host))
        } throws: { error in
            (error as? SandboxError)?.kind == .invalidConfiguration && "\(error)".contains(host)
        }
    }

    @Test("loopback hosts bind and give their base URL", arguments: ["127.0.0.1", "localhost", "::1"])
    func loopback(host: String) throws {
        let server = try SandboxServer(SandboxConfiguration(host: host))
        try server.start()
        defer { server.stop() }
        let expectedHost = host == "::1" ? "[::1]" : "127.0.0.1"
        #expect(server.baseURL.hasPrefix("http://\(expectedHost):") && server.baseURL.hasSuffix("/v1"))
        #expect(!server.baseURL.contains(":0/"))
    }

    @Test("a port in use, a negative job time and a second start are errors, not crashes")
    func startErrors() throws {
        let first = try SandboxServer(SandboxConfiguration())
        try first.start()
        defer { first.stop() }
        let port = Int(first.baseURL.split(separator: ":").last!.split(separator: "/").first!)!
        let clash = try SandboxServer(SandboxConfiguration(port: port))
        #expect(throws: SandboxError.self) { try clash.start() }
        #expect(throws: SandboxError.self) { try first.start() }
        #expect(throws: SandboxError.self) { try SandboxServer(SandboxConfiguration(jobSeconds: -1)) }
        #expect(throws: SandboxError.self) { try SandboxServer(SandboxConfiguration(port: 70_000)) }
    }
}
