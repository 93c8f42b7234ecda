import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowDedup

/// `simplify_text`'s one-pass path (scalar by scalar, through a per-scalar cache) against its step-by-step path
/// (lowercase the whole text, then numbers, punctuation and whitespace, then NFD of the whole text and marks
/// dropped), which `MinHashGoldenTests` ties to datatrove, on seeded random texts built from pieces that exercise
/// every rule and the interactions between scalars: digits around separators, marks between spaces, precomposed
/// and decomposed accents, Hangul, emoji, characters whose NFD is punctuation, and the scalars the one-pass path
/// hands over to the step-by-step path.
@Suite struct DedupTextSimplifierTests {
    static let pieces: [String] = [
        "a", "Word", "ZEBRA", " ", "  ", "\t", "\n", ".", ",", "!", "'", "-", "1", "42", "3.14", "7,5", "0.", "9,",
        "é", "É", "e\u{301}", "\u{301}", "\u{323}\u{301}", "ß", "Ω", "\u{2126}", "\u{212B}", "ǅ", "ﬁ", "Σ", "σ",
        "한", "국어", "🔎", "😀", "\u{1D15E}", "\u{A0}", "\u{3000}", "\u{2003}", "\u{85}", "\u{9}", "\u{7F}",
        "٣", "٫", "،", "٣٫٥", "—", "“", "”", "…", "。", "，", "\u{37E}", "\u{387}", "\u{344}", "\u{F73}", "\u{CCB}",
        "İ", "ǰ", "\u{1E9E}", "ﾊﾟ", "\u{FF11}", "x\u{308}", "\u{2396}", "12\u{2397}3", "\u{200B}", "\u{FEFF}",
    ]

