import ArgumentParser
import SoraImg

/// Mistakes caught before ArgumentParser sees the command line, because its answer to them
/// ("Unknown option", "Unexpected argument") would not tell a newcomer what to do.
enum CommandLineCheck {
    /// Why the command line is refused as it stands, or nil to parse it normally.
    static func refusal(_ arguments: [String], subcommands: [ParsableCommand.Type]) -> String? {
        // Everything after `--` is an operand, never an option.
        let options = arguments.prefix { $0 != "--" }
        if options.contains(where: { $0 == "--api-key" || $0.hasPrefix("--api-key=") }) {
            // The value is never repeated: it may be a real key.
            return "an API key is never taken on the command line, because `ps` shows every process' arguments to every user of the machine; set OPENAI_API_KEY, or give --api-key-file PATH (a file only you can read)"
        }
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help" else { return nil }
        let names = subcommands.compactMap { $0.configuration.commandName }
        guard !names.contains(first) else { return nil }
        var text = "unknown command '\(first.printable(limit: 80))'"
        if let guess = EditDistance.suggestion(for: first, among: names) {
            text += "; did you mean \(guess)?"
        } else {
            text += "; the commands are \(names.joined(separator: ", ")) (soraimg --help)"
        }
        return text
    }

    /// The subcommand the arguments name, for the usage line of a parse error.
    static func subcommand(in arguments: [String], among subcommands: [ParsableCommand.Type]) -> ParsableCommand.Type? {
        guard let first = arguments.first else { return nil }
        return subcommands.first { $0.configuration.commandName == first }
    }
}
