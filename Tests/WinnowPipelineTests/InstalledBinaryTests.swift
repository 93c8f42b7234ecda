import Foundation
import Testing
import WinnowTestSupport

/// An installed `winnow` is the binary plus the resource directories SwiftPM builds next to it
/// (`Winnow_*.resources`): copied together to another directory, it finds its built-in models there; copied
/// alone, it fails with a message naming where it looked (so the first case cannot pass through a fallback
/// to the build directory).
struct InstalledBinaryTests {
    @Test func copiedBinaryUsesItsCopiedModels() throws {
        let built = try winnowExecutable()
        let buildDirectory = URL(fileURLWithPath: built).deletingLastPathComponent().path
        let bundles = try FileManager.default.contentsOfDirectory(atPath: buildDirectory)
            .filter { $0.hasPrefix("Winnow_") && ($0.hasSuffix(".resources") || $0.hasSuffix(".bundle")) }
        #expect(bundles.contains { $0.hasPrefix("Winnow_WinnowLangID.") } && bundles.contains { $0.hasPrefix("Winnow_WinnowLM.") },
                "resource bundles next to \(built): \(bundles)")

        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let installed = root + "/opt/winnow", bare = root + "/bare", elsewhere = root + "/bin"
        for dir in [installed, bare, elsewhere] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: built, toPath: installed + "/winnow")
        for bundle in bundles { try FileManager.default.copyItem(atPath: buildDirectory + "/" + bundle, toPath: installed + "/" + bundle) }
        try FileManager.default.copyItem(atPath: built, toPath: bare + "/winnow")
        // A symlink on the PATH to the installed binary: resources are found next to the real file.
        try FileManager.default.createSymbolicLink(atPath: elsewhere + "/winnow", withDestinationPath: installed + "/winnow")

        let french = Data("Bonjour tout le monde, ceci est une phrase écrite en français.\n".utf8)
        let sentences = root + "/sentences.txt"
        try Data("the quick brown fox jumps over the lazy dog\nthis is a sentence\n".utf8).write(to: URL(fileURLWithPath: sentences))
        // The same scores from the model in the source tree, named explicitly to the built binary.
        let sourceModel = repositoryRoot + "/Sources/WinnowLM/Resources/en.wlm"
        let expected = try run(built, ["lm", "score", "--model", sourceModel, "--per-line", sentences])
        #expect(expected.status == 0, "\(expected.stderr)")

        for binary in [installed + "/winnow", elsewhere + "/winnow"] {
            let langid = try run(binary, ["langid", "predict", "-"], stdin: french)
            #expect(langid.status == 0, "\(binary) langid predict: \(langid.stderr)")
            #expect(langid.stdout.hasPrefix("__label__fr "), "\(binary) langid predict printed \(langid.stdout)")
            let lm = try run(binary, ["lm", "score", "--per-line", sentences])
            #expect(lm.status == 0, "\(binary) lm score: \(lm.stderr)")
            #expect(!lm.stdout.isEmpty && lm.stdout == expected.stdout, "\(binary) lm score printed \(lm.stdout), the source model \(expected.stdout)")
        }

        let missing = try run(bare + "/winnow", ["langid", "predict", "-"], stdin: french)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("was not found; looked in: \(bare)/Winnow_WinnowLangID.resources/winnow-lid.ftz"),
                "a binary without its resources says where it looked: \(missing.stderr)")
        let missingLM = try run(bare + "/winnow", ["lm", "score", sentences])
        #expect(missingLM.status != 0)
        #expect(missingLM.stderr.contains("\(bare)/Winnow_WinnowLM.resources/en.wlm"), "\(missingLM.stderr)")
    }
}
