// swift-tools-version: 6.1
import PackageDescription

// Prep's cost, measured with ordo-one/benchmark: `swift package benchmark` in this folder
// (README.md beside this file). A package of its own, so the main package and its tests never
// build the benchmark machinery.
let package = Package(
    name: "soraimg-benchmarks",
    dependencies: [
        // The malloc interposer gives the allocation counts (mallocCountTotal). Naming the trait
        // also leaves out the default RuntimeInterposer trait, whose package is not available here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Named explicitly: the checkout folder is `main`, which would otherwise be its identity.
        .package(name: "soraimg", path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "PrepBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SoraImg", package: "soraimg"),
            ],
            path: "Benchmarks/PrepBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
