import Testing
import WinnowTestSupport
import WinnowTokenizer

@Suite struct PreTokenCounterTests {
    @Test func countsDistinctKeysAcrossGrowth() {
        var counter = PreTokenCounter(capacity: 4)
        for round in 0..<3 {
            for i in 0..<1000 {
                let key = Array("k\(i)".utf8)
                key.withUnsafeBufferPointer { counter.add($0, amount: Int64(round + 1)) }
            }
        }
        #expect(counter.count == 1000)
        #expect(counter.total == 6000)
        var seen = 0
        counter.forEach { key, count in
            seen += 1
            #expect(count == 6, "\(String(decoding: key, as: UTF8.self))")
        }
        #expect(seen == 1000)
    }
}

@Suite struct BPETrainerTests {
    /// Counts are 64-bit: pairs seen more than 2^31 times are still ordered by count (HF's i32 pair counts wrap).
    @Test func countsAbove32Bits() {
        var counts = PreTokenCounter()
        for (word, n) in [("ab", Int64(3_000_000_000)), ("cd", 2_500_000_000), ("ef", 5)] {
            Array(word.utf8).withUnsafeBufferPointer { counts.add($0, amount: n) }
        }
        let trainer = BPETrainer(options: BPETrainingOptions(vocabSize: 258))
        trainer.add(counts: counts)
        let model = trainer.train()
        #expect(model.merges.map { model.vocab[$0.left] + " " + model.vocab[$0.right] } == ["a b", "c d"])
        #expect(model.vocab.suffix(2) == ["ab", "cd"])
    }

    /// Special tokens take the first ids; a special equal to a byte symbol replaces it in the alphabet.
    @Test func specialTokensFirst() {
        var options = BPETrainingOptions(vocabSize: 258)
        options.specialTokens = ["<pad>", "!", "<pad>"]
        let trainer = BPETrainer(options: options)
        trainer.add(document: Array("!! !!".utf8))
        let model = trainer.train()
        #expect(Array(model.vocab.prefix(3)) == ["<pad>", "!", "\""])
        #expect(model.specialTokens == ["<pad>", "!"])
        #expect(model.vocab.count == 258)  // 2 specials + 255 other bytes + 1 merge
        #expect(model.vocab.last == "!!")
        #expect(model.bytes(of: 257) == Array("!!".utf8))
    }
}
