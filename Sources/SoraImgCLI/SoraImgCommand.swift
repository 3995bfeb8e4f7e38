import ArgumentParser

@main
struct SoraImgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soraimg",
        abstract: "Turn photos into valid reference images for OpenAI-compatible video generation.",
        discussion: """
            The Videos API (/v1/videos) takes a reference image only at exactly the requested size, as JPEG, PNG or WebP. soraimg makes that image from any photo: upright, exact size, 8-bit sRGB, and without the metadata that identifies people and places.

            Exit codes: 0 ok, 64 usage, 65 bad input data, 66 input missing, 70 internal error, 73 cannot create output. A batch exits with the code of its first failed input.
            """,
        subcommands: [PrepCommand.self, InspectCommand.self]
    )
}
