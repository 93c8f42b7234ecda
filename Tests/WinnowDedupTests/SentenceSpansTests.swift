import Foundation
import Testing
import WinnowCore
@testable import WinnowDedup

/// Sentence splitting, span hashing and span removal of `sentence_dedup`, on hand-worked texts.
@Suite struct SentenceSpansTests {
    static func spans(_ text: String, _ splitting: SentenceSplitting, language: String = "en") -> [String] {
        let splitter = SentenceSplitter(splitting: splitting, language: .init())
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            splitter.split(b.baseAddress!, b.count, language: language)
            return splitter.spans.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        }
    }

    /// spaCy's sentencizer: a sentence starts at the first token that is not punctuation after `.`, `!` or `?`;
    /// a second space and a final line break are whitespace tokens, so they start sentences of their own
    /// (checked by hand against spacy.blank("en") + sentencizer: (0,12) (13,24) (25,35) (35,36)).
    @Test func spacySentencizer() {
        #expect(Self.spans("Hello world. This is it!  Next one?\n", .spacy) == ["Hello world.", "This is it!", " Next one?", "\n"])
        // Punctuation after the period stays in the sentence; "e.g." is one token and does not end a sentence.
        #expect(Self.spans("He said \"stop.\" Then e.g. left...", .spacy) == ["He said \"stop.\"", "Then e.g. left..."])
        #expect(Self.spans("", .spacy).isEmpty)
    }

    /// ICU sentence breaks (auto for a language other than English): Chinese full stops, Russian sentences,
    /// each segment with its trailing space.
    @Test func icuSentences() {
        #expect(Self.spans("今天天气很好。我们去公园散步。", .auto, language: "zh") == ["今天天气很好。", "我们去公园散步。"])
        #expect(Self.spans("Привет, мир. Как дела? Хорошо.", .auto, language: "ru") == ["Привет, мир. ", "Как дела? ", "Хорошо."])
        #expect(Self.spans("a\nb\r\nc", .lines) == ["a", "b", "c"])
    }

    /// Windows of 2 sentences over simplified sentences joined by a space; a window of sentences that simplify
    /// to nothing is skipped; the trailing line-break sentence is not counted.
    @Test func spanHashes() {
        let text = Array("One aa. Two bee. +++ . Three.\n".utf8)
        var seen: [(Int, UInt64)] = []
        text.withUnsafeBufferPointer { b in
            let splitter = SentenceSplitter(splitting: .spacy, language: .init())
            splitter.split(b.baseAddress!, b.count, language: "en")
            SpanHasher(sentences: 2).forEachSpan(b.baseAddress!, splitter.spans) { seen.append(($0, $1)) }
        }
        // Sentences (spaCy: "+++" is a symbol, not punctuation, so it starts one): "One aa." "Two bee." "+++ ."
        // "Three." "\n" -> simplified "one aa", "two bee", "" (datatrove's PUNCTUATION has "+"), "three".
        func h(_ s: String) -> UInt64 { XXH64Reference.hash(Array(s.utf8)) }
        #expect(seen.map(\.0) == [0, 1, 2])
        #expect(seen.map(\.1) == [h("one aa two bee"), h("two bee "), h(" three")])
        // The reference itself against python-xxhash 3 (xxh64_intdigest), short and long input.
        #expect(h("one a two b") == 4303843529074210514)
        #expect(h("the quick brown fox jumps over the lazy dog again") == 7919804518803784574)
    }

    /// datatrove's removal: a duplicate at sentence i removes i..<i+n with the whitespace before each, the
    /// rest is concatenated and left-stripped.
    @Test func spanRemoval() {
        let text = Array("A one. B two. C three. D four. E five.".utf8)
        let spans: [(start: Int, end: Int)] = [(0, 6), (7, 13), (14, 22), (23, 30), (31, 38)]
        let r = text.withUnsafeBufferPointer { SpanRemover(sentences: 2).remove($0, spans, duplicates: [0, 3], joinLines: false) }
        #expect(String(decoding: r.text, as: UTF8.self) == "C three.")
        #expect(r.removed.map { String(decoding: $0, as: UTF8.self) } == ["A one. B two.", "D four. E five."])
        #expect(r.removedUnits == 4)
        // Overlapping duplicates (1 and 2) make one removed run of three sentences.
        let o = text.withUnsafeBufferPointer { SpanRemover(sentences: 2).remove($0, spans, duplicates: [1, 2], joinLines: false) }
        #expect(String(decoding: o.text, as: UTF8.self) == "A one. E five.")
        #expect(o.removed.count == 1 && o.removedUnits == 3)
        // Lines are joined by line breaks.
        let lines = Array("x\ny\nz".utf8)
        let l = lines.withUnsafeBufferPointer { SpanRemover(sentences: 1).remove($0, [(0, 1), (2, 3), (4, 5)], duplicates: [1], joinLines: true) }
        #expect(String(decoding: l.text, as: UTF8.self) == "x\nz")
    }
}

/// XXH64 (seed 0) written from the specification (github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), to
/// check the span hashes independently of the library the step calls.
enum XXH64Reference {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F, p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63, p5: UInt64 = 0x27D4_EB2F_1656_67C5

    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 { rotl(acc &+ lane &* p2, 31) &* p1 }
    static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 { (acc ^ round(0, v)) &* p1 &+ p4 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) } }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt64 { (0..<4).reduce(0) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) } }

    static func hash(_ b: [UInt8]) -> UInt64 {
        var i = 0
        var acc: UInt64
        if b.count >= 32 {
            var v = [p1 &+ p2, p2, 0, 0 &- p1]
            while i + 32 <= b.count {
                for k in 0..<4 { v[k] = round(v[k], u64(b, i + 8 * k)) }
                i += 32
            }
            acc = rotl(v[0], 1) &+ rotl(v[1], 7) &+ rotl(v[2], 12) &+ rotl(v[3], 18)
            for k in 0..<4 { acc = merge(acc, v[k]) }
        } else {
            acc = p5
        }
        acc = acc &+ UInt64(b.count)
        while i + 8 <= b.count { acc = rotl(acc ^ round(0, u64(b, i)), 27) &* p1 &+ p4; i += 8 }
        if i + 4 <= b.count { acc = rotl(acc ^ (u32(b, i) &* p1), 23) &* p2 &+ p3; i += 4 }
        while i < b.count { acc = rotl(acc ^ (UInt64(b[i]) &* p5), 11) &* p1; i += 1 }
        acc ^= acc >> 33; acc = acc &* p2; acc ^= acc >> 29; acc = acc &* p3; acc ^= acc >> 32
        return acc
    }
}
