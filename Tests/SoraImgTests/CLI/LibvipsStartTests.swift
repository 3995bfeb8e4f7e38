import Foundation
import Testing

/// What soraimg's libvips loads when it starts, seen from outside through the dynamic linker.
@Suite("libvips at start")
struct LibvipsStartTests {
    static let modules = "/usr/lib/x86_64-linux-gnu/vips-modules-8.14"

    @Test(
        "prep loads none of libvips' optional modules (ImageMagick, PDF, OpenSlide, HEIF, JPEG XL); a VIPSHOME the user set is honoured",
        .hangGuard)
    func noOptionalModules() throws {
        let output = Paths.temporaryFolder().file("out.jpg")
        var environment = ProcessInfo.processInfo.environment
        // The dynamic linker names every library it opens, dlopen included, on standard error.
        environment["LD_DEBUG"] = "files"
        environment.removeValue(forKey: "VIPSHOME")
        let arguments = ["prep", Paths.fixture("orientation/landscape-1.jpg"), "-o", output, "--force", "--faces", "ignore"]
        let result = try soraimg(arguments, environment: environment, timeLimit: 120)
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stderr.contains("libvips.so"), "LD_DEBUG printed nothing: \(result.stderr.suffix(500))")
        #expect(!result.stderr.contains("vips-modules"))
        #expect(!result.stderr.contains("libMagickCore"))

        // Where Debian installed the modules, a user who points VIPSHOME at /usr gets them.
        guard FileManager.default.fileExists(atPath: Self.modules) else { return }
        environment["VIPSHOME"] = "/usr"
        let withHome = try soraimg(arguments, environment: environment, timeLimit: 120)
        #expect(withHome.status == 0, "\(withHome.stderr.suffix(2000))")
        #expect(withHome.stderr.contains("vips-modules"))
    }
}
