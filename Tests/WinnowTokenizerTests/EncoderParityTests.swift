import Foundation
import Testing
import WinnowTokenizer
import WinnowTestSupport

/// Winnow's encoder against HF `tokenizers` and tiktoken on the sample corpus (`Fixtures/encode_reference.py`):
/// - HF's `Tokenizer.from_file` on Winnow's tokenizer.json (both merges forms) and tiktoken built from Winnow's
///   `.tiktoken` export give Winnow's ids (gpt2 and llama3 presets, trained by Winnow);
/// - Winnow loading a tokenizer.json that HF trained with Llama 3's Split pattern encodes as HF does.
/// Texts: the 449 sample documents, a 20 kB word, 300 spaces, special-token text inside a document.
@Suite(.enabled(if: PythonReference.hasTiktoken, "needs Python with `tokenizers` and `tiktoken`"), .serialized)
struct EncoderParityTests {
    static func texts() throws -> [[UInt8]] {
        var texts = try HFReference.sampleTexts()
        texts.append(Array(String(repeating: "w", count: 20_000).utf8))
        texts.append(Array((String(repeating: " ", count: 300) + "x" + String(repeating: " ", count: 300)).utf8))
        texts.append(Array("text <|endoftext|> more<pad>\n\n  ".utf8))
        return texts
    }

    func compare(_ label: String, _ ours: [[UInt32]], _ theirs: Any?) {
        guard let theirs = theirs as? [[Int]] else {
            Issue.record("\(label): no reference ids")
            return
        }
        #expect(ours.count == theirs.count)
        let differing = zip(ours, theirs).enumerated().filter { $0.element.0.map(Int.init) != $0.element.1 }.map(\.offset)
        if let first = differing.first {
            Issue.record("\(label): \(differing.count) texts differ, first \(first): winnow \(ours[first].prefix(12)) reference \(theirs[first].prefix(12))")
        }
    }

    @Test(arguments: [SplitPattern.gpt2, .llama3])
    func hfAndTiktokenEncodeWinnowsExportsAlike(pattern: SplitPattern) throws {
        let documents = try HFReference.sampleTexts()
        var options = BPETrainingOptions(vocabSize: 2000)
        options.pattern = pattern
        options.specialTokens = ["<|endoftext|>", "<pad>"]
        let trainer = BPETrainer(options: options)
        for text in documents.prefix(documents.count * 4 / 5) { trainer.add(document: text) }
        let model = trainer.train()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try model.write(to: dir)
        try model.write(to: dir + "/legacy", merges: .legacy)
        try #require(model.tiktokenMismatch == nil)

        let texts = try Self.texts()
        let encoder = BPEEncoder(vocabulary: try BPEVocabulary(model: model))
        let ours = texts.map { encoder.encode($0) }
        for (text, ids) in zip(texts, ours) { #expect(try encoder.vocabulary.decode(ids) == text) }
        let result = try PythonReference.run("encode_reference.py", [
            "texts": texts.map { String(decoding: $0, as: UTF8.self) },
            "hf": [dir + "/tokenizer.json", dir + "/legacy/tokenizer.json"], "tiktoken": [dir + "/tiktoken.json"],
        ])
        let hf = result["hf"] as? [Any]
        compare("\(pattern) HF tokenizer.json", ours, hf?.first)
        compare("\(pattern) HF legacy merges", ours, hf?.last)
        compare("\(pattern) tiktoken", ours, (result["tiktoken"] as? [Any])?.first)
    }

    /// HF trains with GPT-2's ByteLevel pre-tokenizer, with Llama 3's Split pattern, and (as Qwen2's files have it)
    /// with Qwen2's pattern behind an NFC normalizer; Winnow loads HF's file and encodes like HF, decomposed accents
    /// included.
    @Test(arguments: [(SplitPattern.gpt2, false), (.llama3, false), (.qwen2, true)])
    func winnowEncodesHFTrainedTokenizerAsHF(pattern: SplitPattern, nfc: Bool) throws {
        let documents = try HFReference.sampleTexts()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let texts = try Self.texts() + ["cafe\u{301} e\u{301}\u{302}te A\u{30A} \u{212B} ﬁ ①", "한국어 한국어"].map { Array($0.utf8) }
        var training: [String: Any] = [
            "regex": pattern == .gpt2 ? NSNull() : pattern.hfRegex as Any, "vocab_size": 2500, "special_tokens": ["<|begin_of_text|>"],
            "texts": documents.prefix(300).map { String(decoding: $0, as: UTF8.self) }, "out": dir + "/hf.json",
        ]
        if nfc { training["normalizer"] = "NFC" }
        let result = try PythonReference.run("encode_reference.py", [
            "texts": texts.map { String(decoding: $0, as: UTF8.self) }, "train_hf": training,
        ])
        let vocabulary = try BPEVocabulary.load(path: dir + "/hf.json")
        #expect(vocabulary.pattern == pattern)
        #expect(vocabulary.normalization == (nfc ? .nfc : nil))
        let encoder = BPEEncoder(vocabulary: vocabulary)
        compare("HF-trained \(pattern)", texts.map { encoder.encode($0) }, result["trained_ids"])
    }
}
