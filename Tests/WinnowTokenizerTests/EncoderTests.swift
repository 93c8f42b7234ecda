import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowTokenizer

/// A `.tiktoken` file's text for `tokens` (rank = position).
func tiktokenText(_ tokens: [[UInt8]]) -> [UInt8] {
    Array(tokens.enumerated().map { "\(Data($0.element).base64EncodedString()) \($0.offset)\n" }.joined().utf8)
}

/// The 256 single bytes at ranks 0...255, then `extra` from rank 256 on.
func tinyVocabulary(_ extra: [String], pattern: SplitPattern = .gpt2) throws -> BPEVocabulary {
    let tokens = (0..<256).map { [UInt8($0)] } + extra.map { Array($0.utf8) }
    return try BPEVocabulary(tiktoken: tiktokenText(tokens), pattern: pattern)
}

/// Encodings worked out by hand with tiktoken's rule (lowest-ranked adjacent concatenation first, leftmost on ties).
@Suite struct EncoderHandWorkedTests {
    func encode(_ vocabulary: BPEVocabulary, _ text: String) -> [UInt32] {
        BPEEncoder(vocabulary: vocabulary).encode(Array(text.utf8))
    }

    @Test func mergesByRank() throws {
        // ab=256 bc=257 abc=258 cd=259 aa=260
        let v = try tinyVocabulary(["ab", "bc", "abc", "cd", "aa"])
        #expect(encode(v, "abc") == [258])  // whole piece
        // abcd: ab(256) < bc(257) < cd(259): ab, then ab+c=abc(258), then abc+d is no token.
        #expect(encode(v, "abcd") == [258, 100])
        // bcd: bc(257) before cd(259): bc, d.
        #expect(encode(v, "bcd") == [257, 100])
        // aaa: aa at 0 and 1 tie; the leftmost merges: aa, a.
        #expect(encode(v, "aaa") == [260, 97])
        #expect(encode(v, "aaaaa") == [260, 260, 97])
        // Pieces split first (gpt2): " abc" is not a token: space, then ab, abc.
        #expect(encode(v, "abc abc") == [258, 32, 258])
    }

    @Test func wholePieceBeforeMerges() throws {
        // xyz is a token no merge reaches (no xy, yz): found as a whole piece only.
        let v = try tinyVocabulary(["xyz"])
        #expect(encode(v, "xyz") == [256])
        #expect(encode(v, "xyzx") == [120, 121, 122, 120])
    }

    @Test func specialTokenTextIsOrdinaryText() throws {
        let tokens = (0..<256).map { [UInt8($0)] } + [Array("<|".utf8)]
        let v = try BPEVocabulary(tiktoken: tiktokenText(tokens), pattern: .gpt2,
                                  specialTokens: [("<|endoftext|>", 1000)])
        let ids = BPEEncoder(vocabulary: v).encode(Array("a<|endoftext|>".utf8))
        #expect(ids == [97, 256] + Array("endoftext|>".utf8).map(UInt32.init))
        #expect(try v.decode([1000, 97]) == Array("<|endoftext|>a".utf8))
        #expect(throws: TokenizerFileError.self) { try v.decode([999]) }
    }
}

/// Properties on a tokenizer trained on the sample corpus: the heap path equals the scan path, decode inverts
/// encode, and every import/export path gives the same ids.
@Suite struct EncoderPropertyTests {
    static let documents: [[UInt8]] = (try? HFReference.sampleTexts()) ?? []

    static func trained(_ pattern: SplitPattern, vocabSize: Int = 1200, specials: [String] = []) -> BPEModel {
        var options = BPETrainingOptions(vocabSize: vocabSize)
        options.pattern = pattern
        options.specialTokens = specials
        let trainer = BPETrainer(options: options)
        for text in documents.prefix(150) { trainer.add(document: text) }
        return trainer.train()
    }

