import ArgumentParser
import SoraImg

/// The limits on what an input may cost, which `prep` enforces and `inspect` checks the same
/// way, so inspect never passes a file prep would refuse. Defaults are the library's.
struct InputLimitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("Refuse images with more pixels than this, from the header alone (100M: a hundred million).", valueName: "pixels"),
        transform: { try UnitArgument.pixels($0, option: "--max-pixels") })
    var maxPixels = PrepOptions().maxPixels

    @Option(
        help: ArgumentHelp("Refuse input files larger than this (256MiB; KB, MB, GB are 1000s, KiB, MiB, GiB 1024s).", valueName: "bytes"),
        transform: { try UnitArgument.bytes($0, option: "--max-bytes") })
    var maxBytes = PrepOptions().maxBytes

    @Option(
        help: ArgumentHelp("Stop an image that takes longer than this to decode and resize (libvips' kill switch): 60s, 2m.", valueName: "duration"),
        transform: { try UnitArgument.seconds($0, option: "--time-limit") })
    var timeLimit = PrepOptions().timeLimit

    func apply(to options: inout PrepOptions) {
        options.maxPixels = maxPixels
        options.maxBytes = maxBytes
        options.timeLimit = timeLimit
    }
}
