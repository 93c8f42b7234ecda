import CXXHash
import Testing
import WinnowCore
import WinnowIO
import WinnowTestSupport
@testable import WinnowDedup

/// With `words: words`, an ASCII word is what lies between whitespace and punctuation, lowercased, each digit
/// run made one `0`, and hashed with xxh3: worked out here on seeded random ASCII texts (words short and longer
/// than the scanner's 256-byte fast path) and compared with `scan`'s hashes.
@Suite struct OverlapWordScannerASCIIWordsTests {
    @Test func asciiWordsAreLowercasedWithDigitRunsAsZero() {
        let long = String(repeating: "AbC12x", count: 50)  // 300 bytes
        let pieces = ["Hello", "WORLD", "abc", "x", "Z", "42", "7", "a1b22c", "3", long, long.lowercased() + "Q"]
        let separators = [" ", "\t", "\n", ".", ",", "-", "!", "'", "\"", " -- ", "...", "_", "\u{1}"]
        var random = SplitMix64(seed: 31)
        let scanner = OverlapWordScanner(mode: .words)
        var longWords = 0
        for _ in 0..<2000 {
            var text = ""
            for k in 0..<Int(1 + random.next() % 10) {
                // Pieces may also touch (no separator): "x" "42" is the word "x42".
                if k > 0 && random.next() % 4 != 0 { text += separators[Int(random.next() % UInt64(separators.count))] }
                text += pieces[Int(random.next() % UInt64(pieces.count))]
            }
            var expected: [UInt64] = [], word: [UInt8] = [], rawLength = 0
            func finish() {
                if !word.isEmpty { expected.append(word.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }) }
                if rawLength > 256 { longWords += 1 }
                word = []
                rawLength = 0
            }
            var previousDigit = false
            for b in Array(text.utf8) {
                let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A), digit = b >= 0x30 && b <= 0x39
                if !letter && !digit { finish(); previousDigit = false; continue }
                rawLength += 1
                if digit { if !previousDigit { word.append(0x30) } } else { word.append(letter && b <= 0x5A ? b + 0x20 : b) }
                previousDigit = digit
            }
            finish()
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { scanner.scan($0.baseAddress!, $0.count) }
            #expect(scanner.wordHashes == expected, "\(text)")
        }
        #expect(longWords > 100)
    }
}

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
