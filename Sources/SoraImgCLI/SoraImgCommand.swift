import ArgumentParser
import Foundation
import SoraImg

@main
struct SoraImgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soraimg",
        abstract: "Turn photos into valid reference images for OpenAI-compatible video generation, and drive the jobs.",
        discussion: """
            The Videos API (/v1/videos) takes a reference image only at exactly the requested size, as JPEG, PNG or WebP. soraimg makes that image from any photo: upright, exact size, 8-bit sRGB, and without the metadata that identifies people and places.

            Models, their sizes, durations and reference prices: `soraimg models`.

            Output: result lines (what was written where, a job's id) go to standard output; progress, notes, warnings and errors to standard error. With --json standard output holds only the JSON document; --quiet leaves only warnings and errors on standard error.

            Exit codes: 0 ok, 1 the service failed the job (moderation...), 64 usage, 65 bad input data, 66 input or video missing, 69 service unavailable or endpoint gone, 70 internal error, 73 cannot create output, 75 temporary (rate limit, deadline: resumable), 77 API key refused, 130 interrupted. A batch exits with the code of its first failed input.

            Providers (--provider, or SORAIMG_PROVIDER): openai (the default: the OpenAI Videos protocol, as Azure OpenAI and gateways serve it; OPENAI_API_KEY), openrouter (OPENROUTER_API_KEY), gemini (GOOGLE_API_KEY or GEMINI_API_KEY), xai (XAI_API_KEY), fal (FAL_KEY) and replicate (REPLICATE_API_TOKEN). `soraimg models` lists each one's models.

            Configuration: SORAIMG_BASE_URL (or --base-url; for openai also OPENAI_BASE_URL), the provider's key variable (or --api-key-file; never a key on the command line), OPENAI_ORG_ID and OPENAI_PROJECT_ID (openai only), SORAIMG_AUTH (or --auth: bearer, api-key or x-goog-api-key), SORAIMG_HTTP_TIMEOUT (how long to wait for a connection, and for a transfer that stopped moving, such as 20s; default 15s to connect and 60s for a stall). OpenAI scheduled its own Sora API to shut down on 2026-09-24; point --base-url at a provider that serves /v1/videos, or run `soraimg sandbox` to try everything locally.

            Units, the same for every option: byte sizes a plain number or KB, MB, GB (1000s) or KiB, MiB, GiB (1024s), such as 256MiB; pixel counts a plain number or M (millions), such as 100M; durations s, m, h or plain seconds, such as 60s; colours white, black, grey (gray), red, green, blue, #rrggbb, or blur.
            """,
        version: SoraImgVersion.current,
        subcommands: [
            PrepCommand.self, InspectCommand.self, AnimateCommand.self, StatusCommand.self, WaitCommand.self,
            DownloadCommand.self, ListCommand.self, DeleteCommand.self, CancelCommand.self, RemixCommand.self, ExtendCommand.self, EditCommand.self, ModelsCommand.self, SandboxCommand.self,
            BenchCommand.self,
        ]
    )

    /// Parses and runs like ArgumentParser's own `main`, but every error is one `soraimg: `
    /// line (with the command's usage on a second line for a usage mistake), and some
    /// mistakes a newcomer makes get an answer rather than a bare "unknown".
    static func main() {
        // Before any thread exists: it sets an environment variable.
        ImageProcessing.skipOptionalModules()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let refusal = CommandLineCheck.refusal(arguments, subcommands: configuration.subcommands) {
            Terminal.printError("soraimg: " + refusal)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            fail(error, command: CommandLineCheck.subcommand(in: arguments, among: configuration.subcommands))
        }
        do {
            try command.run()
        } catch {
            fail(error, command: type(of: command))
        }
    }

    /// Reports `error` and exits: help and `--version` as ArgumentParser prints them, an
    /// `ExitCode` silently (the command already said why), anything else on one line.
    private static func fail(_ error: Error, command: ParsableCommand.Type?) -> Never {
        let code = exitCode(for: error)
        if error is ExitCode || code == .success { exit(withError: error) }
        var text = "soraimg: " + message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if code.rawValue == ExitStatus.usage.rawValue, let usage = usageLine(for: command ?? self) { text += "\n" + usage }
        Terminal.printError(text)
        Foundation.exit(code.rawValue)
    }

    /// `usage: soraimg prep <images> ... [options] (more: soraimg prep --help)`: the
    /// command's usage on one line, its options folded into `[options]`.
    static func usageLine(for command: ParsableCommand.Type) -> String? {
        let full = usageString(for: command).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !full.isEmpty else { return nil }
        var words: [String] = []
        var depth = 0
        var folded = false
        for word in full.split(separator: " ") {
            // An option in brackets, such as `[--model <model>]`, is folded away.
            if depth > 0 || word.hasPrefix("[-") {
                depth += word.filter { $0 == "[" }.count - word.filter { $0 == "]" }.count
                folded = true
                continue
            }
            words.append(String(word))
        }
        if folded { words.append("[options]") }
        let name = command == self ? "soraimg" : "soraimg \(command.configuration.commandName ?? "")"
        return "usage: \(words.joined(separator: " ")) (more: \(name) --help)"
    }
}
