import ArgumentParser
import Foundation
import SoraImg

/// Runs a job command's body, turning a `VideosError` into its report and exit code.
func runJobCommand(input: String? = nil, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as VideosError {
        Terminal.report(error, input: input)
        throw ExitCode(error.exitStatus.rawValue)
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a job's status.")

    @Argument(help: "The video id (video_...).") var id: String
    @Flag(help: "Print the service's video object as JSON.") var json = false
    @OptionGroup var api: APIOptions

    func run() throws {
        let client = try api.client()
        try runJobCommand {
            let (video, _) = try client.retrieve(id)
            if json { return printJSON(video) }
            var line = "\(video.id): \(video.status)"
            if let progress = video.progress, !video.isFinished { line += " \(Int(progress))%" }
            if let model = video.model, let size = video.size, let seconds = video.seconds { line += ", \(model) \(size) \(seconds)s" }
            if let expires = video.expiresAt { line += ", content until \(Date(timeIntervalSince1970: Double(expires)))" }
            if let error = video.error { line += "\n  error \(error.code ?? ""): \(error.message ?? "")" }
            print(line)
        }
    }
}

struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Wait for a job and download its video: resumes an interrupted animate.",
        discussion: "Downloads to -o, else to where the journal says the animate meant it to go, else ./VIDEO_ID.mp4.")

    @Argument(help: "The video id (video_...).") var id: String
    @Option(help: ArgumentHelp("Stop waiting after this long (90s, 30m, 2h).", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file.", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("What to download, comma-separated: video, thumbnail, spritesheet.", valueName: "list"))
    var variant = "video"
    @Flag(help: "Only wait; download nothing.") var noDownload = false
    @Flag(help: "Replace existing output files.") var force = false
    @OptionGroup var api: APIOptions

    func run() throws {
        let variants = try parseVariants(variant)
        let journal = Journal.standard()
        var runner = AnimateRunner(client: try api.client(), journal: journal)
        runner.deadline = deadline.seconds
        Terminal.handleInterrupts()
        let reporter = JobReporter()
        let destination = output ?? journal.job(id)?.output
        try runJobCommand {
            if noDownload {
                let video = try runner.client.wait(for: id, until: Date().addingTimeInterval(deadline.seconds)) { reporter.handle(.status($0), label: id) }
                print("\(video.id): \(video.status)")
                if !video.isCompleted { throw VideosError.failure(of: video) }
            } else {
                _ = try runner.finish(id, output: destination, variants: variants, replacing: force) { reporter.handle($0, label: id) }
            }
        }
    }
}

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "download", abstract: "Download a finished job's video, thumbnail or spritesheet.")

    @Argument(help: "The video id (video_...).") var id: String
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file (variants go beside it).", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("What to download, comma-separated: video, thumbnail, spritesheet.", valueName: "list"))
    var variant = "video"
    @Flag(help: "Replace existing output files.") var force = false
    @OptionGroup var api: APIOptions

    func run() throws {
        let variants = try parseVariants(variant)
        let client = try api.client()
        let video = output ?? Journal.standard().job(id)?.output ?? "./\(id).mp4"
        Terminal.handleInterrupts()
        try runJobCommand {
            for variant in variants {
                let path = AnimateJob.path(of: variant, video: video)
                try client.download(id, variant: variant, to: path, replacing: force)
                Terminal.printError("\(id): \(variant.rawValue) → \(path)")
            }
        }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List jobs: the service's recent ones merged with the local journal.",
        discussion: "Jobs the service no longer lists (deleted, expired, or at another base URL) still show from the journal.")

    @Option(help: "How many recent jobs to ask the service for.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var api: APIOptions

    func run() throws {
        let client = try api.client()
        let journal = Journal.standard().jobs()
        var remote: [Video] = []
        var failure: VideosError?
        do {
            remote = try client.list(limit: limit)
        } catch {
            failure = error
            Terminal.warn("the service's list could not be read, showing the journal only: \(error.message)")
        }
        let rows = JobRow.merge(remote: remote, journal: journal, baseURL: client.configuration.baseURL)
        if json {
            printJSON(["jobs": rows])
            if let failure { throw ExitCode(failure.exitStatus.rawValue) }
            return
        }
        if rows.isEmpty { print("no jobs") }
        for row in rows {
            let prompt = row.prompt.map { $0.count > 40 ? String($0.prefix(39)) + "…" : $0 } ?? ""
            print([row.id, row.status, row.size ?? "", row.output ?? "", prompt].joined(separator: "  "))
        }
        // The journal was shown, but the service could not be asked: say so in the exit code.
        if let failure { throw ExitCode(failure.exitStatus.rawValue) }
    }
}

/// One line of `soraimg list`.
struct JobRow: Encodable {
    let id: String
    let status: String
    let model: String?
    let size: String?
    let prompt: String?
    let output: String?
    /// Where the row's facts come from: `service`, `journal` or both.
    let source: String

    static func merge(remote: [Video], journal: [JournalEntry], baseURL: String) -> [JobRow] {
        let local = Dictionary(journal.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        var rows = remote.map { video in
            JobRow(
                id: video.id, status: video.status, model: video.model, size: video.size, prompt: video.prompt,
                output: local[video.id]?.output, source: local[video.id] == nil ? "service" : "service+journal")
        }
        let listed = Set(remote.map(\.id))
        rows += journal.reversed().filter { !listed.contains($0.id) && $0.baseURL == baseURL }.map { entry in
            JobRow(id: entry.id, status: entry.status, model: entry.model, size: entry.size, prompt: entry.prompt, output: entry.output, source: "journal")
        }
        return rows
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a job and its content from the service.")

    @Argument(help: "The video id (video_...).") var id: String
    @OptionGroup var api: APIOptions

    func run() throws {
        let client = try api.client()
        try runJobCommand {
            try client.delete(id)
            try? Journal.standard().append(JournalEntry(
                id: id, baseURL: client.configuration.baseURL, model: nil, size: nil, seconds: nil, prompt: nil, input: nil, output: nil, status: "deleted"))
            print("\(id): deleted")
        }
    }
}

struct RemixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remix", abstract: "Make a new video from a finished one with a new prompt.")

    @Argument(help: "The finished video's id.") var id: String
    @Option(help: "What to change.") var prompt: String
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file (default ./NEW_ID.mp4).", valueName: "FILE")) var output: String?
    @Flag(help: "Create the remix, print its id and return.") var noWait = false
    @Option(help: ArgumentHelp("Stop waiting after this long.", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!
    @Flag(help: "Replace existing output files.") var force = false
    @OptionGroup var api: APIOptions

    func run() throws {
        let journal = Journal.standard()
        var runner = AnimateRunner(client: try api.client(), journal: journal)
        runner.deadline = deadline.seconds
        Terminal.handleInterrupts()
        let reporter = JobReporter()
        try runJobCommand {
            let video = try runner.client.remix(id, prompt: prompt, known: Set(journal.jobs().map(\.id)))
            try journal.append(JournalEntry(
                id: video.id, baseURL: runner.client.configuration.baseURL, model: video.model, size: video.size,
                seconds: video.seconds, prompt: prompt, input: id, output: output ?? "./\(video.id).mp4", status: video.status))
            reporter.handle(.created(video), label: "remix of \(id)")
            if noWait { return print(video.id) }
            _ = try runner.finish(video.id, output: output, variants: [.video], replacing: force) { reporter.handle($0, label: video.id) }
        }
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
