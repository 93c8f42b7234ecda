import Foundation
import Testing
import WinnowTestSupport
import WinnowTokenizer

/// Exactness against committed HF `tokenizers` output (`Fixtures/hf_fixtures.json`, made by
/// `Fixtures/make_hf_fixtures.py`): runs without Python.
@Suite struct HFFixtureTests {
    struct Case {
        var name: String
        var texts: [[UInt8]]
        var options: BPETrainingOptions
        var vocab: [String]
        var merges: [[String]]
    }

    static func cases() throws -> [Case] {
        let url = HFReference.testsDirectory.appendingPathComponent("Fixtures/hf_fixtures.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var samples: [[UInt8]]? = nil
        return try (json["cases"] as! [[String: Any]]).map { c in
            var options = BPETrainingOptions(vocabSize: c["vocab_size"] as! Int)
            options.minFrequency = Int64(c["min_frequency"] as! Int)
            options.specialTokens = c["special_tokens"] as! [String]
            options.maxTokenLength = c["max_token_length"] as? Int
            let texts: [[UInt8]]
            if let inline = c["texts"] as? [String] {
                texts = inline.map { Array($0.utf8) }
            } else {
                if samples == nil { samples = try HFReference.sampleTexts() }
                texts = Array(samples!.prefix(c["sample_documents"] as! Int))
            }
            return Case(name: c["name"] as! String, texts: texts, options: options, vocab: c["vocab"] as! [String],
                        merges: c["merges"] as! [[String]])
        }
    }

    @Test func vocabAndMergesEqualHF() throws {
        let cases = try Self.cases()
        #expect(cases.count == 3)
        for c in cases {
            let trainer = BPETrainer(options: c.options)
            for text in c.texts { trainer.add(document: text) }
            let model = trainer.train()
            #expect(model.vocab == c.vocab, "\(c.name): vocab")
            let merges = model.merges.map { [model.vocab[$0.left], model.vocab[$0.right]] }
            #expect(merges == c.merges, "\(c.name): merges")
        }
    }
}
