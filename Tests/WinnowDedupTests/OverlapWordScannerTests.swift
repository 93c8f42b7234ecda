import Testing
import WinnowCore
import WinnowIO
import WinnowTestSupport
@testable import WinnowDedup

/// `OverlapWordScanner.scanHashes` with `words: datatrove` (the whole text simplified and split in one go, hashes
/// only: the first look at each document) gives the same word hashes as `scan` (chunk by chunk between whitespace,
/// with positions, which also builds the evaluation index): on every document of the sample corpus, and on seeded
/// mixed-script texts whose words meet every kind of whitespace, including marks and punctuation next to it.
@Suite struct OverlapWordScannerTests {
    static func hashes(_ scanner: OverlapWordScanner, _ text: [UInt8], positions: Bool) -> [UInt64] {
        text.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            if positions { scanner.scan(p, b.count) } else { scanner.scanHashes(p, b.count) }
        }
        return text.isEmpty ? [] : scanner.wordHashes
    }

    @Test func hashesAloneEqualScanOnSampleCorpus() throws {
        let path = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        var stats = StageStats(name: "read")
        let scanner = OverlapWordScanner(mode: .datatrove), reference = OverlapWordScanner(mode: .datatrove)
        var documents = 0, total = 0
        try InputFormat.auto.resolve(path: path).reader(options: ReaderOptions()).read(file: path, stats: &stats, problem: { _ in }) { document in
            let fast = Self.hashes(scanner, document.text, positions: false)
            #expect(fast == Self.hashes(reference, document.text, positions: true), "\(document.id)")
            #expect(reference.words.map(\.hash) == reference.wordHashes)
            documents += 1
            total += fast.count
        }
        #expect(documents > 400 && total > 100_000)
    }

    @Test func hashesAloneEqualScanOnMixedScriptTexts() {
        let separators = [" ", "\n", "\t", "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{1F}", " \u{301}", "\u{301} ",
                          " . ", "...", ", ", "—", " 3.14 ", "12 ,5", "", "\u{130}", "\u{1D15E}"]
        var random = SplitMix64(seed: 909)
        let scanner = OverlapWordScanner(mode: .datatrove), reference = OverlapWordScanner(mode: .datatrove)
        var nonEmpty = 0
        for _ in 0..<3000 {
            var text = ""
            for k in 0..<Int(random.next() % 16) {
                if k > 0 { text += separators[Int(random.next() % UInt64(separators.count))] }
                text += DedupTextSimplifierTests.mixedScriptWords[Int(random.next() % UInt64(DedupTextSimplifierTests.mixedScriptWords.count))]
            }
            let bytes = Array(text.utf8)
            let fast = Self.hashes(scanner, bytes, positions: false)
            #expect(fast == Self.hashes(reference, bytes, positions: true), "\(text)")
            if !fast.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 2500)
    }
}
