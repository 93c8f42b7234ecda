import Foundation
import Testing
import WinnowText
import WinnowTestSupport
import WinnowTokenizer

/// Threads and spilled runs change where counts are kept, never the counts: the merged counts equal a plain
/// dictionary count, and the trained model equals the single-threaded trainer's (itself checked against HF).
@Suite struct ParallelCountingTests {
    static func corpus() -> [[UInt8]] {
        var rng = SplitMix64(seed: 7)
        let words = ["the", "cat", "über", "naïve", "東京", "data", "token", "ization", "  ", "\n", "42", "don't", "😀", "a"]
        return (0..<600).map { _ in
            Array((0..<Int(rng.next() % 80)).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ").utf8)
        }
    }

    /// Runs hold sorted records; merging them sums the counts of equal keys (expected: a Swift dictionary).
    @Test func runsMergeToDictionaryCounts() throws {
        let dir = try temporaryDirectory()
        var expected: [[UInt8]: Int64] = [:]
        var paths: [String] = []
        var rng = SplitMix64(seed: 3)
        for run in 0..<5 {
            var counter = PreTokenCounter(capacity: 4)
            for _ in 0..<400 {
                let key = (0..<Int(rng.next() % 4)).map { _ in UInt8(rng.next() % 3) + (rng.next() % 5 == 0 ? 0xC0 : 0x61) }
                let amount = Int64(rng.next() % 1000) + 1
                key.withUnsafeBufferPointer { counter.add($0, amount: amount) }
                if !key.isEmpty { expected[key, default: 0] += amount }
            }
            let path = dir + "/r\(run).run"
            try PreTokenRuns.write(counter, to: path)
            paths.append(path)
        }
        var merged: [([UInt8], Int64)] = []
        try PreTokenRuns.merge(paths) { key, count in merged.append((Array(key), count)) }
        #expect(merged.map(\.0) == expected.keys.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(merged.allSatisfy { expected[$0.0] == $0.1 })
    }

    @Test(arguments: [(1, false), (2, false), (3, true), (4, true)])
    func sameModelForAnyThreadsAndSpills(threads: Int, spill: Bool) throws {
        let docs = Self.corpus()
        var options = BPETrainingOptions(vocabSize: 400)
        options.specialTokens = ["<|endoftext|>"]
        options.pattern = threads % 2 == 0 ? .llama3 : .gpt2
        let reference = BPETrainer(options: options)
        for d in docs { reference.add(document: d) }
        let expected = reference.train()

        var counting = ParallelPreTokenCounter.Options(threads: threads)
        counting.batchBytes = 2000
        counting.pattern = options.pattern
        if spill {
            counting.spillDirectory = try temporaryDirectory()
            counting.memoryBudget = 1  // every batch spills
        }
        let counter = ParallelPreTokenCounter(options: counting)
        for d in docs { try counter.add(document: d) }
        let counts = try counter.finish()
        if spill { #expect(counter.runs.count > 3) }
        let model = try BPETrainer(options: options).train(counts: counts)
        #expect(model.vocab == expected.vocab)
        #expect(model.merges.map { [$0.left, $0.right, $0.result] } == expected.merges.map { [$0.left, $0.right, $0.result] })
    }

    /// With normalization, the counts are those of the normalized text (NFKC folds the ligature and the
    /// full-width letters; expected pieces worked by hand).
    @Test func normalizesBeforeSplitting() throws {
        var counting = ParallelPreTokenCounter.Options(threads: 2)
        counting.normalization = .nfkc
        let counter = ParallelPreTokenCounter(options: counting)
        try counter.add(document: Array("ﬁne ＡＢＣ".utf8))
        guard case .memory(let counts) = try counter.finish() else { Issue.record("spilled"); return }
        var pieces: [String: Int64] = [:]
        counts.forEach { key, count in pieces[String(decoding: key, as: UTF8.self)] = count }
        #expect(pieces == ["fine": 1, " ABC": 1])
    }
}
