import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowText
import WinnowTokenizer
import WinnowTestSupport

/// Exactness against HF `tokenizers` (the reference): vocab and merges of `BpeTrainer` with the ByteLevel
/// pre-tokenizer and the full byte alphabet, and encodings of Winnow's `tokenizer.json` loaded by HF.
/// Expectations come from `Fixtures/hf_reference.py`, never from Winnow's own output.
enum HFReference {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let script = testsDirectory.appendingPathComponent("Fixtures/hf_reference.py").path
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static var python: String { ProcessInfo.processInfo.environment["WINNOW_PYTHON"] ?? "python3" }

    /// Whether the HF suites run: Python can import `tokenizers` (`pip install tokenizers`), or
    /// `WINNOW_REQUIRE_REFERENCE=1` is set (CI), so that a missing reference fails instead of skipping.
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1" { return true }
        guard let result = try? runProcess([python, "-c", "import tokenizers"]) else { return false }
        return result == 0
    }()

    @discardableResult
    static func runProcess(_ arguments: [String], stderrPath: String? = nil) throws -> Int32 {
        try ProcessRunner.status(arguments, stderrPath: stderrPath)
    }

    struct Result {
        var vocab: [String]
        var merges: [[String]]
        var hfIDs: [[Int]]
        var winnowIDs: [[Int]]
        var winnowDecodedEqual: Bool
        var winnowLegacyIDs: [[Int]]
        var winnowFilesIDs: [[Int]]
    }

    static func run(train: [String], heldout: [String], vocabSize: Int, minFrequency: Int, specials: [String],
                    maxTokenLength: Int? = nil, pattern: SplitPattern = .gpt2, normalization: NormalizationForm? = nil, winnowTokenizer: String?,
                    in dir: String) throws -> Result {
        var request: [String: Any] = [
            "train": train, "heldout": heldout, "vocab_size": vocabSize, "min_frequency": minFrequency,
            "special_tokens": specials,
        ]
        if let normalization { request["normalizer"] = normalization.rawValue }
        if pattern != .gpt2 { request["pattern_regex"] = pattern.hfRegex }
        if let maxTokenLength { request["max_token_length"] = maxTokenLength }
        if let winnowTokenizer {
            // `dir` holds tokenizer.json, vocab.json, merges.txt and legacy/tokenizer.json.
            let base = (winnowTokenizer as NSString).deletingLastPathComponent
            request["winnow_tokenizer"] = winnowTokenizer
            request["winnow_tokenizer_legacy"] = base + "/legacy/tokenizer.json"
            request["winnow_vocab"] = base + "/vocab.json"
            request["winnow_merges"] = base + "/merges.txt"
        }
        let requestPath = dir + "/request.json", resultPath = dir + "/result.json", errPath = dir + "/stderr.txt"
        try JSONSerialization.data(withJSONObject: request).write(to: URL(fileURLWithPath: requestPath))
        let status = try runProcess([python, script, requestPath, resultPath], stderrPath: errPath)
        guard status == 0 else {
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw TestFailure("hf_reference.py failed (\(status)): \(err)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as! [String: Any]
        return Result(
            vocab: json["vocab"] as! [String], merges: json["merges"] as! [[String]],
            hfIDs: json["hf_ids"] as! [[Int]], winnowIDs: (json["winnow_ids"] as? [[Int]]) ?? [],
            winnowDecodedEqual: (json["winnow_decoded_equal"] as? Bool) ?? false,
            winnowLegacyIDs: (json["winnow_legacy_ids"] as? [[Int]]) ?? [],
            winnowFilesIDs: (json["winnow_files_ids"] as? [[Int]]) ?? [])
    }

    /// The texts of the repository's sample JSONL (whole documents).
    static func sampleTexts() throws -> [[UInt8]] {
        let path = repository.appendingPathComponent("Samples/sample-00000.jsonl.zst").path
        var texts: [[UInt8]] = []
        var stats = StageStats(name: "read")
        try JSONLReader().read(file: path, stats: &stats, problem: { _ in }, emit: { texts.append($0.text) })
        return texts
    }
}

@Suite(.enabled(if: HFReference.available, "needs Python with `tokenizers` (pip install tokenizers)"), .serialized)
struct HFTrainerParityTests {
    /// Trains Winnow and HF on the same texts and compares everything.
    func check(train: [[UInt8]], heldout: [[UInt8]], vocabSize: Int, minFrequency: Int, specials: [String],
               maxTokenLength: Int? = nil, pattern: SplitPattern = .gpt2, normalization: NormalizationForm? = nil) throws {
        var options = BPETrainingOptions(vocabSize: vocabSize)
        options.pattern = pattern
        options.minFrequency = Int64(minFrequency)
        options.specialTokens = specials
        options.maxTokenLength = maxTokenLength
        options.normalization = normalization
        let trainer = BPETrainer(options: options)
        for text in train { trainer.add(document: text) }
        let model = trainer.train()

        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try model.write(to: dir)
        try model.write(to: dir + "/legacy", merges: .legacy)
        let reference = try HFReference.run(
            train: train.map { String(decoding: $0, as: UTF8.self) },
            heldout: heldout.map { String(decoding: $0, as: UTF8.self) },
            vocabSize: vocabSize, minFrequency: minFrequency, specials: specials, maxTokenLength: maxTokenLength,
            pattern: pattern, normalization: normalization, winnowTokenizer: dir + "/tokenizer.json", in: dir)

        #expect(model.vocab.count == reference.vocab.count)
        if let i = zip(model.vocab, reference.vocab).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("vocab differs first at id \(i): winnow \(model.vocab[i]) hf \(reference.vocab[i])")
        }
        let ours = model.merges.map { [model.vocab[$0.left], model.vocab[$0.right]] }
        #expect(ours.count == reference.merges.count)
        if let i = zip(ours, reference.merges).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("merge \(i) differs: winnow \(ours[i]) hf \(reference.merges[i])")
        }
        #expect(reference.winnowIDs == reference.hfIDs)
        #expect(reference.winnowLegacyIDs == reference.hfIDs)
        if normalization != nil {
            // Winnow's encoder normalizes like HF: from the model, and from the tokenizer.json it wrote.
            for vocabulary in [try BPEVocabulary(model: model), try BPEVocabulary.load(path: dir + "/tokenizer.json")] {
                let encoder = BPEEncoder(vocabulary: vocabulary)
                #expect(heldout.map { encoder.encode($0).map(Int.init) } == reference.hfIDs)
            }
        }
        if normalization == nil {
            // vocab.json + merges.txt carry no normalizer, and normalized text does not decode to the original.
            #expect(reference.winnowFilesIDs == reference.hfIDs)
            #expect(reference.winnowDecodedEqual)
        }
    }

    @Test func sampleCorpusWithSpecials() throws {
        let texts = try HFReference.sampleTexts()
        let split = texts.count * 4 / 5
        try check(train: Array(texts[..<split]), heldout: Array(texts[split...]), vocabSize: 1500, minFrequency: 0,
                  specials: ["<|endoftext|>", "<pad>"])
    }

    /// NFKC and NFC before splitting, as HF's normalizers do; the texts get compatibility characters
    /// (ligatures, full-width letters, superscripts, decomposed accents) so the forms matter. HF also loads the
    /// normalizer from Winnow's tokenizer.json when it encodes the held-out texts.
    @Test(arguments: [NormalizationForm.nfkc, .nfc])
    func normalizationEqualsHF(form: NormalizationForm) throws {
        let extra = ["ﬁnal ﬂow ＡＢＣ ｄｅｆ x² H₂O", "Cafe\u{301} re\u{301}sume\u{301} Å ½ ㎞", "①②③ ﬁﬁﬁ ＡＢＣ"]
        let texts = try HFReference.sampleTexts().prefix(200).map { $0 + Array(" \(extra[$0.count % 3])".utf8) }
        try check(train: Array(texts[..<160]), heldout: Array(texts[160...]) + extra.map { Array($0.utf8) },
                  vocabSize: 800, minFrequency: 0, specials: [], normalization: form)
    }

    /// Training with the Llama 3 and o200k patterns equals HF's BpeTrainer behind the same Split pre-tokenizer.
    @Test(arguments: [SplitPattern.llama3, .o200k])
    func sampleCorpusWithSplitPattern(pattern: SplitPattern) throws {
        let texts = try HFReference.sampleTexts()
        let split = texts.count * 4 / 5
        try check(train: Array(texts[..<split]), heldout: Array(texts[split...]), vocabSize: 1500, minFrequency: 2,
                  specials: ["<|begin_of_text|>"], pattern: pattern)
    }

    @Test func minFrequencyStopsEarly() throws {
        let texts = try HFReference.sampleTexts()
        let split = texts.count * 4 / 5
        // A vocabulary far larger than the pairs seen 40 times: training stops at min_frequency.
        try check(train: Array(texts[..<split]), heldout: Array(texts[split...]), vocabSize: 50_000, minFrequency: 40,
                  specials: [])
    }

    @Test func maxTokenLength() throws {
        let texts = try HFReference.sampleTexts()
        let split = texts.count / 2
        try check(train: Array(texts[..<split]), heldout: Array(texts[split...]), vocabSize: 1000, minFrequency: 2,
                  specials: ["<s>"], maxTokenLength: 4)
    }

    /// Ties everywhere, overlapping runs (`aaaa`), and a special token that is also a merge result.
    @Test func tiesAndOverlaps() throws {
        let train = [
            "aaaa aaaa aaa ab ab ba ba abab baba", "aaaaaaa bbbbbb ab ba", "<s> <s> x<s>y", "l'll 's 't 're",
            "日本語 日本語 テキスト 123 4567 ١٢٣", "  \t\n\n  spaces  ", "éé ée eé", "\u{00A0}a\u{3000}b\u{2028}c",
        ].map { Array($0.utf8) }
        let heldout = ["aaaaaaaaaa ab ba", "<s>aaa", "日本語テキスト", "x\u{85}y  z"].map { Array($0.utf8) }
        try check(train: train, heldout: heldout, vocabSize: 400, minFrequency: 0, specials: ["<s>", "a"])
    }
}

