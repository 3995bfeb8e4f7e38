import ArgumentParser
import Foundation
import SoraImg

/// Runs a job command's body, turning a `VideosError` into its report and exit code.
/// - Parameter following: the command waits for or downloads a job (see `Terminal.report`).
func runJobCommand(input: String? = nil, following: Bool = true, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as VideosError {
        Terminal.report(error, input: input, following: following)
        throw ExitCode(Terminal.exitCode(for: error))
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a job's status.")

    @Argument(help: "The job id: video_... for openai, the operation name (models/MODEL/operations/...) for gemini, the request_id for xai and fal.") var id: String
    @Flag(help: "Print the job as JSON.") var json = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let engine = try api.engine(provider: try service.resolved())
        try runJobCommand(following: false) {
            let (job, _) = try engine.status(of: id)
            if json { return printJSON(JobDocument(job)) }
            var line = "\(job.displayID): \(job.providerStatus)"
            if let progress = job.progress, !job.isFinished { line += " \(Int(progress))%" }
            if let model = job.model, let size = job.size, let seconds = job.seconds {
                line += ", \(model.printable(limit: 80)) \(size.printable(limit: 20)) \(seconds.printable(limit: 10))s"
            }
            if let expires = job.expiresAt { line += ", content until \(expires)" }
            if let cost = job.cost { line += String(format: ", cost $%.4f", cost) }
            if let failure = job.failure {
                line += "\n  error \(failure.code?.printable(limit: 100) ?? ""): \(failure.message?.printable(limit: 500) ?? "")"
            }
            print(line)
        }
    }
}

struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Wait for a job and download its video: resumes an interrupted animate.",
        discussion: "Downloads to -o, else to where the journal says the animate meant it to go, else ./ID.mp4. Files already downloaded are left alone.")

    @Argument(help: "The job id: video_... for openai, the operation name (models/MODEL/operations/...) for gemini, the request_id for xai and fal.") var id: String
    @Option(help: ArgumentHelp("Stop after this long, downloads included (90s, 30m, 2h).", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file.", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("What to download, comma-separated: video, thumbnail, spritesheet (the last two from openai only).", valueName: "list"))
    var variant = "video"
    @Flag(help: "Only wait; download nothing.") var noDownload = false
    @Flag(help: "Replace existing output files.") var force = false
    @Flag(name: [.short, .long], help: "Only warnings and errors on standard error (result lines still go to standard output).") var quiet = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let variants = try parseVariants(variant)
        let engine = try api.engine(provider: try service.resolved(), deadline: deadline.seconds)
        Terminal.handleInterrupts()
        let reporter = JobReporter(quiet: quiet)
        defer { reporter.finish() }
        try runJobCommand {
            if noDownload {
                let job = try engine.wait(for: id) { reporter.handle($0, label: id) }
                reporter.finish()
                print("\(job.displayID): \(job.providerStatus)")
                if !job.hasVideo { throw engine.dialect.failure(of: job) }
            } else {
                _ = try engine.finish(id, output: output, variants: variants, replacing: force) { reporter.handle($0, label: id) }
            }
        }
    }
}

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download", abstract: "Download a finished job's video, thumbnail or spritesheet.",
        discussion: "Only the files not already in place are fetched. A job still running is not waited for: `soraimg wait ID` does that.")

    @Argument(help: "The job id: video_... for openai, the operation name (models/MODEL/operations/...) for gemini, the request_id for xai and fal.") var id: String
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file (variants go beside it).", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("What to download, comma-separated: video, thumbnail, spritesheet (the last two from openai only).", valueName: "list"))
    var variant = "video"
    @Option(help: ArgumentHelp("Stop after this long (90s, 30m, 2h).", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!
    @Flag(help: "Replace existing output files.") var force = false
    @Flag(name: [.short, .long], help: "Only warnings and errors on standard error (result lines still go to standard output).") var quiet = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let variants = try parseVariants(variant)
        let engine = try api.engine(provider: try service.resolved(), deadline: deadline.seconds)
        Terminal.handleInterrupts()
        let reporter = JobReporter(quiet: quiet)
        defer { reporter.finish() }
        try runJobCommand {
            _ = try engine.finish(id, output: output, variants: variants, replacing: force, waiting: false) { reporter.handle($0, label: id) }
        }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List this service's jobs: its most recent ones, then older ones from the local journal.",
        discussion: "Shows the --limit most recent jobs the service lists, then the jobs the journal holds for this same base URL that the service did not list (older, deleted or expired). Jobs made through another base URL are not shown: point --base-url there to see them. A downloaded video is shown as `downloaded PATH`, the path as the command that downloaded it wrote it.")

    @Option(help: "How many recent jobs to ask the service for.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let engine = try api.engine(provider: try service.resolved())
        let journal = engine.journal.index()
        var remote: [JobSnapshot] = []
        var failure: VideosError?
        do {
            remote = try engine.list(limit: max(1, min(limit, 100)))
        } catch {
            failure = error
            Terminal.warn("the service's list could not be read, showing the journal only: \(error.message)")
        }
        let rows = JobRow.merge(remote: remote, journal: journal, baseURL: engine.dialect.configuration.displayBaseURL)
        if json {
            printJSON(["jobs": rows])
            if let failure { throw ExitCode(Terminal.exitCode(for: failure)) }
            return
        }
        if rows.isEmpty { print("no jobs") }
        for row in rows {
            let prompt = row.prompt.map { $0.count > 40 ? String($0.prefix(39)) + "…" : $0 } ?? ""
            print([row.id, row.status, row.size ?? "", row.downloaded.map { "downloaded \($0)" } ?? "", prompt].joined(separator: "  "))
        }
        // The journal was shown, but the service could not be asked: say so in the exit code.
        if let failure { throw ExitCode(Terminal.exitCode(for: failure)) }
    }
}