    @Test func onePassEqualsStepByStep() {
        var random = SplitMix64(seed: 2026)
        let simplifier = DedupTextSimplifier()
        var onePassTexts = 0
        for round in 0..<4000 {
            var text = ""
            let count = Int(random.next() % 24)
            for _ in 0..<count { text += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
            // Mostly-ASCII texts too, where only a few scalars are not.
            if round % 4 == 0 { text = "The quick brown fox 12 " + text + " jumps." }
            let bytes = Array(text.utf8)
            let expected = simplifier.simplifyStepByStep(bytes)
            let got = simplifier.simplify(bytes)
            #expect(got == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if simplifier.takesOnePass(bytes) { onePassTexts += 1 }
        }
        // Both paths are exercised (İ and U+1D15E send a text to the step-by-step path).
        #expect(onePassTexts > 2000 && onePassTexts < 4000)
    }

    /// CMinHash's ASCII path (`winnow_simplify_ascii`: with AVX-512 64-byte blocks up to their first digit or
    /// non-ASCII byte, else 16-byte blocks of letters and single spaces inside word runs; texts under 64 bytes
    /// take the byte-by-byte loop) against the step-by-step path: seeded random texts of long runs of words and
    /// single spaces, broken by what must leave the blocks to the byte-by-byte path or to Swift (two spaces, a
    /// tab or newline, a space before punctuation or a digit, numbers with separators of other scripts, a
    /// dropped mark between spaces, a non-ASCII letter, leading spaces), placed at every offset of a block, and
    /// a hand-worked example.
    @Test func asciiWordBlocksEqualStepByStep() {
        var random = SplitMix64(seed: 1616)
        let simplifier = DedupTextSimplifier()
        let words = ["a", "Of", "the", "QUICK", "brown", "Jumps", "xylophone", "internationalization"]
        let breaks = ["  ", "\t", "\n", " .", " ,x", " 7", " 3.5 ", "!", " \u{301}", " \u{301}b", "é", " Ω", "-", "  \n ",
                      "...", " (a) ", "12\u{2397}3", "4٫5", "٣", " \u{301} ", "3.", ",5"]
        var blocksUsed = 0
        for round in 0..<3000 {
            var text = round % 3 == 0 ? String(repeating: " ", count: Int(random.next() % 3)) : ""
            for _ in 0..<Int(random.next() % 60) {
                if !text.isEmpty { text += random.next() % 6 == 0 ? breaks[Int(random.next() % UInt64(breaks.count))] : " " }
                text += words[Int(random.next() % UInt64(words.count))]
            }
            if random.next() % 2 == 0 { text += breaks[Int(random.next() % UInt64(breaks.count))] }
            let bytes = Array(text.utf8)
            #expect(simplifier.simplify(bytes) == simplifier.simplifyStepByStep(bytes), "\(text)")
            if bytes.count >= 32 { blocksUsed += 1 }
        }
        #expect(blocksUsed > 1000)
        let hand = Array("The Quick Brown Fox Jumps Over  The Lazy Dog, AGAIN and again \u{301} x".utf8)
        #expect(String(decoding: simplifier.simplify(hand), as: UTF8.self) == "the quick brown fox jumps over the lazy dog again and again  x")
    }

    /// The ASCII path (`simplifyASCII`, used per word by the decontamination scanner) against the step-by-step
    /// path, on seeded random ASCII texts of digits next to separators, punctuation, controls, letters of both cases.
    @Test func asciiPathEqualsStepByStep() {
        var random = SplitMix64(seed: 77)
        let simplifier = DedupTextSimplifier()
        let pieces = ["a", "Zq", "HELLO", "x", " ", "\t", "\u{1}", "\u{1F}", "\u{7F}", ".", ",", ":", "-", "'", "_", "$",
                      "0", "7", "42", "3.14", "1,000", "9.", ",5", "1.2.3", "12:30", "0km", "A1b2"]
        var output: [UInt8] = []
        for _ in 0..<5000 {
            var text = ""
            for _ in 0..<Int(random.next() % 16) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { DedupTextSimplifier.simplifyASCII($0.baseAddress!, 0, $0.count, into: &output) }
            #expect(output == simplifier.simplifyStepByStep(bytes), "\(Array(text.utf8))")
        }
        // By hand: the number rule takes one separator, punctuation and spaces fold into one space.
        let hand = Array("x 3.14.15, Foo!!bar ".utf8)
        hand.withUnsafeBufferPointer { DedupTextSimplifier.simplifyASCII($0.baseAddress!, 0, $0.count, into: &output) }
        #expect(String(decoding: output, as: UTF8.self) == "x 0 0 foo bar")
    }

    /// Hand-worked: a dropped mark still separates (two spaces stay), at the ends it leaves nothing; Hangul is
    /// decomposed into its jamo; an emoji is kept; a Greek question mark becomes `;` after the punctuation step.
    @Test(arguments: [
        ("a \u{301} b", "a  b"),
        ("\u{301} a \u{301}", "a"),
        ("1\u{301}2", "00"),
        ("한", "\u{1112}\u{1161}\u{11AB}"),
        ("Find 🔎 it", "find 🔎 it"),
        ("what\u{37E}", "what;"),
    ])
    func handWorked(input: String, expected: String) {
        #expect(String(decoding: DedupTextSimplifier().simplify(Array(input.utf8)), as: UTF8.self) == expected)
    }

    /// Words of many scripts (precomposed and decomposed accents, Vietnamese stacked marks, Cyrillic, Greek
    /// without capital sigma, whose final form datatrove keeps and Winnow does not, Arabic and Hebrew with vowel
    /// marks, Devanagari and Bengali with vowel signs and virama, Thai, CJK, kana, Hangul, Georgian, Armenian,
    /// digits of other scripts, fullwidth forms, emoji, U+0130 and U+1D15E, which take the step-by-step path).
    static let mixedScriptWords: [String] = [
        "Straße", "naïve", "CAFÉ", "cafe\u{301}", "Việt", "Nguyễn", "Ünïcödé", "Ærø", "ŁÓDŹ", "İstanbul", "Привет",
        "МИР", "ёлка", "Ωμέγα", "ΑΘΗΝΑ", "λόγος", "مرحبا", "كِتَابٌ", "٣٫٥", "١٢٣", "שָׁלוֹם", "עברית", "नमस्ते", "हिन्दी",
        "१२३", "বাংলা", "ภาษาไทย", "中文", "漢字。", "日本語", "ｶﾀｶﾅ", "ひらがな", "한국어", "ქართული", "Հայերեն", "ＦＵＬＬ",
        "１２", "😀", "🔎︎", "\u{1D15E}", "x\u{308}", "3.14", "1,000", "12:30", "don't", "e-mail", "(ok)", "“quoted”",
        "—", "…", "«ça»", "ǅemal", "ﬁne", "Å", "\u{212B}",
    ]
    static let mixedScriptSeparators = [" ", "  ", "\n", "\t", "\u{A0}", "\u{3000}", "", ", ", ". ", "-"]

    /// Seeded random texts mixing those words and separators.
    static func mixedScriptTexts() -> [String] {
        var random = SplitMix64(seed: 4242)
        var texts: [String] = []
        for _ in 0..<3000 {
            var text = ""
            for k in 0..<Int(1 + random.next() % 12) {
                if k > 0 { text += mixedScriptSeparators[Int(random.next() % UInt64(mixedScriptSeparators.count))] }
                text += mixedScriptWords[Int(random.next() % UInt64(mixedScriptWords.count))]
            }
            texts.append(text)
        }
        return texts
    }

    /// Mixed-script texts simplified by one reused instance (its tables warm across calls and shared by both
    /// paths) equal a fresh instance's step-by-step path; both paths are taken.
    @Test func mixedScriptReusedInstanceEqualsStepByStep() {
        let reused = DedupTextSimplifier(), reference = DedupTextSimplifier()
        var onePass = 0
        let texts = Self.mixedScriptTexts()
        for text in texts {
            let bytes = Array(text.utf8)
            #expect(reused.simplify(bytes) == reference.simplifyStepByStep(bytes), "\(text)")
            if reused.takesOnePass(bytes) { onePass += 1 }
        }
        #expect(onePass > 1000 && onePass < texts.count)
    }

    /// The same texts against datatrove 0.10.1's `simplify_text` itself.
    @Test(.enabled(if: datatroveSimplifyAvailable || referenceRequired,
                   "needs datatrove 0.10.1 (pip install --no-deps datatrove==0.10.1); set WINNOW_REQUIRE_REFERENCE=1 to make this an error"))
    func mixedScriptEqualsDatatrove() throws {
        let texts = Self.mixedScriptTexts()
        let output = try python("""
            import json, sys
            from datatrove.utils.text import simplify_text
            print(json.dumps([simplify_text(t) for t in json.load(sys.stdin)]))
            """, stdin: try JSONSerialization.data(withJSONObject: texts))
        let expected = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String]
        #expect(expected.count == texts.count)
        let simplifier = DedupTextSimplifier()
        for (text, e) in zip(texts, expected) {
            #expect(String(decoding: simplifier.simplify(Array(text.utf8)), as: UTF8.self) == e, "\(text)")
        }
    }
}

/// Whether datatrove's `simplify_text` can run here (datatrove 0.10.1, installed without its dependencies).
let datatroveSimplifyAvailable: Bool = {
    (try? python("from datatrove.utils.text import simplify_text")) != nil
}()
