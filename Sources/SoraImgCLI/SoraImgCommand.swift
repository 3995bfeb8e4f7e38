import ArgumentParser
import SoraImg

@main
struct SoraImgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soraimg",
        abstract: "Turn photos into valid reference images for OpenAI-compatible video generation, and drive the jobs.",
        discussion: """
            The Videos API (/v1/videos) takes a reference image only at exactly the requested size, as JPEG, PNG or WebP. soraimg makes that image from any photo: upright, exact size, 8-bit sRGB, and without the metadata that identifies people and places.

            Exit codes: 0 ok, 1 the service failed the job (moderation...), 64 usage, 65 bad input data, 66 input or video missing, 69 service unavailable or endpoint gone, 70 internal error, 73 cannot create output, 75 temporary (rate limit, deadline: resumable), 77 API key refused, 130 interrupted. A batch exits with the code of its first failed input.

            Configuration: OPENAI_BASE_URL (or --base-url), OPENAI_API_KEY (or --api-key-file; never a key on the command line), OPENAI_ORG_ID, OPENAI_PROJECT_ID, SORAIMG_AUTH (or --auth: bearer or api-key), SORAIMG_HTTP_TIMEOUT (how long to wait for a connection, and for a transfer that stopped moving, such as 20s; default 15s to connect and 60s for a stall). OpenAI scheduled its own Sora API to shut down on 2026-09-24; point --base-url at a provider that serves /v1/videos, or run `soraimg sandbox` to try everything locally.
            """,
        version: SoraImgVersion.current,
        subcommands: [
            PrepCommand.self, InspectCommand.self, AnimateCommand.self, StatusCommand.self, WaitCommand.self,
            DownloadCommand.self, ListCommand.self, DeleteCommand.self, RemixCommand.self, SandboxCommand.self, BenchCommand.self,
        ]
    )
}