/// Pre-token splits equal HF's ByteLevel pre-tokenizer (Oniguruma running the GPT-2 regex).
@Suite(.enabled(if: HFReference.available, "needs Python with `tokenizers` (pip install tokenizers)"))
struct HFPreTokenizerParityTests {
    static let edgeCases: [String] = [
        "a\u{85}b \u{85} c", "x\u{A0}y \u{A0}\u{A0}z", "mongol\u{180E}ian \u{180E} x", "zero\u{200B}width \u{200B}",
        "line\u{2028}sep \u{2029}para", "ideo\u{3000}space\u{3000}\u{3000}x", "\u{FEFF}bom \u{FEFF}x",
        "cafe\u{301} e\u{301}\u{302}te \u{301}x", "👨\u{200D}👩\u{200D}👧 family 🏳️\u{200D}🌈!",
        "漢字かなカナ混じり文ひらがなカタカナ漢字漢字", String(repeating: " ", count: 300) + "x" + String(repeating: " ", count: 300),
        String(repeating: "w", count: 20_000), "Tab\tthen\t\tx\r\n\r\nCRLF  \n  \n", "I'm you're we've they'll he'd IT'S",
        "’s ''s '' 'x", "٣٤٥ ¼½ ⅷ 𝟘𝟙 x²", "a1b2 3c !!a ?1", "𝐀𝐁𝐂 𐍈 \u{10FFFF} \u{E000}",
    ]

