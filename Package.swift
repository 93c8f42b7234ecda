// swift-tools-version: 6.1
import PackageDescription

/// Winnow: crawl dumps in, pretraining data out.
///
/// Dependency direction (see docs/architecture.md):
/// C libraries <- WinnowText <- WinnowCore <- WinnowIO <- capability modules <- WinnowPipeline <- winnow (CLI)
let package = Package(
    name: "Winnow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "winnow", targets: ["winnow"]),
        .library(name: "WinnowPipeline", targets: ["WinnowPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries, found with pkg-config.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CICU", pkgConfig: "icu-uc icu-i18n", providers: [.apt(["libicu-dev"])]),

        // Text utilities: UTF-8 validation and repair, charsets, Unicode normalization. The only module that sees ICU.
        .target(name: "WinnowText", dependencies: ["CICU", "CUTF8"]),
        // SIMD UTF-8 validation (C, SSSE3 with a scalar fallback).
        .target(name: "CUTF8"),
        // Documents, JSON values, the stage protocol, parameters and stats.
        .target(name: "WinnowCore", dependencies: ["WinnowText"], linkerSettings: [.linkedLibrary("m")]),
        // Compressed streams, JSON, readers (JSONL, WARC, WET) and writers.
        .target(name: "WinnowIO", dependencies: ["WinnowCore", "WinnowText", "CZstd", "CZlib"]),
        // Per-document filters (the classifier filter runs fastText models through WinnowLangID); the built-in
        // English n-gram model is a resource.
        .target(name: "WinnowFilters", dependencies: ["WinnowCore", "WinnowText", "WinnowLangID", "CXXHash"],
                resources: [.copy("Resources/en.wlm")]),
        // Language identification: a fastText-compatible engine and the language stages.
        .target(name: "WinnowLangID", dependencies: ["WinnowCore", "WinnowText"], resources: [.copy("Resources/winnow-lid.ftz")]),
        // Byte-level BPE tokenizer: pre-tokenization, training (HF-exact), exports.
        .target(name: "WinnowTokenizer", dependencies: ["WinnowCore", "WinnowIO", "WinnowText"]),
        // PII detection and replacement.
        .target(name: "WinnowPII", dependencies: ["WinnowCore", "WinnowText"]),
        // Per-document rewriting stages.
        .target(name: "WinnowFormatters", dependencies: ["WinnowCore", "WinnowText"]),
        // Document dedup: MinHash (datatrove-exact signatures), exact and URL dedup, as whole-dataset steps.
        .target(name: "WinnowDedup", dependencies: ["WinnowCore", "WinnowIO", "WinnowText", "WinnowFilters", "CXXHash"]),
        // YAML pipelines, the stage and whole-dataset step registries, the executor with resume, stats and progress.
        .target(name: "WinnowPipeline", dependencies: [
            "WinnowCore", "WinnowIO", "WinnowFilters", "WinnowFormatters", "WinnowPII", "WinnowLangID", "WinnowTokenizer", "WinnowDedup",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The command line: parses arguments and calls the library.
        .executableTarget(name: "winnow", dependencies: [
            "WinnowPipeline", "WinnowTokenizer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Runs child processes (winnow, Python references) for the test targets; not part of the product.
        .target(name: "WinnowTestSupport", path: "Tests/WinnowTestSupport"),
        // Read benchmark (release build): see Benchmarks/README.md.
        .executableTarget(name: "winnow-read-bench", dependencies: ["WinnowIO"], path: "Benchmarks/ReadBenchmark"),

        .testTarget(name: "WinnowTextTests", dependencies: ["WinnowText", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowCoreTests", dependencies: ["WinnowCore"]),
        .testTarget(name: "WinnowIOTests", dependencies: ["WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowFiltersTests", dependencies: ["WinnowFilters", "WinnowLangID", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowFormattersTests", dependencies: ["WinnowFormatters"]),
        .testTarget(name: "WinnowLangIDTests", dependencies: ["WinnowLangID", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowTokenizerTests", dependencies: ["WinnowTokenizer", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowPIITests", dependencies: ["WinnowPII", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowDedupTests", dependencies: ["WinnowDedup", "WinnowPipeline", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowPipelineTests", dependencies: ["WinnowPipeline", "winnow", "WinnowTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