/// One line of `soraimg list`; every text in it is printable.
struct JobRow: Encodable {
    let id: String
    let status: String
    let providerStatus: String
    let model: String?
    let size: String?
    let prompt: String?
    /// The video file, once downloaded.
    let downloaded: String?
    /// Where the row's facts come from: `service`, `journal` or both.
    let source: String

    enum CodingKeys: String, CodingKey {
        case id, status, model, size, prompt, downloaded, source
        case providerStatus = "provider_status"
    }

    static func merge(remote: [JobSnapshot], journal: JournalIndex, baseURL: String) -> [JobRow] {
        var rows = remote.map { job in
            let local = journal.job(job.id)
            return JobRow(
                id: job.displayID, status: job.status?.rawValue ?? job.providerStatus, providerStatus: job.providerStatus,
                model: job.model?.printable(limit: 80), size: job.size?.printable(limit: 20), prompt: job.prompt?.printable(limit: 200),
                downloaded: local?.downloads[.video]?.printable(limit: 300), source: local == nil ? "service" : "service+journal")
        }
        let listed = Set(remote.map(\.id))
        rows += journal.jobs.reversed().filter { !listed.contains($0.id) && $0.baseURL == baseURL }.map { job in
            JobRow(
                id: job.id.printable(limit: 200), status: job.gone ? "gone" : job.deleted ? "deleted" : job.status?.rawValue ?? "unknown",
                providerStatus: job.providerStatus ?? "", model: job.model, size: job.size, prompt: job.prompt?.printable(limit: 200),
                downloaded: job.downloads[.video], source: "journal")
        }
        return rows
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a job and its content from the service.")

    @Argument(help: "The job id: video_... for openai, the operation name (models/MODEL/operations/...) for gemini, the request_id for xai and fal.") var id: String
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let engine = try api.engine(provider: try service.resolved())
        try runJobCommand(following: false) {
            try engine.delete(id)
            print("\(id.printable(limit: 200)): deleted")
        }
    }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Ask the service to cancel a job (fal, replicate); a running job may still finish.",
        discussion: "Elsewhere it says the provider cannot, and exits 64. A job already finished stays as it is.")

    @Argument(help: "The job id, as animate printed it: fal's request_id, replicate's prediction id.") var id: String
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let engine = try api.engine(provider: try service.resolved())
        try runJobCommand(following: false) {
            let answer = try engine.cancel(id)
            print("\(id.printable(limit: 200)): \(answer)")
        }
    }
}

struct RemixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remix", abstract: "Make a new video from a finished one with a new prompt.",
        discussion: "Journalled and retried like animate: running the same remix again resumes it instead of paying again.")

    @Argument(help: "The finished video's id.") var id: String
    @Option(help: "What to change.") var prompt: String
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file (default ./NEW_ID.mp4).", valueName: "FILE")) var output: String?
    @Flag(help: "Create the remix, print its id and return.") var noWait = false
    @Option(help: ArgumentHelp("Stop after this long, the download included.", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!
    @Flag(help: "Replace existing output files.") var force = false
    @Flag(name: [.short, .long], help: "Only warnings and errors on standard error (result lines still go to standard output).") var quiet = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let engine = try api.engine(provider: try service.resolved(), deadline: deadline.seconds)
        Terminal.handleInterrupts()
        let reporter = JobReporter(quiet: quiet)
        defer { reporter.finish() }
        let label = "remix of \(id.printable(limit: 100))"
        try runJobCommand {
            let job = try engine.remix(id, prompt: prompt) { reporter.handle($0, label: label) }
            if noWait {
                reporter.finish()
                return print(job.displayID)
            }
            _ = try engine.finish(job.id, output: output, variants: [.video], replacing: force) { reporter.handle($0, label: job.displayID) }
        }
    }
}

/// A job as `status --json` prints it: the common status word and the service's own.
struct JobDocument: Encodable {
    let id: String
    let status: String?
    let providerStatus: String
    let progress: Double?
    let model: String?
    let size: String?
    let seconds: String?
    let prompt: String?
    let createdAt: Int?
    let expiresAt: Int?
    let error: [String: String]?
    /// US dollars, as the service reported them; absent when it did not.
    let costUSD: Double?

    init(_ job: JobSnapshot) {
        id = job.id
        status = job.status?.rawValue
        providerStatus = job.providerStatus
        progress = job.progress
        model = job.model
        size = job.size
        seconds = job.seconds
        prompt = job.prompt
        createdAt = job.createdAt.map { Int($0.timeIntervalSince1970) }
        expiresAt = job.expiresAt.map { Int($0.timeIntervalSince1970) }
        error = job.failure.map { ["code": $0.code ?? "", "message": $0.message ?? ""] }
        costUSD = job.cost
    }

    enum CodingKeys: String, CodingKey {
        case id, status, progress, model, size, seconds, prompt, error
        case costUSD = "cost_usd"
        case providerStatus = "provider_status"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}

func parseVariants(_ text: String) throws -> [ContentVariant] {
    try text.split(separator: ",").map {
        guard let value = ContentVariant(rawValue: $0.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--variant takes video, thumbnail and spritesheet, not '\($0)'")
        }
        return value
    }
}