    @Test func splitsEqualHF() throws {
        var texts = Self.edgeCases
        texts += try HFReference.sampleTexts().prefix(200).map { String(decoding: $0, as: UTF8.self) }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let requestPath = dir + "/request.json", resultPath = dir + "/result.json", errPath = dir + "/stderr.txt"
        try JSONSerialization.data(withJSONObject: ["pretokenize": texts]).write(to: URL(fileURLWithPath: requestPath))
        let status = try HFReference.runProcess([HFReference.python, HFReference.script, requestPath, resultPath],
                                                stderrPath: errPath)
        try #require(status == 0, "\((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as! [String: Any]
        let expected = json["pieces"] as! [[String]]
        let scanner = GPT2PreTokenizer()
        for (i, text) in texts.enumerated() {
            let ours = scanner.pieces(Array(text.utf8)).map { ByteLevel.encode($0) }
            if ours != expected[i] {
                let at = zip(ours, expected[i]).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
                    ?? min(ours.count, expected[i].count)
                Issue.record("text \(i): first difference at piece \(at): winnow \(ours.dropFirst(at).prefix(3)) hf \(expected[i].dropFirst(at).prefix(3))")
            }
        }
    }
}

/// Many small random corpora over few letters (seeded): dense ties, overlapping runs, min-frequency stops and
/// length limits. All trained by HF in one Python run. These corpora never make HF merge a pair in two steps
/// (none of SplitMix64 seeds 1-400 does), so the test does not claim that case.
@Suite(.enabled(if: HFReference.available, "needs Python with `tokenizers` (pip install tokenizers)"))
struct HFRandomCorpusParityTests {
    @Test func randomCorporaEqualHF() throws {
        var rng = SplitMix64(seed: 20261123)
        let letters: [String] = ["a", "b", "c", "a", "b", "é", "1", "'", "!"]
        var requests: [[String: Any]] = []
        var corpora: [[String]] = []
        var settings: [(vocab: Int, minFrequency: Int, maxLength: Int?)] = []
        for _ in 0..<60 {
            var texts: [String] = []
            let alphabet = 2 + rng.next(below: letters.count - 1)
            for _ in 0..<(1 + rng.next(below: 6)) {
                var text = ""
                for w in 0..<(1 + rng.next(below: 25)) {
                    if w > 0 { text += rng.next(below: 8) == 0 ? "  " : " " }
                    for _ in 0..<(1 + rng.next(below: 9)) { text += letters[rng.next(below: alphabet)] }
                }
                texts.append(text)
            }
            let vocab = 258 + rng.next(below: 60)
            let minFrequency = rng.next(below: 4) == 0 ? 2 + rng.next(below: 4) : 0
            let maxLength: Int? = rng.next(below: 4) == 0 ? 2 + rng.next(below: 4) : nil
            corpora.append(texts)
            settings.append((vocab, minFrequency, maxLength))
            var request: [String: Any] = [
                "train": texts, "heldout": [String](), "vocab_size": vocab, "min_frequency": minFrequency,
                "special_tokens": ["<s>"],
            ]
            if let maxLength { request["max_token_length"] = maxLength }
            requests.append(request)
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let requestPath = dir + "/request.json", resultPath = dir + "/result.json", errPath = dir + "/stderr.txt"
        try JSONSerialization.data(withJSONObject: ["batch": requests]).write(to: URL(fileURLWithPath: requestPath))
        let status = try HFReference.runProcess([HFReference.python, HFReference.script, requestPath, resultPath],
                                                stderrPath: errPath)
        try #require(status == 0, "\((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as! [String: Any]
        let results = json["batch"] as! [[String: Any]]
        for (i, texts) in corpora.enumerated() {
            var options = BPETrainingOptions(vocabSize: settings[i].vocab)
            options.minFrequency = Int64(settings[i].minFrequency)
            options.maxTokenLength = settings[i].maxLength
            options.specialTokens = ["<s>"]
            let trainer = BPETrainer(options: options)
            for text in texts { trainer.add(document: Array(text.utf8)) }
            let model = trainer.train()
            #expect(model.vocab == results[i]["vocab"] as! [String], "corpus \(i): vocab \(texts)")
            let merges = model.merges.map { [model.vocab[$0.left], model.vocab[$0.right]] }
            #expect(merges == results[i]["merges"] as! [[String]], "corpus \(i): merges \(texts)")
        }
    }
}
