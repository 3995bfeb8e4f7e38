import ArgumentParser
import SoraImg

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Ask the service to stop a job.",
        discussion: "Where the provider offers it (replicate); elsewhere it says so and exits 64. A job already finished stays as it is.")

    @Argument(help: "The job id: the prediction id for replicate.") var id: String
    @Flag(help: "Print the job as JSON.") var json = false
    @OptionGroup var service: ProviderOption
    @OptionGroup var api: APIOptions

    func run() throws {
        let engine = try api.engine(provider: try service.resolved())
        try runJobCommand(following: false) {
            let job = try engine.cancel(id)
            if json { return printJSON(JobDocument(job)) }
            print("\(job.displayID): \(job.status?.rawValue ?? job.providerStatus)")
        }
    }
}
