// swift-tools-version: 6.1
import PackageDescription

// libFuzzer harnesses for soraimg: `scripts/fuzz` in the repository root builds and runs them
// (README.md beside this file). A package of its own, so the main package and its tests never
// build with the fuzzer's instrumentation.
let package = Package(
    name: "soraimg-fuzz",
    dependencies: [
        // Named explicitly: the checkout folder is `main`, which would otherwise be its identity.
        // No traits: face detection is off in the harnesses, so dlib is neither built nor linked.
        .package(name: "soraimg", path: "..", traits: []),
    ],
    targets: [
        // How a harness reports a broken invariant.
        .target(name: "FuzzSupport"),
        // Bytes in, a prepared reference image or a PrepError out; and the inspector on the same bytes.
        .executableTarget(
            name: "FuzzPrep",
            dependencies: ["FuzzSupport", .product(name: "SoraImg", package: "soraimg")]
        ),
        // soraimg's PNG decoder against libvips' loader on the same bytes.
        .executableTarget(
            name: "FuzzPNG",
            dependencies: ["FuzzSupport", .product(name: "SoraImg", package: "soraimg")]
        ),
        // The response side of the client (bodies, error bodies, headers, the journal) and the
        // sandbox's request reader and multipart parser, one chosen by the input's first byte.
        .executableTarget(
            name: "FuzzClient",
            dependencies: [
                "FuzzSupport",
                .product(name: "SoraImg", package: "soraimg"),
                .product(name: "SoraImgSandbox", package: "soraimg"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
