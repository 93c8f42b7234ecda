import WinnowTestSupport
import Testing
import WinnowText

@Suite struct UTF8ValidationTests {
    func repair(_ bytes: [UInt8]) -> ([UInt8], Int) {
        var out = [UInt8]()
        let n = bytes.withUnsafeBytes { UTF8Validation.appendRepairing($0, to: &out) }
        return (out, n)
    }

    func valid(_ bytes: [UInt8]) -> Bool { UTF8Validation.isValid(bytes) }

    func prefix(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBytes { UTF8Validation.validPrefixLength($0) } }

    // Unicode 15 core spec, section 3.9, table 3-8: "Use of U+FFFD in UTF-8 Conversion". The maximal
    // subparts are F1 80 80 | E1 80 | C2 | 80 | 80 | BF: three replacements between a and b.
    @Test func unicodeTable3_8Example() {
        let input: [UInt8] = [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64]
        let expected = Array("a\u{FFFD}\u{FFFD}\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}d".utf8)
        let (out, n) = repair(input)
        #expect(out == expected)
        #expect(n == 6)
        #expect(!valid(input))
        #expect(prefix(input) == 1)
    }

    // The examples of the Unicode core spec, section 3.9, tables 3-9 to 3-12 (U+FFFD substitution of
    // maximal subparts).
    @Test(arguments: [
        // Table 3-9, non-shortest forms: one U+FFFD per byte.
        ([0xC0, 0xAF, 0xE0, 0x80, 0xBF, 0xF0, 0x81, 0x82, 0x41], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}A"),
        // Table 3-10, surrogates: one per byte.
        ([0xED, 0xA0, 0x80, 0xED, 0xBF, 0xBF, 0xED, 0xAF, 0x41], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}A"),
        // Table 3-11, other ill-formed sequences.
        ([0xF4, 0x91, 0x92, 0x93, 0xFF, 0x41, 0x80, 0xBF, 0x42], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}A\u{FFFD}\u{FFFD}B"),
        // Table 3-12, truncated sequences: one per maximal subpart.
        ([0xE1, 0x80, 0xE2, 0xF0, 0x91, 0x92, 0xF1, 0xBF, 0x41], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}A"),
    ] as [([UInt8], String)])
    func unicodeSection3_9Examples(input: [UInt8], expected: String) {
        let (out, n) = repair(input)
        #expect(out == Array(expected.utf8))
        #expect(n == expected.unicodeScalars.filter { $0 == "\u{FFFD}" }.count)
    }

    @Test func boundariesOfWellFormedSequences() {
        // Table 3-7, every row's smallest and largest sequence.
        let good: [[UInt8]] = [
            [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xE0, 0xBF, 0xBF],
            [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF], [0xED, 0x80, 0x80], [0xED, 0x9F, 0xBF],
            [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0xBF, 0xBF, 0xBF],
            [0xF1, 0x80, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF], [0xF4, 0x80, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for g in good { #expect(valid(g), "\(hexString(g))") }
        let bad: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
            [0xED, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xFF], [0xC2], [0xE1, 0x80], [0xF1, 0x80, 0x80], [0xC2, 0x41], [0xE1, 0x41, 0x80],
        ]
        for b in bad { #expect(!valid(b), "\(hexString(b))") }
    }

    @Test func validPrefixStopsBeforeTheBrokenCharacter() {
        let text = Array("héllo 中文".utf8)
        #expect(prefix(text) == text.count)
        #expect(prefix(Array(text.dropLast())) == text.count - 3)
        #expect(prefix(Array(text.dropLast(2))) == text.count - 3)
        #expect(prefix([]) == 0)
        #expect(UTF8Validation.isValid([]))
    }

    @Test func repairedReturnsValidInputWithoutCopying() {
        let text = Array(String(repeating: "valid text, 中文, 😀 ", count: 100).utf8)
        let (out, n) = UTF8Validation.repaired(text)
        #expect(n == 0)
        #expect(sameStorage(out, text))

        let broken = text + [0xFF] + text
        let (fixed, m) = UTF8Validation.repaired(broken)
        #expect(m == 1)
        #expect(fixed == text + [0xEF, 0xBF, 0xBD] + text)
    }

    @Test func appendRepairingAppends() {
        var out = Array("prefix:".utf8)
        let n = [UInt8]([0x41, 0xC3]).withUnsafeBytes { UTF8Validation.appendRepairing($0, to: &out) }
        #expect(n == 1)
        #expect(out == Array("prefix:A\u{FFFD}".utf8))
    }

    @Test func pythonReference() {
        for (input, expected, replacements) in PythonReference.utf8Repair {
            let bytes = hex(input)
            let (out, n) = repair(bytes)
            #expect(hexString(out) == expected, "input \(input)")
            #expect(n == replacements, "input \(input)")
            #expect(valid(bytes) == (replacements == 0), "input \(input)")
        }
    }

    /// Every position of the 8-byte ASCII fast path: one bad byte or character at each offset.
    @Test func asciiFastPathAtEveryOffset() {
        for length in 0..<40 {
            for position in 0..<max(length, 1) {
                for inserted in [[0x80], [0xC3, 0xA9], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x98]] as [[UInt8]] {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes.insert(contentsOf: inserted, at: min(position, length))
                    let reference = Array(String(decoding: bytes, as: UTF8.self).utf8)
                    #expect(repair(bytes).0 == reference)
                    #expect(valid(bytes) == (String(validating: bytes, as: UTF8.self) != nil))
                }
            }
        }
    }

    /// Random bytes: the repaired output is valid and equals Swift's own maximal-subpart decoding
    /// (`String(decoding:as:)`), and the count is the number of U+FFFD it holds (inputs never contain BD,
    /// so never a U+FFFD of their own).
    @Test func randomBytesMatchSwiftDecoding() {
        var rng = SplitMix64(seed: 42)
        let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                    0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...48, using: &rng)
            var bytes = [UInt8]()
            for _ in 0..<length {
                var b = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                if b == 0xBD { b = 0xBC }
                bytes.append(b)
            }
            let (out, n) = repair(bytes)
            let reference = Array(String(decoding: bytes, as: UTF8.self).utf8)
            #expect(out == reference, "input \(hexString(bytes))")
            #expect(valid(out))
            var fffd = 0
            for scalar in String(decoding: out, as: UTF8.self).unicodeScalars where scalar == "\u{FFFD}" { fffd += 1 }
            #expect(n == fffd, "input \(hexString(bytes))")
            #expect(valid(bytes) == (n == 0))
            if n == 0 { #expect(out == bytes) }
        }
    }
}
