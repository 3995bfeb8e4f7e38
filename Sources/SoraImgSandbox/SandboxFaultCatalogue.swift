import SoraImg

/// One `--fault`, declared once: its name, what its value looks like, what it does, which
/// dialects it applies to, and how its text parses. Parsing, `--help` and the check that a
/// fault fits the dialect all read this one table; the behaviour lives in `FaultPlan` and the
/// code that consults it, shared by every dialect.
public struct SandboxFaultDeclaration: Sendable {
    /// How `--help` groups the faults.
    public enum Group: Sendable, CaseIterable {
        /// Failures the service itself answers with.
        case service
        /// What a network or a proxy in front of the service does.
        case network
        /// Well-formed answers that say things a client must not trust.
        case hostileServer
    }

    public let name: String
    /// The name with its value as `--help` shows it: `rate-limit-create:N`, `expire`.
    public let usage: String
    /// What it does, for `--help`.
    public let help: String
    public let group: Group
    /// The dialects where it means something; elsewhere the sandbox refuses to start with it.
    public let dialects: [SandboxDialect]
    let parse: @Sendable (_ argument: Substring?, _ text: String) throws(SandboxError) -> SandboxFault

    /// `usage (help)`, with the dialects named when it does not apply to all of them.
    var helpLine: String {
        let only = dialects.count == SandboxDialect.allCases.count ? "" : "; \(dialects.map(\.rawValue).joined(separator: " and ")) only"
        return "\(usage) (\(help)\(only))"
    }
}

extension SandboxFault {
    private static let all = SandboxDialect.allCases
    private typealias Declaration = SandboxFaultDeclaration

    /// A fault that takes a count of requests (1 when absent).
    private static func counted(
        _ name: String, _ group: Declaration.Group, only dialects: [SandboxDialect] = all, _ help: String,
        _ make: @escaping @Sendable (Int) -> SandboxFault
    ) -> Declaration {
        Declaration(name: name, usage: "\(name):N", help: help, group: group, dialects: dialects) { argument, text throws(SandboxError) in
            make(try count(argument, in: text))
        }
    }

    /// A fault that takes no value.
    private static func flag(
        _ name: String, _ group: Declaration.Group, only dialects: [SandboxDialect] = all, _ help: String, _ fault: SandboxFault
    ) -> Declaration {
        Declaration(name: name, usage: name, help: help, group: group, dialects: dialects) { argument, text throws(SandboxError) in
            guard argument == nil else { throw invalid(text, "\(name) takes no value") }
            return fault
        }
    }

