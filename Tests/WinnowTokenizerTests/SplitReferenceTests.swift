import Testing
import WinnowReferences
import WinnowTestSupport
import WinnowTokenizer

/// The scanners of every split pattern against the slow regex-shaped reference (`SplitRegexReference`, which reads
/// `SplitPattern.regex` itself) on seeded random text over `DifferentialText.alphabet`: the same check as the
/// `pretoken` fuzz target's differential, run by CI without fuzzing.
@Suite struct SplitReferenceTests {
    /// `regex.findall` of each preset's pattern in Python `regex` 2026.5.9 (values written down from it): the
    /// reference itself is right on them.
    static let handWorked: [(SplitPattern, String, [String])] = [
        (.cl100k, "I'LL  go\n\n  x 12345 ab!?\n", ["I", "'LL", " ", " go", "\n\n", " ", " x", " ", "123", "45", " ab", "!?\n"]),
        (.cl100k, "HelloWorld ǅungla ſ'ſ東京 x\u{301}y  \t\n", ["HelloWorld", " ǅungla", " ſ", "'ſ", "東京", " x", "\u{301}y", "  \t\n"]),
        (.cl100k, "naïve's 1234567 ../x\r\n/ ", ["naïve", "'s", " ", "123", "456", "7", " ../", "x", "\r\n", "/", " "]),
        (.llama3, "The CAT's 'Ve  ", ["The", " CAT", "'s", " '", "Ve", "  "]),
        (.llama3, "a  \n", ["a", "  \n"]),
        (.o200k, "I'LL  go\n\n  x 12345 ab!?\n", ["I'LL", " ", " go", "\n\n", " ", " x", " ", "123", "45", " ab", "!?\n"]),
        (.o200k, "HelloWorld ǅungla ſ'ſ東京 x\u{301}y  \t\n", ["Hello", "World", " ǅungla", " ſ'ſ", "東京", " x\u{301}y", "  \t\n"]),
        (.o200k, "The CAT's 'Ve  ", ["The", " CAT's", " '", "Ve", "  "]),
        (.qwen2, "naïve's 1234567 ../x\r\n/ ", ["naïve", "'s", " ", "1", "2", "3", "4", "5", "6", "7", " ../", "x", "\r\n", "/", " "]),
        (.gpt2, "I'LL  go\n\n  x 12345 ab!?\n", ["I", "'", "LL", " ", " go", "\n\n ", " x", " 12345", " ab", "!?", "\n"]),
        (.gpt2, "naïve's 1234567 ../x\r\n/ ", ["naïve", "'s", " 1234567", " ../", "x", "\r", "\n", "/", " "]),
    ]

    @Test func referenceSplitsAsPythonRegex() throws {
        for (pattern, text, expected) in Self.handWorked {
            let scalars = Array(text.unicodeScalars)
            let pieces = try SplitRegexReference(pattern.regex).split(scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
            #expect(pieces == expected, "\(pattern) on \(text.debugDescription)")
        }
    }

    @Test(arguments: SplitPattern.allCases)
    func scannerEqualsReferenceOnRandomText(_ pattern: SplitPattern) throws {
        let reference = try SplitRegexReference(pattern.regex)
        var random = SplitMix64(seed: 0x5EED_0000 + UInt64(SplitPattern.allCases.firstIndex(of: pattern)!))
        var failures = 0
        for _ in 0..<3000 {
            // A few characters per text, so that runs, contractions and whitespace lookaheads meet often.
            let palette = (0..<(1 + random.next(below: 7))).map { _ in UInt8(random.next(below: DifferentialText.alphabet.count)) }
            let text = DifferentialText(mapping: (0..<random.next(below: 40)).map { _ in palette[random.next(below: palette.count)] })
            let expected = text.byteRanges(reference.split(text.scalars))
            var got: [Range<Int>] = []
            text.utf8.withUnsafeBufferPointer { buffer in PreTokenizer(pattern: pattern).split(buffer) { got.append($0) } }
            if got != expected, failures < 5 {
                failures += 1
                Issue.record("\(pattern) split \(String(decoding: text.utf8, as: UTF8.self).debugDescription) into \(got), the reference into \(expected)")
            }
        }
    }
}
