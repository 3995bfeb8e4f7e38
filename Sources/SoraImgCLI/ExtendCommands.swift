import ArgumentParser
import Foundation
import SoraImg

struct ExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Continue a finished video with a prompt: a new, longer video.",
        discussion: """
            Offered where the provider extends videos (openai: POST /videos/extensions, up to 20 seconds at a time and 120 in all; openrouter: previous_job_id, for models that support continuation); \
            elsewhere it stops with exit 64 before anything is sent. Journalled and retried like animate: running the same extension \
            again resumes it instead of paying again, and `soraimg wait NEW_ID` picks it up after an interruption.
            """)

    @Argument(help: "The finished video's id.") var id: String
    @Option(help: "What happens next.") var prompt: String
    @Option(help: ArgumentHelp("Seconds to add (openai: 1 to 20, default 4; openrouter: the model's durations, default the model's).", valueName: "N")) var seconds: Int?
    @Flag(help: "Create the extension, print its id and return.") var noWait = false
    @OptionGroup var followUp: FollowUpOptions

    func run() throws {
        try followUp.run(label: "extension of \(id.printable(limit: 100))", noWait: noWait) { engine, events in
            try engine.extend(id, prompt: prompt, seconds: seconds, events: events)
        }
    }
}

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Make a new video by editing a finished one with a prompt.",
        discussion: """
            Offered where the provider edits videos (openai: POST /videos/edits); elsewhere it stops with exit 64 before anything is \
            sent. Journalled and retried like animate: running the same edit again resumes it instead of paying again.
            """)

    @Argument(help: "The finished video's id.") var id: String
    @Option(help: "What to change.") var prompt: String
    @Flag(help: "Create the edit, print its id and return.") var noWait = false
    @OptionGroup var followUp: FollowUpOptions

    func run() throws {
        try followUp.run(label: "edit of \(id.printable(limit: 100))", noWait: noWait) { engine, events in
            try engine.edit(id, prompt: prompt, events: events)
        }
    }
}

/// What extend and edit share: where the new video goes, how long to wait for it, and the
/// service; and the run itself, which makes the new job from a finished one, then waits for
/// it and downloads its video unless told not to.
struct FollowUpOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Video file (default ./NEW_ID.mp4).", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("Stop after this long, the download included.", valueName: "duration"))
    var deadline = DurationArgument(argument: "30m")!
    @Flag(help: "Replace existing output files.") var force = false
    @Flag(help: "Send again a request whose outcome is unknown at a provider without a job list (openrouter), once you have checked it made no job.")
    var resendUnconfirmed = false
    @Flag(name: [.short, .long], help: "Only warnings and errors on standard error (result lines still go to standard output).") var quiet = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run(
        label: String, noWait: Bool,
        _ make: (JobEngine, @escaping @Sendable (JobEvent) -> Void) throws -> JobSnapshot
    ) throws {
        var engine = try api.engine(provider: try service.resolved(), deadline: deadline.seconds)
        engine.resendUnconfirmed = resendUnconfirmed
        Terminal.handleInterrupts()
        let reporter = JobReporter(quiet: quiet)
        defer { reporter.finish() }
        try runJobCommand {
            let job = try make(engine) { reporter.handle($0, label: label) }
            if noWait {
                reporter.finish()
                return print(job.displayID)
            }
            _ = try engine.finish(job.id, output: output, variants: [.video], replacing: force) { reporter.handle($0, label: job.displayID) }
        }
    }
}