    /// Every fault, in the order `--help` lists them.
    public static let catalogue: [SandboxFaultDeclaration] = [
        counted("rate-limit-create", .service, "the first N creates answer 429 with Retry-After: 1; nothing created") { .rateLimitCreate($0) },
        counted("error-status", .service, "N status requests answer 500") { .errorStatus($0) },
        counted("error-content", .service, "N content requests answer 503") { .errorContent($0) },
        counted("drop-create", .service, "the first N valid creates make the job, then close the connection unanswered") { .dropCreate($0) },
        Declaration(name: "slow", usage: "slow:MS", help: "every answer comes this many milliseconds late", group: .service, dialects: all) {
            argument, text throws(SandboxError) in
            guard let argument, let milliseconds = Int(argument), (0...maximumDelay).contains(milliseconds) else {
                throw invalid(text, "slow needs a delay in milliseconds from 0 to \(maximumDelay), as in slow:500")
            }
            return .slow(milliseconds: milliseconds)
        },
        Declaration(
            name: "fail-job", usage: "fail-job:CODE", help: "jobs end failed with this error code, such as moderation_blocked; gemini takes a number or a status name such as RESOURCE_EXHAUSTED",
            group: .service, dialects: all
        ) { argument, text throws(SandboxError) in
            guard let argument, !argument.isEmpty, argument.allSatisfy(isCodeCharacter) else {
                throw invalid(text, "fail-job needs an error code of letters, digits, '_', '-' or '.', as in fail-job:moderation_blocked")
            }
            return .failJob(code: String(argument))
        },
        flag(
            "expire", .service, only: [.openai, .openrouter, .xai, .replicate],
            "finished content answers as expired; openrouter and xai jobs end expired; replicate predictions end aborted", .expire),
        Declaration(
            name: "reject-faces", usage: "reject-faces", help: "reference images that show a human face answer 400", group: .service, dialects: all
        ) { argument, text throws(SandboxError) in
            guard argument == nil else { throw invalid(text, "reject-faces takes no value") }
            guard FaceDetection.isAvailable else {
                throw invalid(text, "this soraimg was built without face detection (the Faces package trait, which needs libdlib-dev)")
            }
            return .rejectFaces
        },
        flag(
            "rai-filter", .service, only: [.gemini, .xai],
            "jobs end done with no video, as the content filter reports: gemini with raiMediaFilteredCount and raiMediaFilteredReasons, xai with respect_moderation false and an empty url",
            .raiFilter),
        counted("reset-create", .network, "the connection is reset halfway through a create's body; nothing created") { .resetCreate($0) },
        counted("cut-content", .network, "content sends its full Content-Length and half the body, then closes") { .cutContent($0) },
        counted("garbage-status", .network, "status answers 200 with a body that is not JSON") { .garbageStatus($0) },
        counted("truncated-status", .network, "status answers 200 with its JSON cut off halfway") { .truncatedStatus($0) },
        counted("truncated-create", .network, "the job is made, its answer's JSON cut off halfway") { .truncatedCreate($0) },
        counted("html-error", .network, "502 with an HTML page, as a proxy sends") { .htmlError($0) },
        Declaration(
            name: "redirect", usage: "redirect:ORIGIN", help: "every API request answers 307 to the same path at ORIGIN, such as http://localhost:8080",
            group: .network, dialects: all
        ) { argument, text throws(SandboxError) in
            guard let argument, let origin = origin(argument) else {
                throw invalid(text, "redirect needs an http origin without a path, as in redirect:http://localhost:8080")
            }
            return .redirect(origin: origin)
        },
        flag("huge-response", .network, "status and list answers declare 1 TiB and stream until the client hangs up", .hugeResponse),
        flag("endless-response", .network, "status and list answers declare no length and stream until the client hangs up", .endlessResponse),
        counted("no-answer", .network, "the request takes effect but is never answered; the connection stays open") { .noAnswer($0) },
        Declaration(
            name: "running-limit", usage: "running-limit:N", help: "a create while N jobs are queued or in progress answers 429; nothing created",
            group: .network, dialects: all
        ) { argument, text throws(SandboxError) in
            guard let argument, let limit = Int(argument), limit >= 1 else {
                throw invalid(text, "running-limit needs how many jobs may run at once (1 or more), as in running-limit:1")
            }
            return .runningLimit(limit)
        },
        Declaration(
            name: "chosen-id", usage: "chosen-id:ID", help: "the next job gets exactly this id, such as ../../x/y", group: .hostileServer, dialects: all
        ) { argument, text throws(SandboxError) in
            guard let argument, !argument.isEmpty else { throw invalid(text, "chosen-id needs the id to give the next job, as in chosen-id:../../x/y") }
            return .chosenID(String(argument))
        },
        Declaration(
            name: "progress", usage: "progress:VALUE", help: "job objects carry this raw JSON value as progress, such as 1e300",
            group: .hostileServer, dialects: [.openai]
        ) { argument, text throws(SandboxError) in
            guard let argument, progressValue(String(argument)) != nil else {
                throw invalid(text, "progress needs a JSON number or string, written as the answer should carry it, as in progress:1e300")
            }
            return .progress(json: String(argument))
        },
        Declaration(
            name: "echo-model", usage: "echo-model:NAME", help: "job objects report this model instead of the one requested",
            group: .hostileServer, dialects: [.openai, .replicate]
        ) { argument, text throws(SandboxError) in
            guard let argument, !argument.isEmpty else { throw invalid(text, "echo-model needs a model name, as in echo-model:sora-2-2025-10-06") }
            return .echoModel(String(argument))
        },
        Declaration(
            name: "echo-prompt", usage: "echo-prompt:TEXT", help: "job objects report this prompt instead of the one requested",
            group: .hostileServer, dialects: [.openai, .replicate]
        ) { argument, text throws(SandboxError) in
            guard let argument else { throw invalid(text, "echo-prompt needs the prompt to report, as in echo-prompt:waves roll in") }
            return .echoPrompt(String(argument))
        },
        flag("foreign-job", .hostileServer, only: [.openai, .replicate], "the list also holds another client's job like the latest create, made an hour earlier", .foreignJob),
        Declaration(
            name: "trickle-content", usage: "trickle-content:BYTES_PER_SECOND", help: "content arrives slowly, with its Content-Length",
            group: .hostileServer, dialects: all
        ) { argument, text throws(SandboxError) in
            guard let argument, let rate = Int(argument), (1...maximumRate).contains(rate) else {
                throw invalid(text, "trickle-content needs bytes a second from 1 to \(maximumRate), as in trickle-content:4000")
            }
            return .trickleContent(bytesPerSecond: rate)
        },
        counted("unterminated-content", .hostileServer, "content without a Content-Length, half of it, then the connection closes") {
            .unterminatedContent($0)
        },
        flag("completed-with-error", .hostileServer, "jobs end completed and carry an error as well", .completedWithError),
        flag("control-chars", .hostileServer, "ids, statuses and error messages carry terminal escapes and BEL", .controlChars),
    ]

    /// This fault's declaration.
    public var declaration: SandboxFaultDeclaration {
        let name = description.split(separator: ":", maxSplits: 1).first.map(String.init) ?? description
        // Every case prints back as a name in the catalogue (the parsing tests hold it to that).
        return Self.catalogue.first { $0.name == name }!
    }

    /// The `--help` text of one group: `usage (help)`, one per fault, joined.
    public static func help(for group: SandboxFaultDeclaration.Group) -> String {
        catalogue.filter { $0.group == group }.map(\.helpLine).joined(separator: ", ")
    }

    /// Refuses a fault that means nothing in `dialect`, naming both.
    public func check(for dialect: SandboxDialect) throws(SandboxError) {
        guard declaration.dialects.contains(dialect) else {
            throw SandboxError(
                .invalidFault,
                "the fault '\(self)' does not apply to the \(dialect) dialect (it applies to \(declaration.dialects.map(\.rawValue).joined(separator: ", ")))")
        }
    }
}
