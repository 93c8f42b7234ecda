import Testing
import WinnowTestSupport
import WinnowText

@Suite struct UnicodeNormalizerTests {
    @Test func pythonReference() {
        let normalizers = [NormalizationForm.nfc, .nfkc, .nfd, .nfkd].map { UnicodeNormalizer(form: $0) }
        for row in PythonReference.normalization {
            let input = hex(row.0)
            let expected = [row.1, row.2, row.3, row.4]
            for (normalizer, want) in zip(normalizers, expected) {
                let out = normalizer.normalize(input)
                #expect(hexString(out) == want, "\(normalizer.form) of \(String(decoding: input, as: UTF8.self))")
                #expect(normalizer.isNormalized(input) == (hexString(input) == want))
                #expect(normalizer.isNormalized(out))
            }
        }
    }

    @Test func nfkcCasefold() {
        let normalizer = UnicodeNormalizer(form: .nfkcCasefold)
        for (input, expected) in PythonReference.nfkcCasefold {
            #expect(hexString(normalizer.normalize(hex(input))) == expected)
        }
        // Default-ignorable code points are removed (soft hyphen, zero-width joiner).
        #expect(normalizer.normalize(Array("Ab\u{AD}c\u{200D}D".utf8)) == Array("abcd".utf8))
        #expect(normalizer.normalizeIfChanged(Array("already folded".utf8)) == nil)
        #expect(normalizer.normalizeIfChanged(Array("Capital".utf8)) == Array("capital".utf8))
    }

    @Test func handWorkedExamples() {
        let nfc = UnicodeNormalizer(form: .nfc)
        let nfd = UnicodeNormalizer(form: .nfd)
        let nfkc = UnicodeNormalizer(form: .nfkc)
        #expect(nfc.normalize(Array("e\u{301}".utf8)) == Array("é".utf8))
        #expect(nfd.normalize(Array("é".utf8)) == [0x65, 0xCC, 0x81])
        #expect(nfd.normalize(Array("\u{AC00}".utf8)) == Array("\u{1100}\u{1161}".utf8))  // 가
        #expect(nfc.normalize(Array("\u{1100}\u{1161}\u{11A8}".utf8)) == Array("\u{AC01}".utf8))  // 각
        #expect(nfkc.normalize(Array("ﬁ ² ①".utf8)) == Array("fi 2 1".utf8))
        // Canonical reordering: dot below (ccc 220) before acute (ccc 230).
        #expect(nfd.normalize(Array("a\u{301}\u{323}".utf8)) == Array("a\u{323}\u{301}".utf8))
    }

    @Test func unchangedTextIsNotCopied() {
        for form in NormalizationForm.allCases {
            let normalizer = UnicodeNormalizer(form: form)
            for text in ["plain ascii text that is long enough for the word loop", "中文 text", ""] {
                let bytes = Array(text.utf8)
                if form == .nfkcCasefold || text.isEmpty || bytes.allSatisfy({ $0 < 0x80 }) || form == .nfc || form == .nfd {
                    let out = normalizer.normalize(bytes)
                    #expect(out == bytes)
                    #expect(sameStorage(out, bytes) || bytes.isEmpty)
                }
            }
        }
    }

    /// NFC recognizes text below U+0300 without ICU; a combining mark right after it still composes.
    @Test func nfcByteScanBoundary() {
        let nfc = UnicodeNormalizer(form: .nfc)
        #expect(nfc.normalizeIfChanged(Array("Économie française, Łódź, ǅ ɐ ˿".utf8)) == nil)
        #expect(nfc.normalizeIfChanged(Array("Economie franc\u{327}aise".utf8)) == Array("Economie française".utf8))
        #expect(nfc.normalizeIfChanged(Array("\u{2FF}\u{300}".utf8)) == nil)  // ˿ does not compose
        #expect(nfc.normalizeIfChanged(Array("\u{340}".utf8)) == Array("\u{300}".utf8))  // singleton
        #expect(UnicodeNormalizer(form: .nfd).normalizeIfChanged(Array("É".utf8)) == Array("E\u{301}".utf8))
        #expect(UnicodeNormalizer(form: .nfkc).normalizeIfChanged(Array("a\u{A0}b".utf8)) == Array("a b".utf8))
    }

    /// Reusing one normalizer across texts of growing and shrinking size (scratch buffers grow), and a
    /// text whose NFKD is 18 times longer (U+FDFA), beyond the first output estimate.
    @Test func scratchBuffersGrow() {
        let nfkd = UnicodeNormalizer(form: .nfkd)
        for count in [1, 1000, 10, 20_000, 3] {
            let input = Array(String(repeating: "\u{FDFA}", count: count).utf8)
            let out = nfkd.normalize(input)
            let expected = String(repeating: "\u{635}\u{644}\u{649} \u{627}\u{644}\u{644}\u{647} \u{639}\u{644}\u{64A}\u{647} \u{648}\u{633}\u{644}\u{645}", count: count)
            #expect(out == Array(expected.utf8))
        }
        let nfc = UnicodeNormalizer(form: .nfc)
        let long = Array((String(repeating: "abc ", count: 50_000) + "e\u{301}").utf8)
        #expect(nfc.normalize(long) == Array((String(repeating: "abc ", count: 50_000) + "é").utf8))
    }

    @Test func formNamesMatchYAML() {
        #expect(NormalizationForm.allCases.map(\.rawValue) == ["nfc", "nfkc", "nfd", "nfkd", "nfkc_casefold"])
    }
}
