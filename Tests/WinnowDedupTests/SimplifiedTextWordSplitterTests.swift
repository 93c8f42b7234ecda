import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTestSupport
import WinnowWordRules
@testable import WinnowDedup

/// `SimplifiedTextWordSplitter` (the fast path) gives the same words as the full spaCy-rules tokenizer
/// (`EnglishWordTokenizer`, which `MinHashGoldenTests` ties to datatrove) on simplified text.
@Suite struct SimplifiedTextWordSplitterTests {
    /// What `simplify_text` can leave: `a-z`, `0`, single and double spaces (a dropped mark between spaces), the
    /// punctuation it does not remove (`;` from a Greek question mark), non-ASCII letters, units and symbols that
    /// spaCy's suffix rules split after digits, emoji, words of other scripts; plus every special case made of
    /// `a-z0-9` only (derived from the tokenizer's table, so `cannot`, `gonna`, `10am`, `dont` ...), and prefixes
    /// and extensions of them, and every special case with non-ASCII characters.
    static let pieces: [String] = {
        var pieces = ["a", "e", "the", "can", "not", "am", "pm", "km", "kg", "mb", "gb", "m", "g", "t", "x", "0",
                      "00", "000", " ", " ", " ", " ", "  ", ";", "é", "ß", "ı", "км", "кг", "²", "°", "µm", "日本",
                      "한국", "🔎", "ω", "ς", "ﬁ", "\u{200B}", "\u{1100}\u{1161}", "'", "-", ".",
                      // Letters of other scripts (CMinHash's fast path takes chunks of them), and characters near them
                      // that the affix and infix rules test.
                      "привет", "мир", "λογος", "مرحبا", "שלום", "नमस्ते", "ไทย", "ー", "々", "·", "ʼ", "〃", "ǅ", "ﬀ", "№", "™"]
        for key in EnglishWordTokenizer.specialCaseKeys {
            let word = String(decoding: key, as: UTF8.self)
            // Special cases with non-ASCII characters (`(ಠ_ಠ)`, `’s`, ...), lowercased as simplified text is.
            if key.contains(where: { $0 >= 0x80 }) { pieces.append(word.lowercased()); continue }
            guard word.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else { continue }
            pieces += [word, String(word.dropLast()), word + "s", String(word.dropFirst())]
        }
        return pieces
    }()

    static func fullTokens(_ text: [UInt8]) -> [TokenSpan] {
        var out: [TokenSpan] = []
        text.withUnsafeBufferPointer { EnglishWordTokenizer().tokenize($0.baseAddress!, 0, $0.count, spaceTokens: false, into: &out) }
        return out
    }

    static func fastTokens(_ splitter: SimplifiedTextWordSplitter, _ text: [UInt8]) -> [TokenSpan] {
        var out: [TokenSpan] = []
        text.withUnsafeBufferPointer { splitter.tokenize($0.baseAddress!, $0.count, into: &out) }
        // `wordBounds` (CMinHash's fast path, used by MinHash signatures) must give the same words.
        var bounds: [Int64] = [7, 7]  // too small: it must grow
        let words = text.withUnsafeBufferPointer { splitter.wordBounds($0.baseAddress!, $0.count, into: &bounds) }
        let spans = (0..<words).map { TokenSpan(start: Int(bounds[2 * $0]), end: Int(bounds[2 * $0 + 1]), space: false) }
        #expect(spans == out, "wordBounds differs from tokenize on '\(String(decoding: text, as: UTF8.self))'")
        return out
    }

    @Test func equalsFullTokenizerOnRandomTexts() {
        var random = SplitMix64(seed: 1104)
        let splitter = SimplifiedTextWordSplitter()
        var splitBySpecials = 0
        for _ in 0..<20000 {
            var text = ""
            for _ in 0..<Int(random.next() % 16) { text += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
            let bytes = Array(text.utf8)
            guard !bytes.isEmpty else { continue }
            let expected = Self.fullTokens(bytes)
            #expect(Self.fastTokens(splitter, bytes) == expected, "\(text)")
            var chunks = 0
            for (k, b) in bytes.enumerated() where b != 0x20 && (k == 0 || bytes[k - 1] == 0x20) { chunks += 1 }
            if expected.count > chunks { splitBySpecials += 1 }
        }
        // The texts do contain chunks the rules split (special cases, units after digits).
        #expect(splitBySpecials > 500)
    }

    /// Hand-worked: special cases and a unit after a digit are split, plain words and numbers are not.
    @Test func handWorked() {
        let text = Array("we cannot 0km gonna 00 go dont 10am the".utf8)
        let words = Self.fastTokens(SimplifiedTextWordSplitter(), text).map { String(decoding: text[$0.start..<$0.end], as: UTF8.self) }
        #expect(words == ["we", "can", "not", "0", "km", "gon", "na", "00", "go", "do", "nt", "10", "am", "the"])
    }

    @Test func equalsFullTokenizerOnSampleCorpus() throws {
        let path = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        var stats = StageStats(name: "read")
        let simplifier = DedupTextSimplifier()
        let splitter = SimplifiedTextWordSplitter()
        var documents = 0
        try InputFormat.auto.resolve(path: path).reader(options: ReaderOptions()).read(file: path, stats: &stats, problem: { _ in }) { document in
            let simplified = simplifier.simplify(Array(document.text))
            guard !simplified.isEmpty else { return }
            documents += 1
            #expect(Self.fastTokens(splitter, simplified) == Self.fullTokens(simplified), "\(document.id)")
        }
        #expect(documents > 100)
    }
}
