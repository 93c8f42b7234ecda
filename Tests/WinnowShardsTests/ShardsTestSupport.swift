import Foundation
import Testing
import WinnowTestSupport

/// numpy and HF `tokenizers` are the references; CI (`WINNOW_REQUIRE_REFERENCE=1`) must have them.
let referencesAvailable: Bool = {
    if ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1" { return true }
    return (try? ProcessRunner.python("import numpy, tokenizers, zstandard")) != nil
}()

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// The `winnow` executable built next to the test bundle.
func winnowExecutable() throws -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("winnow").path) { return dir.appendingPathComponent("winnow").path }
        dir = dir.deletingLastPathComponent()
    }
    throw ProcessFailure("winnow executable not found near \(CommandLine.arguments[0]); run `swift build` first")
}

func temporaryDirectory(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "winnow-shards-" + name.filter { $0.isLetter || $0.isNumber } + "-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `winnow` with arguments; the result's status, standard output and error.
@discardableResult
func winnow(_ arguments: [String]) throws -> ProcessOutput {
    try ProcessRunner.run(try winnowExecutable(), arguments)
}

/// Writes `files` JSONL.zst files of seeded random documents (Unicode, emoji, newlines, empty texts unless
/// `minWords` > 0) with Python; each text starts with `prefix`.
func makeCorpus(in directory: String, files: Int, documentsPerFile: Int, seed: Int, prefix: String = "", minWords: Int = 0) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = try ProcessRunner.python("""
    import json, random, sys, zstandard
    d, files, per, seed, prefix, least = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
    rng = random.Random(seed)
    words = ['alpha', 'beta', 'gamma', 'delta', 'été', '中文', 'ΑΒΓ', 'x"y', 'tab\\there', 'line\\nbreak', '😀', 'the', 'of', '2024']
    for f in range(files):
        lines = [json.dumps({'id': f'f{f}-{i}', 'text': prefix + ' '.join(rng.choice(words) for _ in range(rng.randint(least, 150)))}) for i in range(per)]
        open(f'{d}/part-{f:03d}.jsonl.zst', 'wb').write(zstandard.ZstdCompressor(level=3).compress(('\\n'.join(lines) + '\\n').encode()))
    """, [directory, String(files), String(documentsPerFile), String(seed), prefix, String(minWords)])
}

/// The shard set's documents as numpy readers mirroring each trainer see them (Fixtures/read_shards.py).
struct ReadBack: Decodable {
    var format: String
    var dtype: String
    var files: [String]
    var roles: [String]
    var shards: [[[UInt32]]]
    var documents: [[UInt32]] { shards.flatMap { $0 } }
    /// The documents of the shards with role `role` (train, validation).
    func documents(role: String) -> [[UInt32]] { zip(roles, shards).filter { $0.0 == role }.flatMap(\.1) }
}

func readBack(_ manifest: String) throws -> ReadBack {
    let output = try ProcessRunner.run("/usr/bin/env", ["python3", fixtures + "/read_shards.py", manifest])
    guard output.status == 0 else { throw ProcessFailure("read_shards.py \(manifest) failed: \(output.stderr)") }
    return try JSONDecoder().decode(ReadBack.self, from: output.stdoutData)
}

/// Every file below `directory` (relative path -> contents); `manifest.json` without its creation time.
func shardTree(_ directory: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    guard let e = FileManager.default.enumerator(atPath: directory) else { return result }
    while let relative = e.nextObject() as? String {
        guard (e.fileAttributes?[.type] as? FileAttributeType) == .typeRegular,
              !relative.hasSuffix("stats.json"), !relative.contains("/stats/") else { continue }
        var data = FileManager.default.contents(atPath: directory + "/" + relative) ?? Data()
        if relative.hasSuffix("manifest.json") {
            let text = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"created\"") }
            data = Data(text.joined(separator: "\n").utf8)
        }
        result[relative] = data
    }
    return result
}

/// Two sources of distinct documents (texts prefixed "Source A: " / "Source B: ", at least 8 words) in
/// `dir/a` and `dir/b`, two files each, a tokenizer Winnow trained on both in `dir/tok` (`<|endoftext|>` = 0),
/// and HF `tokenizers`' encoding of each source's texts plus the EOS, in input order.
func twoSources(in dir: String, perFileA: Int, perFileB: Int, seeds: (Int, Int)) throws -> (a: [[UInt32]], b: [[UInt32]]) {
    try makeCorpus(in: dir + "/a", files: 2, documentsPerFile: perFileA, seed: seeds.0, prefix: "Source A: ", minWords: 8)
    try makeCorpus(in: dir + "/b", files: 2, documentsPerFile: perFileB, seed: seeds.1, prefix: "Source B: ", minWords: 8)
    let a = (0..<2).map { String(format: "%@/a/part-%03d.jsonl.zst", dir, $0) }, b = (0..<2).map { String(format: "%@/b/part-%03d.jsonl.zst", dir, $0) }
    let trained = try winnow(["tokenizer", "train"] + a + b + ["--vocab-size", "500", "--special-token", "<|endoftext|>", "--output", dir + "/tok"])
    guard trained.status == 0 else { throw ProcessFailure("tokenizer train failed: \(trained.stderr)") }
    return (try ShardFormatTests.referenceEncoding(tokenizer: dir + "/tok/tokenizer.json", inputs: a).map { $0 + [0] },
            try ShardFormatTests.referenceEncoding(tokenizer: dir + "/tok/tokenizer.json", inputs: b).map { $0 + [0] })
}
