import SoraImgSandbox
import Testing

@Suite("Sandbox: dialects and the one fault table")
struct SandboxDialectConfigurationTests {
    @Test("each dialect's base URL ends with its API root", arguments: SandboxDialect.allCases)
    func baseURL(dialect: SandboxDialect) throws {
        let server = try SandboxServer(SandboxConfiguration(dialect: dialect))
        try server.start()
        defer { server.stop() }
        let roots: [SandboxDialect: String] = [.openai: "/v1", .openrouter: "/api/v1", .gemini: "/v1beta", .xai: "/v1", .fal: "", .replicate: "/v1"]
        #expect(server.baseURL == server.origin + roots[dialect]!)
        #expect(server.origin.hasPrefix("http://127.0.0.1:") && !server.origin.hasSuffix(":0"))
    }

    @Test("an unknown provider is refused, naming the ones there are")
    func unknown() {
        #expect {
            try SandboxDialect(parsing: "runway")
        } throws: { error in
            "\(error)".contains("'runway'") && "\(error)".contains("openai, openrouter, gemini")
        }
    }

    @Test(
        "a fault that means nothing in a dialect is refused at start, naming the dialect",
        arguments: [
            (SandboxFault.foreignJob, SandboxDialect.gemini), (.progress(json: "5"), .openrouter), (.echoModel("x"), .gemini),
            (.raiFilter, .openai), (.raiFilter, .openrouter), (.expire, .gemini), (.expire, .fal), (.raiFilter, .fal), (.foreignJob, .fal),
        ])
    func refusedForDialect(fault: SandboxFault, dialect: SandboxDialect) {
        #expect {
            try SandboxServer(SandboxConfiguration(faults: [fault], dialect: dialect))
        } throws: { error in
            (error as? SandboxError)?.kind == .invalidFault && "\(error)".contains("the \(dialect) dialect") && "\(error)".contains("'\(fault)'")
        }
    }

    @Test("every declared fault parses from its usage and applies to at least the dialects it names")
    func catalogue() throws {
        #expect(Set(SandboxFault.names).count == SandboxFault.catalogue.count)
        #expect(try SandboxFault(parsing: "rai-filter") == .raiFilter)
        for declaration in SandboxFault.catalogue {
            #expect(!declaration.dialects.isEmpty && !declaration.help.isEmpty)
            for group in SandboxFaultDeclaration.Group.allCases where group == declaration.group {
                #expect(SandboxFault.help(for: group).contains(declaration.usage))
            }
        }
        for dialect in SandboxDialect.allCases {
            let faults = try ["rate-limit-create:1", "error-status", "drop-create", "fail-job:x", "redirect:http://localhost:9", "chosen-id:a"].map {
                try SandboxFault(parsing: $0)
            }
            #expect(throws: Never.self) { try SandboxServer(SandboxConfiguration(faults: faults, dialect: dialect)) }
        }
    }
}
