// swift-tools-version: 6.1
import PackageDescription

/// Benchmarks live in their own package so that the root build and its CI never fetch or
/// compile the benchmark harness. Run from this directory:
///
///     swift package --allow-writing-to-package-directory benchmark --grouping metric
///
/// Known issue (Linux, Swift 6.3, benchmark 1.38.1): with only the `MallocInterposer` trait, the
/// plugin preloads the malloc interposer into BenchmarkTool, which then crashes (ordo-one/benchmark
/// issue 349, fixed by the `RuntimeInterposer` trait) and the run prints empty tables. Running
/// BenchmarkTool from `.build` without `LD_PRELOAD`, or the benchmark executable itself with the
/// interposer preloaded, gives the figures.
let package = Package(
    name: "EduLedgerBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "EduLedger", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EduLedgerCore", package: "EduLedger"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
