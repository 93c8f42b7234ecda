// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Winnow's libFuzzer harness (docs/fuzzing.md), a package of its own so that the main package is built and
/// tested without sanitizers. One executable holds every fuzz target; `WINNOW_FUZZ_TARGET` picks one at run
/// time (one link of the instrumented library instead of one per parser). Build it with
///
///     swift build -c release -Xswiftc -sanitize=fuzzer,address --package-path Fuzz
///
/// or through `Scripts/fuzz.sh`.

/// A path dependency's identity is its directory's name, which differs between checkouts and worktrees.
let winnowRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let winnow = winnowRoot.lastPathComponent.lowercased()

let package = Package(
    name: "WinnowFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CFuzzer"),
        // Linked with lld: gold stops with an internal error (dwarf_reader.cc) on this sanitized link.
        .executableTarget(name: "winnow-fuzz", dependencies: ["CFuzzer", .product(name: "WinnowPipeline", package: winnow),
                                                                          .product(name: "WinnowReferences", package: winnow)],
                          linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
    ],
    swiftLanguageModes: [.v6]
)
