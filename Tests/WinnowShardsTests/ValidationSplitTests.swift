import Foundation
import Testing
import WinnowTestSupport

/// `validation:`: documents held out of each source, read back with numpy and recognised by HF `tokenizers`'
/// encoding of the inputs: in `<name>_val_` shards, disjoint from training (also when training up-samples), passing
/// the requested tokens by less than one document, in input order, the same whether or not training is shuffled.
@Suite(.serialized) struct ValidationSplitTests {
    static func run(_ yaml: String, in dir: String, name: String) throws -> String {
        try yaml.write(toFile: "\(dir)/\(name).yaml", atomically: true, encoding: .utf8)
        let result = try winnow(["run", "\(dir)/\(name).yaml", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        return "\(dir)/\(name)/shards/output/manifest.json"
    }

    static func manifest(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    /// `documents` is a subsequence of `all` (each at most once, in `all`'s order).
    static func isInOrder(_ documents: [[UInt32]], of all: [[UInt32]]) -> Bool {
        var i = 0
        for d in documents {
            while i < all.count, all[i] != d { i += 1 }
            if i == all.count { return false }
            i += 1
        }
        return true
    }

    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func fractionOfOneSourceHeldOutBeforeShuffling() throws {
        let (dir, inputs, tokenizer) = try ShardFormatTests.fixture()
        func pipeline(_ name: String, shuffle: Bool) -> String {
            """
            output: \(dir)/\(name)
            steps:
              - name: shards
                input: {paths: [\(dir)/in]}
                run:
                  tokenize: {tokenizer: \(tokenizer), eos: "<|endoftext|>", shard_tokens: 2000, shuffle: \(shuffle), validation: {fraction: 0.1}}
            """
        }
        let shuffled = try Self.run(pipeline("shuffled", shuffle: true), in: dir, name: "shuffled")
        let ordered = try Self.run(pipeline("ordered", shuffle: false), in: dir, name: "ordered")
        let expected = try ShardFormatTests.referenceEncoding(tokenizer: tokenizer, inputs: inputs).map { $0 + [0] }
        let total = expected.map(\.count).reduce(0, +)
        let set = try readBack(shuffled)
        let held = set.documents(role: "validation"), training = set.documents(role: "train")
        #expect(set.files.first == "tokens_val_00000.bin" && set.roles.first == "validation")
        #expect(ShardFormatTests.sorted(held + training) == ShardFormatTests.sorted(expected), "every document once, in one of the two")
        let heldTokens = held.map(\.count).reduce(0, +), target = Int((0.1 * Double(total)).rounded())
        #expect(heldTokens >= target && heldTokens - held.map(\.count).max()! < target, "\(heldTokens) for \(target)")
        #expect(held.count < expected.count / 4 && Self.isInOrder(held, of: expected), "a sample, in input order")
        #expect(!Self.isInOrder(held, of: Array(expected.prefix(held.count + 5))), "not just the first documents")

        // Held out before shuffling: the same validation shards without the shuffle; training differs.
        let orderedSet = try readBack(ordered)
        #expect(orderedSet.documents(role: "validation") == held)
        #expect(orderedSet.documents(role: "train") != training && Self.isInOrder(orderedSet.documents(role: "train"), of: expected))

        let m = try Self.manifest(shuffled)
        let validation = m["validation"] as! [String: Any]
        #expect(validation["documents"] as? Int == held.count && validation["tokens"] as? Int == heldTokens)
        #expect((validation["requested"] as? [String: Any])?["fraction"] as? Double == 0.1)
        let source = (m["sources"] as! [[String: Any]])[0]
        #expect(source["validation_tokens"] as? Int == heldTokens && source["validation_requested_tokens"] as? Int == target)
        #expect(try winnow(["shards", "verify", shuffled]).status == 0)
    }

    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func perSourceSplitsWithMixNeverReachTraining() throws {
        let dir = try temporaryDirectory()
        let (encodeA, encodeB) = try twoSources(in: dir, perFileA: 60, perFileB: 100, seeds: (41, 42))
        let tokensA = encodeA.map(\.count).reduce(0, +)
        // a is up-sampled (weight 3 of 4 of more than it has): its held-out documents must still never be trained on.
        let manifestPath = try Self.run("""
            output: \(dir)/mixed
            steps:
              - name: shards
                input: {paths: [\(dir)/a, \(dir)/b]}
                run:
                  tokenize:
                    tokenizer: \(dir)/tok/tokenizer.json
                    eos: "<|endoftext|>"
                    shard_tokens: 20000
                    validation: {fraction: 0.2}
                    total_tokens: \(3 * tokensA)
                    mix:
                      - {name: a, paths: [\(dir)/a], weight: 3, max_epochs: 3}
                      - {name: b, paths: [\(dir)/b], weight: 1, validation: {tokens: 800}}
            """, in: dir, name: "mixed")
        let set = try readBack(manifestPath)
        let held = set.documents(role: "validation"), training = set.documents(role: "train")
        let heldA = held.filter { Set(encodeA).contains($0) }, heldB = held.filter { Set(encodeB).contains($0) }
        #expect(heldA.count + heldB.count == held.count && Set(held).count == held.count)
        #expect(heldA + heldB == held, "source by source, a first")
        #expect(Self.isInOrder(heldA, of: encodeA) && Self.isInOrder(heldB, of: encodeB))
        #expect(Set(training).isDisjoint(with: Set(held)), "no held-out document is trained on")
        #expect(training.count > encodeA.count, "a was up-sampled")
        let targetA = Int((0.2 * Double(tokensA)).rounded())
        let gotA = heldA.map(\.count).reduce(0, +), gotB = heldB.map(\.count).reduce(0, +)
        #expect(gotA >= targetA && gotA - heldA.map(\.count).max()! < targetA, "\(gotA) for \(targetA)")
        #expect(gotB >= 800 && gotB - heldB.map(\.count).max()! < 800, "\(gotB) for 800")
        let sources = try Self.manifest(manifestPath)["sources"] as! [[String: Any]]
        #expect(sources[0]["validation_tokens"] as? Int == gotA && sources[1]["validation_tokens"] as? Int == gotB)
        #expect(sources[0]["tokens"] as? Int == tokensA, "a source's tokens are all it has, held-out ones included")
        #expect(sources[1]["validation_requested_tokens"] as? Int == 800)
        #expect(try winnow(["shards", "verify", manifestPath]).status == 0)
    }

    /// llm.c with a split: the held-out documents are the `_val_` shards (not the first shard of the shuffled
    /// stream), the `_train_` shards follow, and every document is read back once with its EOT before it.
    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func llmcValidationShardsAreTheSplit() throws {
        let (dir, inputs, tokenizer) = try ShardFormatTests.fixture()
        let built = try winnow(["shards", "build"] + inputs + ["--tokenizer", tokenizer, "--bos", "<|endoftext|>", "--shard-format", "llmc",
                                                               "--shard-tokens", "1500", "--validation-tokens", "2000", "--output", dir + "/out"])
        #expect(built.status == 0, "\(built.stderr)")
        let set = try readBack(dir + "/out/manifest.json")
        let expected = try ShardFormatTests.referenceEncoding(tokenizer: tokenizer, inputs: inputs).map { [0] + $0 }
        let held = set.documents(role: "validation")
        let heldTokens = held.map(\.count).reduce(0, +)
        #expect(heldTokens >= 2000 && heldTokens - held.map(\.count).max()! < 2000, "\(heldTokens)")
        #expect(Self.isInOrder(held, of: expected))
        #expect(ShardFormatTests.sorted(set.documents) == ShardFormatTests.sorted(expected))
        let validationFiles = zip(set.roles, set.files).filter { $0.0 == "validation" }.map(\.1)
        #expect(validationFiles == ["tokens_val_000000.bin", "tokens_val_000001.bin"], "\(set.files)")
        #expect(zip(set.roles, set.files).filter { $0.0 == "train" }.allSatisfy { $0.1.hasPrefix("tokens_train_") })
        #expect(try winnow(["shards", "verify", dir + "/out/manifest.json"]).status == 0)
    }
}
