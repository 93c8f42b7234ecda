import Foundation

/// The repository root, found from this file's path (Tests/WinnowTestSupport/TestEnvironment.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A test's own failure (a missing tool, an unexpected child exit), with what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The `winnow` executable built next to the test bundle (or in `.build/debug`), or nil when it is not built.
public func builtWinnowExecutable() -> String? {
    var candidates: [String] = []
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("winnow").path)
        dir = dir.deletingLastPathComponent()
    }
    candidates.append(repositoryRoot + "/.build/debug/winnow")
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// The `winnow` executable; throws when it is not built (`swift build` first).
public func winnowExecutable() throws -> String {
    guard let found = builtWinnowExecutable() else {
        throw TestFailure("the winnow executable is not built next to \(CommandLine.arguments[0]): run `swift build` first")
    }
    return found
}

/// A fresh temporary directory named after the test.
public func temporaryDirectory(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "winnow-test-" + name.filter { $0.isLetter || $0.isNumber } + "-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// `WINNOW_REQUIRE_REFERENCE=1` (CI): tests that need a reference tool (Python packages, Debian's `fasttext`) run,
/// and fail without it, instead of being skipped.
public let referenceRequired = ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1"

/// Debian's `fasttext` CLI (apt-get install fasttext), the fastText reference, or nil when it is not installed.
public let fasttextCLI: String? = ["/usr/bin/fasttext", "/usr/local/bin/fasttext"].first { FileManager.default.isExecutableFile(atPath: $0) }
