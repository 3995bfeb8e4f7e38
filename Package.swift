// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "soraimg",
    products: [
        .executable(name: "soraimg", targets: ["SoraImgCLI"]),
        .library(name: "SoraImg", targets: ["SoraImg"]),
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
        // libcurl as installed by Debian's libcurl4-openssl-dev (7.88).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // One-line C forwards for curl_easy_setopt and curl_easy_getinfo (variadic).
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        // Every behaviour of soraimg, usable from other Swift code.
        .target(name: "SoraImg", dependencies: ["CVips", "CVipsShims", "CCurl", "CCurlShims"]),
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
        .testTarget(name: "SoraImgTests", dependencies: ["SoraImg", "SoraImgSandbox", "SoraImgCLI", "CVips", "CVipsShims"]),
    ],
    swiftLanguageModes: [.v6]
)
