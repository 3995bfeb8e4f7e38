// swift-tools-version: 6.1
import PackageDescription

// The face detector's AVX2 copy is compiled for AVX2 and FMA on x86-64 (chosen at run time);
// elsewhere that target compiles to a stub.
#if arch(x86_64)
let faceDetectorVectorFlags = ["-mavx2", "-mfma"]
#else
let faceDetectorVectorFlags: [String] = []
#endif

let package = Package(
    name: "soraimg",
    products: [
        .executable(name: "soraimg", targets: ["SoraImgCLI"]),
        .library(name: "SoraImg", targets: ["SoraImg"]),
        // The local Videos server, for other packages' tests (and the fuzzing package in Fuzz/).
        .library(name: "SoraImgSandbox", targets: ["SoraImgSandbox"]),
    ],
    traits: [
        .trait(name: "Faces", description: "Warn before uploading a reference image that shows a human face (dlib's frontal face detector; needs Debian's libdlib-dev, libblas-dev and liblapack-dev)."),
        .default(enabledTraits: ["Faces"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // libvips as installed by Debian's libvips-dev (8.14).
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        // One-line C forwards for the variadic libvips calls Swift cannot make.
        .target(name: "CVipsShims", dependencies: ["CVips"]),
        // The inner loops of the Lanczos3 reducer (AVX2 chosen at run time, plain C elsewhere).
        .target(
            name: "CResample",
            // At -O0 the vector loops spill every register: keep debug builds (the tests) fast.
            cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]
        ),
        // libcurl as installed by Debian's libcurl4-openssl-dev (7.88).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // One-line C forwards for curl_easy_setopt and curl_easy_getinfo (variadic).
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        // The face detector compiled again for AVX2, which CFaceDetect calls where the CPU has it.
        .target(
            name: "CFaceDetectAVX2",
            cxxSettings: [
                .define("SORAIMG_FACES", .when(traits: ["Faces"])),
                .unsafeFlags(faceDetectorVectorFlags),
                // As for CFaceDetect: dlib's templates at -O0 would make every debug build crawl.
                .unsafeFlags(["-O2"], .when(configuration: .debug)),
            ]
        ),
        // dlib's frontal face detector (Debian's libdlib-dev 19.24, model compiled in) behind one
        // C function. Without the Faces trait it compiles to a stub that reports "not available".
        .target(
            name: "CFaceDetect",
            dependencies: ["CFaceDetectAVX2"],
            // The model's bytes, embedded by face_detect.cpp (written by scripts/make-face-model).
            exclude: ["model"],
            cxxSettings: [
                .define("SORAIMG_FACES", .when(traits: ["Faces"])),
                // dlib's detector is header templates: at -O0 it takes about 1.7 s an image
                // instead of 0.05 s, which every debug build and test run would pay.
                .unsafeFlags(["-O2"], .when(configuration: .debug)),
            ],
            linkerSettings: [
                .linkedLibrary("dlib", .when(traits: ["Faces"])),
                .linkedLibrary("blas", .when(traits: ["Faces"])),
                .linkedLibrary("lapack", .when(traits: ["Faces"])),
            ]
        ),
        // The commonest PNGs decoded with libdeflate (Debian's libdeflate-dev), the rest by libvips.
        .target(name: "CPNGDecode", linkerSettings: [.linkedLibrary("deflate")]),
        // Every behaviour of soraimg, usable from other Swift code.
        .target(name: "SoraImg", dependencies: ["CVips", "CVipsShims", "CResample", "CPNGDecode", "CCurl", "CCurlShims", "CFaceDetect"]),
        // A local server of the Videos protocol, for tests and for trying the flow without a key.
        .target(name: "SoraImgSandbox", dependencies: ["SoraImg"]),
        // The command line: parsing and printing only.
        .executableTarget(
            name: "SoraImgCLI",
            dependencies: [
                "SoraImg",
                "SoraImgSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Library tests, and CLI tests that run the built `soraimg` binary.
        .testTarget(name: "SoraImgTests", dependencies: ["SoraImg", "SoraImgSandbox", "SoraImgCLI", "CVips", "CVipsShims", "CResample", "CPNGDecode"]),
    ],
    swiftLanguageModes: [.v6]
)
