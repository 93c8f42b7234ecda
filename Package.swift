// swift-tools-version: 6.1
import PackageDescription

/// Winnow: crawl dumps in, pretraining data out.
///
/// Dependency direction (see docs/architecture.md):
/// C libraries <- WinnowText <- WinnowCore <- WinnowIO <- engines (WinnowWordRules, WinnowFastText, WinnowLM)
///   <- capability modules <- WinnowPipeline <- winnow (CLI)
let package = Package(
    name: "Winnow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "winnow", targets: ["winnow"]),
        .library(name: "WinnowPipeline", targets: ["WinnowPipeline"]),
        // Slow reference implementations the tests and the fuzz targets (Fuzz/) compare the scanners with; not for users.
        .library(name: "WinnowReferences", targets: ["WinnowReferences"]),
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
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),

        // Text utilities: UTF-8 validation and repair, charsets, Unicode normalization. The only module that sees ICU.
        .target(name: "WinnowText", dependencies: ["CICU", "CUTF8"]),
        // SIMD UTF-8 validation (C, AVX2 and SSSE3 chosen at run time, a scalar fallback).
        .target(name: "CUTF8"),
        .target(name: "CPrefetch"),
        // Snappy block decompression for Parquet pages (C, written from the format description; libsnappy compresses).
        .target(name: "CSnappyDecoder"),
        // The MinHash permutation kernel (C: AVX-512, AVX2 and scalar paths, chosen at run time).
        .target(name: "CMinHash"),
        // Documents, JSON values, the stage protocol, parameters and stats.
        .target(name: "WinnowCore", dependencies: ["WinnowText"], linkerSettings: [.linkedLibrary("m")]),
        // Compressed streams, JSON, readers (JSONL, WARC, WET, Parquet) and writers (JSONL, Parquet).
        .target(name: "WinnowIO", dependencies: ["WinnowCore", "WinnowText", "CZstd", "CZlib", "CSnappy", "CSnappyDecoder"]),
        // Heuristic per-document filters (Gopher, C4, FineWeb, bad words, URL, statistics, classifier, ...).
        .target(name: "WinnowFilters", dependencies: ["WinnowCore", "WinnowText", "WinnowWordRules", "WinnowFastText", "CXXHash"]),
        // spaCy-compatible English word rules, character classes and UTF-8 scanning the filters share.
        .target(name: "WinnowWordRules", dependencies: ["WinnowCore", "WinnowText"]),
        // The n-gram language model: Kneser-Ney trainer, ARPA and binary models, scorer, the perplexity stage;
        // the built-in English model is a resource.
        .target(name: "WinnowLM", dependencies: ["WinnowCore", "WinnowText", "WinnowIO", "CPrefetch"], resources: [.copy("Resources/en.wlm")]),
        // The fastText-compatible engine: models, predictor, trainer, quantizer (language ID and classifiers).
        .target(name: "WinnowFastText"),
        // Language identification: the language stages over the fastText engine.
        .target(name: "WinnowLangID", dependencies: ["WinnowCore", "WinnowText", "WinnowFastText"], resources: [.copy("Resources/winnow-lid.ftz")]),
        // Byte-level BPE tokenizer: pre-tokenization, training (HF-exact), exports.
        .target(name: "WinnowTokenizer", dependencies: ["WinnowCore", "WinnowIO", "WinnowText"]),
        // Token shards for trainers (Megatron, llm.c, datatrove, OLMo) with manifests: the `tokenize` step.
        .target(name: "WinnowShards", dependencies: ["WinnowCore", "WinnowIO", "WinnowTokenizer"]),
        // PII detection and replacement.
        .target(name: "WinnowPII", dependencies: ["WinnowCore", "WinnowText"]),
        // Per-document rewriting stages.
        .target(name: "WinnowFormatters", dependencies: ["WinnowCore", "WinnowText"]),
        // Document dedup: MinHash (datatrove-exact signatures), exact and URL dedup, as whole-dataset steps.
        .target(name: "WinnowDedup", dependencies: ["WinnowCore", "WinnowIO", "WinnowText", "WinnowWordRules", "CXXHash", "CMinHash"]),
        // HTML main-text extraction: tokenizer, light tree builder, boilerplate removal, the html_extract stage.
        .target(name: "WinnowHTML", dependencies: ["WinnowCore", "WinnowText", "WinnowIO"]),
        // `winnow report`: a self-contained HTML page about a run directory (funnels, exclusions, distributions, samples).
        .target(name: "WinnowReport", dependencies: ["WinnowCore", "WinnowIO", "WinnowTokenizer"]),
        // YAML pipelines, the stage and whole-dataset step registries, the executor with resume, stats and progress.
        .target(name: "WinnowPipeline", dependencies: [
            "WinnowCore", "WinnowIO", "WinnowFilters", "WinnowLM", "WinnowFormatters", "WinnowPII", "WinnowLangID", "WinnowTokenizer", "WinnowHTML", "WinnowShards", "WinnowDedup",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The command line: parses arguments and calls the library.
        .executableTarget(name: "winnow", dependencies: [
            "WinnowPipeline", "WinnowTokenizer", "WinnowHTML", "WinnowShards", "WinnowReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], plugins: ["BuildInfo"]),
        // Records the git commit for `winnow --version` at build time.
        .plugin(name: "BuildInfo", capability: .buildTool()),
        // Runs child processes (winnow, Python references) for the test targets; not part of the product.
        .target(name: "WinnowTestSupport", path: "Tests/WinnowTestSupport"),
        // Slow references (split regexes, PII checkers) for differential tests and fuzz targets; no Winnow module.
        .target(name: "WinnowReferences", path: "Tests/WinnowReferences"),
        // Read benchmark (release build): see Benchmarks/README.md.
        .executableTarget(name: "winnow-read-bench", dependencies: ["WinnowIO"], path: "Benchmarks/ReadBenchmark"),
        // Tokenizer and PII timing commands for the benchmark scripts (release build): see Benchmarks/README.md.
        .executableTarget(name: "winnow-bench", dependencies: [
            "WinnowIO", "WinnowPII", "WinnowTokenizer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/CLIBench"),

        .testTarget(name: "WinnowTextTests", dependencies: ["WinnowText", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowCoreTests", dependencies: ["WinnowCore"]),
        .testTarget(name: "WinnowIOTests", dependencies: ["WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowFiltersTests", dependencies: ["WinnowFilters", "WinnowWordRules", "WinnowFastText", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowWordRulesTests", dependencies: ["WinnowWordRules"]),
        .testTarget(name: "WinnowLMTests", dependencies: ["WinnowLM", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowFormattersTests", dependencies: ["WinnowFormatters"]),
        .testTarget(name: "WinnowLangIDTests", dependencies: ["WinnowLangID", "WinnowFastText", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowTokenizerTests", dependencies: ["WinnowTokenizer", "WinnowIO", "WinnowTestSupport", "WinnowReferences"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowPIITests", dependencies: ["WinnowPII", "WinnowIO", "WinnowTestSupport", "WinnowReferences"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowHTMLTests", dependencies: ["WinnowHTML", "WinnowIO", "WinnowTestSupport"]),
        .testTarget(name: "WinnowShardsTests", dependencies: ["WinnowShards", "winnow", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowDedupTests", dependencies: ["WinnowDedup", "WinnowPipeline", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowReportTests", dependencies: ["WinnowReport", "winnow", "WinnowTestSupport"]),
        .testTarget(name: "WinnowPipelineTests", dependencies: ["WinnowPipeline", "winnow", "WinnowTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