    static func randomBytes(_ rng: inout SeededGenerator, count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(rng.next(256)) }
    }

    @Test func heapPathEqualsScanPath() throws {
        let vocabulary = try BPEVocabulary(model: Self.trained(.llama3))
        let scan = BPEEncoder(vocabulary: vocabulary)
        scan.heapThreshold = .max
        let heap = BPEEncoder(vocabulary: vocabulary)
        heap.heapThreshold = 1
        var rng = SeededGenerator(state: 11)
        var pieces: [[UInt8]] = []
        for document in Self.documents.prefix(60) {
            // Long runs of the document's bytes, as one piece each.
            var i = 0
            while i < document.count {
                let n = 2 + rng.next(300)
                pieces.append(Array(document[i..<min(document.count, i + n)]))
                i += n
            }
        }
        for _ in 0..<200 { pieces.append(Array(repeating: "ab ".utf8.map { $0 }[rng.next(3)], count: 2 + rng.next(400))) }
        // Long runs of real words without spaces: thousands of merges on one piece.
        for document in Self.documents.prefix(20) {
            pieces.append(Array(document.filter { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }.prefix(6000)))
        }
        for _ in 0..<100 { pieces.append(Self.randomBytes(&rng, count: 2 + rng.next(100))) }
        for piece in pieces where piece.count >= 2 {
            var a: [UInt32] = [], b: [UInt32] = []
            piece.withUnsafeBufferPointer { p in
                scan.mergeByScan(p.baseAddress!, p.count, into: &a)
                heap.mergeByHeap(p.baseAddress!, p.count, into: &b)
            }
            #expect(a == b)
            #expect(try vocabulary.decode(a) == piece)
        }
    }

    @Test func decodeInvertsEncode() throws {
        var rng = SeededGenerator(state: 3)
        for pattern in SplitPattern.allCases {
            let vocabulary = try BPEVocabulary(model: Self.trained(pattern, vocabSize: 600))
            let encoder = BPEEncoder(vocabulary: vocabulary)
            var texts = Self.documents
            for _ in 0..<50 { texts.append(Self.randomBytes(&rng, count: rng.next(2000))) }
            texts.append(Array(String(repeating: "w", count: 20_000).utf8))
            texts.append(Array(String(repeating: " ", count: 300).utf8))
            for text in texts { #expect(try vocabulary.decode(encoder.encode(text)) == text, "\(pattern)") }
        }
    }

    /// The model's own vocabulary, its tokenizer.json (both merges forms) and its .tiktoken export encode alike.
    @Test func importsAndExportsEncodeAlike() throws {
        let model = Self.trained(.o200k, specials: ["<|endoftext|>", "<pad>"])
        #expect(model.tiktokenMismatch == nil)
        let reference = BPEEncoder(vocabulary: try BPEVocabulary(model: model))
        let config = try JSONSerialization.jsonObject(with: Data(model.tiktokenConfig())) as! [String: Any]
        let specials = (config["special_tokens"] as! [String: Int]).map { (text: $0.key, id: UInt32($0.value)) }
        let loaded = [
            try BPEVocabulary(tokenizerJSON: model.tokenizerJSON(merges: .pairs)),
            try BPEVocabulary(tokenizerJSON: model.tokenizerJSON(merges: .legacy)),
            try BPEVocabulary(tiktoken: model.tiktokenRanks(), pattern: .o200k, specialTokens: specials),
        ]
        for vocabulary in loaded {
            #expect(vocabulary.pattern == .o200k)
            let encoder = BPEEncoder(vocabulary: vocabulary)
            for text in Self.documents.suffix(100) { #expect(encoder.encode(text) == reference.encode(text)) }
            #expect(try vocabulary.decode([0, 1]) == Array("<|endoftext|><pad>".utf8))
        }
    }

    @Test func unsupportedPreTokenizersFailWithTheirName() throws {
        let model = Self.trained(.llama3, vocabSize: 300)
        var json = String(decoding: model.tokenizerJSON(), as: UTF8.self)
        json = json.replacingOccurrences(of: #"\\p{N}{1,3}"#, with: #"\\p{N}{1,4}"#)
        let error = #expect(throws: TokenizerFileError.self) { try BPEVocabulary(tokenizerJSON: Array(json.utf8)) }
        #expect(error?.description.contains(#"\\p{N}{1,4}"#) == true)
        // tiktoken's own cl100k spelling: HF reads `\p{N}{1,3}+` with unbounded digits, so it is not cl100k there.
        let cl100k = String(decoding: Self.trained(.cl100k, vocabSize: 300).tokenizerJSON(), as: UTF8.self)
            .replacingOccurrences(of: #"\\p{N}{1,3}|"#, with: #"\\p{N}{1,3}+|"#)
        #expect(throws: TokenizerFileError.self) { try BPEVocabulary(tokenizerJSON: Array(cl100k.utf8)) }
    }
}
