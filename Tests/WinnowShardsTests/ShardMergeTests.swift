import Foundation
import Testing
import WinnowTestSupport

/// `winnow shards merge`: two sets built without shuffling, merged with a seed, are byte for byte the shards a
/// build of all their inputs at once writes with that seed; a merge into another format reads back (numpy) as
/// HF `tokenizers`' encoding of every input; sets of different tokenizers are refused.
@Suite(.serialized) struct ShardMergeTests {
    /// The shard files of a set (manifest.json apart) and its manifest's `shards` entries.
    static func shardFiles(_ directory: String) throws -> (files: [String: Data], shards: NSObject) {
        var files = try shardTree(directory)
        let manifest = try JSONSerialization.jsonObject(with: files.removeValue(forKey: "manifest.json")!) as! [String: Any]
        return (files, manifest["shards"] as! NSObject)
    }

    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func mergeEqualsBuildingTheUnion() throws {
        let (dir, inputs, tokenizer) = try ShardFormatTests.fixture()
        func build(_ files: [String], _ out: String, _ extra: [String]) throws {
            let r = try winnow(["shards", "build"] + files + ["--tokenizer", tokenizer, "--eos", "<|endoftext|>", "--shard-tokens", "3000",
                                                              "--output", dir + "/" + out] + extra)
            #expect(r.status == 0, "\(r.stderr)")
        }
        try build(Array(inputs[0..<2]), "a", ["--no-shuffle"])
        try build([inputs[2]], "b", ["--no-shuffle"])
        try build(inputs, "union", ["--seed", "5"])
        try build(inputs, "union-ordered", ["--no-shuffle"])
        let merged = try winnow(["shards", "merge", dir + "/a/manifest.json", dir + "/b", "--seed", "5", "--workers", "2", "--output", dir + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let ordered = try winnow(["shards", "merge", dir + "/a", dir + "/b", "--no-shuffle", "--output", dir + "/merged-ordered"])
        #expect(ordered.status == 0, "\(ordered.stderr)")

        let union = try Self.shardFiles(dir + "/union"), result = try Self.shardFiles(dir + "/merged")
        #expect(union.files.keys.contains("tokens_00004.bin"), "several shards: \(union.files.keys.sorted())")
        #expect(result.files == union.files)
        #expect(result.shards == union.shards)
        let unionOrdered = try Self.shardFiles(dir + "/union-ordered"), resultOrdered = try Self.shardFiles(dir + "/merged-ordered")
        #expect(resultOrdered.files == unionOrdered.files && resultOrdered.shards == unionOrdered.shards)
        #expect(result.files != resultOrdered.files, "the seed shuffles")

        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/merged/manifest.json"))) as! [String: Any]
        #expect((manifest["merged_from"] as? [[String: Any]])?.count == 2)
        #expect(try winnow(["shards", "verify", dir + "/merged/manifest.json"]).status == 0)
    }

    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func mergeIntoAnotherFormatReadsBack() throws {
        let (dir, inputs, tokenizer) = try ShardFormatTests.fixture()
        for (i, files) in [Array(inputs[0..<1]), Array(inputs[1..<3])].enumerated() {
            let r = try winnow(["shards", "build"] + files + ["--tokenizer", tokenizer, "--eos", "<|endoftext|>", "--shard-tokens", "2500",
                                                              "--seed", "\(i)", "--output", dir + "/set\(i)"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = try winnow(["shards", "merge", dir + "/set0", dir + "/set1", "--shard-format", "datatrove", "--shard-tokens", "6000",
                                 "--output", dir + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let set = try readBack(dir + "/merged/manifest.json")
        #expect(set.format == "datatrove" && set.files.first == "tokens_00000.ds")
        let expected = try ShardFormatTests.referenceEncoding(tokenizer: tokenizer, inputs: inputs).map { $0 + [0] }
        #expect(ShardFormatTests.sorted(set.documents) == ShardFormatTests.sorted(expected))
        for shard in set.shards.dropLast() {
            let tokens = shard.map(\.count).reduce(0, +)
            #expect(tokens >= 6000 && tokens - shard.last!.count < 6000)
        }

        // Another tokenizer: refused, naming both sets.
        _ = try winnow(["tokenizer", "train", inputs[0], "--vocab-size", "400", "--special-token", "<|endoftext|>", "--output", dir + "/tok2"])
        let other = try winnow(["shards", "build", inputs[0], "--tokenizer", dir + "/tok2/tokenizer.json", "--eos", "<|endoftext|>", "--output", dir + "/other"])
        #expect(other.status == 0, "\(other.stderr)")
        let refused = try winnow(["shards", "merge", dir + "/set0", dir + "/other", "--output", dir + "/bad"])
        #expect(refused.status != 0 && refused.stderr.contains("only sets of one tokenizer can be merged"), "\(refused.stderr)")
    }

    /// Held-out documents stay held out: the merged set's validation shards hold the inputs' validation
    /// documents (the first set's, then the second's, in order), its training shards their training documents.
    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func mergeKeepsValidationSplits() throws {
        let (dir, inputs, tokenizer) = try ShardFormatTests.fixture()
        for (i, (files, split)) in [(Array(inputs[0..<1]), ["--validation-fraction", "0.1"]),
                                    (Array(inputs[1..<3]), ["--validation-tokens", "1500"])].enumerated() {
            let r = try winnow(["shards", "build"] + files + ["--tokenizer", tokenizer, "--eos", "<|endoftext|>", "--shard-tokens", "2500",
                                                              "--output", dir + "/set\(i)"] + split)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = try winnow(["shards", "merge", dir + "/set0", dir + "/set1", "--shard-tokens", "5000", "--seed", "9", "--output", dir + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let set0 = try readBack(dir + "/set0/manifest.json"), set1 = try readBack(dir + "/set1/manifest.json")
        let result = try readBack(dir + "/merged/manifest.json")
        #expect(!set0.documents(role: "validation").isEmpty && !set1.documents(role: "validation").isEmpty)
        #expect(result.documents(role: "validation") == set0.documents(role: "validation") + set1.documents(role: "validation"))
        #expect(ShardFormatTests.sorted(result.documents(role: "train"))
                == ShardFormatTests.sorted(set0.documents(role: "train") + set1.documents(role: "train")))
        #expect(result.files.first == "tokens_val_00000.bin")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/merged/manifest.json"))) as! [String: Any]
        #expect((manifest["validation"] as? [String: Any])?["documents"] as? Int == result.documents(role: "validation").count)
    }
}
