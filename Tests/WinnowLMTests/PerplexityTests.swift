import Foundation
import Testing
import WinnowCore
@testable import WinnowLM
import WinnowTestSupport

/// The ARPA reader and scorer against KenLM's own scores of the toy model (Fixtures/toy.arpa and
/// Fixtures/toy_expected.json, see Fixtures/README.md), and the `perplexity` stage on hand-worked examples.
@Suite struct PerplexityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let toyPath = fixtures.appendingPathComponent("toy.arpa").path

    func toy() throws -> ARPAModel { try ARPAModel(path: Self.toyPath) }

    @Test func readsTheToyModel() throws {
        let m = try toy()
        #expect(m.order == 3)
        #expect(m.counts == [6, 5, 2])
        #expect(m.vocabularySize == 6)
        #expect(m.id(of: "<unk>") == 0)
        #expect(m.id(of: "dog") == 0)
        #expect(m.id(of: "the") != 0)
    }

    @Test func matchesKenLMFullScores() throws {
        let m = try toy()
        let data = try #require(FileManager.default.contents(atPath: Self.fixtures.appendingPathComponent("toy_expected.json").path))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let cases = json["cases"] as! [[String: Any]]
        #expect(cases.count == 8)
        var perToken = 0
        for c in cases {
            let sentence = c["sentence"] as! String
            let bos = c["bos"] as! Bool, eos = c["eos"] as! Bool
            let total = (c["log10_score"] as! NSNumber).doubleValue
            #expect(abs(m.score(sentence, bos: bos, eos: eos) - total) < 1e-4, "score of \(sentence.debugDescription)")
            guard let logs = c["per_token_log10"] as? [NSNumber] else { continue }
            let lengths = c["per_token_ngram_length"] as! [NSNumber]
            let oovs = c["per_token_oov"] as! [Bool]
            let got = m.fullScores(sentence, bos: bos, eos: eos)
            try #require(got.count == logs.count, "token count of \(sentence.debugDescription)")
            for i in got.indices {
                #expect(abs(Double(got[i].log10) - logs[i].doubleValue) < 1e-4, "\(sentence.debugDescription) token \(i)")
                #expect(got[i].ngramLength == lengths[i].intValue, "\(sentence.debugDescription) token \(i) n-gram length")
                #expect(got[i].oov == oovs[i], "\(sentence.debugDescription) token \(i) OOV")
                perToken += 1
            }
        }
        #expect(perToken == 25)
    }

    @Test func rejectsMalformedARPA() {
        #expect(throws: ARPAError.self) { try ARPAModel(arpa: Array("\\data\\\nngram 1=2\n\n\\1-grams:\n-1\t<s>\n\\end\\\n".utf8)) }
        #expect(throws: ARPAError.self) { try ARPAModel(arpa: Array("no data here\n".utf8)) }
        // A bigram over a word that is not a unigram.
        let bad = "\\data\\\nngram 1=2\nngram 2=1\n\n\\1-grams:\n-1\t<s>\t0\n-1\t</s>\n\n\\2-grams:\n-1\t<s> x\n\\end\\\n"
        #expect(throws: ARPAError.self) { try ARPAModel(arpa: Array(bad.utf8)) }
    }

    @Test func missingUnknownGetsKenLMDefault() throws {
        let arpa = "\\data\\\nngram 1=3\n\n\\1-grams:\n-99 <s> 0\n-0.5 </s>\n-0.3 a\n\n\\end\\\n"  // spaces, no tabs
        let m = try ARPAModel(arpa: Array(arpa.utf8))
        let s = m.fullScores("a b")
        #expect(s.map(\.log10) == [-0.3, -100, -0.5])
        #expect(s.map(\.oov) == [false, true, false])
    }

    /// A larger bigram model built here with known values (so the vocabulary and n-gram tables grow and
    /// probe): unigram w_i has log10 -1 - (i % 97) / 100 and back-off -(i % 7) / 100, the only bigrams are
    /// "w_i w_(i+1)" with log10 -0.5 - (i % 5) / 100. Expected scores follow from the back-off formula.
    @Test func largerModelByConstruction() throws {
        let n = 5000
        func p(_ i: Int) -> Double { -1 - Double(i % 97) / 100 }
        func bo(_ i: Int) -> Double { -Double(i % 7) / 100 }
        func p2(_ i: Int) -> Double { -0.5 - Double(i % 5) / 100 }
        var arpa = "\\data\\\nngram 1=\(n + 3)\nngram 2=\(n - 1)\n\n\\1-grams:\n-1.5\t<unk>\t0\n-99\t<s>\t-0.25\n-2\t</s>\n"
        for i in 0..<n { arpa += "\(p(i))\tw\(i)\t\(bo(i))\n" }
        arpa += "\n\\2-grams:\n"
        for i in 0..<(n - 1) { arpa += "\(p2(i))\tw\(i) w\(i + 1)\n" }
        arpa += "\n\\end\\\n"
        let m = try ARPAModel(arpa: Array(arpa.utf8))
        #expect(m.order == 2 && m.vocabularySize == n + 3)
        for i in 0..<n { #expect(m.id(of: "w\(i)") == UInt32(i + 3)) }
        #expect(m.id(of: "w\(n)") == 0)
        for i in stride(from: 0, to: n - 2, by: 37) {
            let s = m.fullScores("w\(i) w\(i + 1) w\(i + 2) w\(i) nope", bos: true, eos: true)
            let want: [(Double, Int, Bool)] = [
                (-0.25 + p(i), 1, false), (p2(i), 2, false), (p2(i + 1), 2, false),
                (bo(i + 2) + p(i), 1, false), (bo(i) - 1.5, 1, true), (0 - 2, 1, false),
            ]
            try #require(s.count == want.count)
            for (k, w) in want.enumerated() {
                #expect(abs(Double(s[k].log10) - w.0) < 1e-5 && s[k].ngramLength == w.1 && s[k].oov == w.2, "w\(i) token \(k)")
            }
        }
    }

    // MARK: stage

    func run(_ parameters: [String: JSONValue], _ text: String) throws -> (StageDecision, Document) {
        var stage = try PerplexityStage.factory(parameters: StageParameters(stageName: "perplexity", parameters)).make()
        var document = Document(id: "d", text: text)
        var stats = StageStats(name: "perplexity")
        return (stage.process(&document, stats: &stats), document)
    }

    @Test func documentPerplexityByHand() throws {
        // Two paragraphs, each scored with <s> ... </s> (values from toy.arpa):
        // "the cat sat": p(the|<s>) -0.30103, p(cat|<s> the) -0.09691, p(sat|the cat) -0.15490,
        //                p(</s>|cat sat) = bo(cat sat) 0 + p(</s>|sat) -0.22185            -> 4 tokens
        // "the cat":     -0.30103, -0.09691, p(</s>|the cat) = bo(the cat) -0.12494 + p(</s>|cat) -0.52288
        //                                                                                   -> 3 tokens
        let sum = -(0.30103 + 0.09691 + 0.15490 + 0.22185) - (0.30103 + 0.09691 + 0.12494 + 0.52288)
        let expected = pow(10, -sum / 7)
        let (decision, doc) = try run(["model": .string(Self.toyPath)], "the cat sat\nthe  cat \t")
        #expect(decision == .keep)
        let got = try #require(doc.metadata["perplexity"]?.doubleValue)
        #expect(abs(got - expected) / expected < 1e-5)
    }

    @Test func emptyParagraphsOOVAndNormalization() throws {
        // Normalized: "the cat" / "" / "sat 00".
        // "the cat": -0.30103 - 0.09691 - 0.64782 (3 tokens); "": bo(<s>) -0.30103 + p(</s>) -0.69897 (1);
        // "sat 00": bo(<s>) -0.30103 + p(sat) -0.82391; "00" is <unk>: p(<unk>) -1.0 + bo(sat) -0.09691;
        //           </s>: bo(<unk>) 0 + p(</s>) -0.69897 (3).
        let sum = -(0.30103 + 0.09691 + 0.64782) - 1.0 - (1.12494 + 1.09691 + 0.69897)
        let expected = pow(10, -sum / 7)
        let text = "The CAT\n\nsat 42"
        let (_, doc) = try run(["model": .string(Self.toyPath), "normalize": .bool(true), "field": .string("pp")], text)
        let got = try #require(doc.metadata["pp"]?.doubleValue)
        #expect(abs(got - expected) / expected < 1e-5)
        // Without normalization "The" and "CAT" are unknown: a different, higher perplexity.
        let (_, raw) = try run(["model": .string(Self.toyPath)], text)
        #expect(try #require(raw.metadata["perplexity"]?.doubleValue) > got)
    }

    @Test func boundsExclude() throws {
        let model = JSONValue.string(Self.toyPath)
        #expect(try run(["model": model, "max": .number(JSONNumber(1.5))], "the cat sat").0 == .exclude(reason: "perplexity_too_high"))
        #expect(try run(["model": model, "min": .number(JSONNumber(2.0))], "the cat sat").0 == .exclude(reason: "perplexity_too_low"))
        #expect(try run(["model": model, "min": .number(JSONNumber(1.0)), "max": .number(JSONNumber(2.0))], "the cat sat").0 == .keep)
    }

    @Test func ccnetBuckets() throws {
        // "the cat sat" has perplexity 10^(0.7346 / 4) = 1.526 under the toy model (documentPerplexityByHand).
        let model = JSONValue.string(Self.toyPath)
        func bucket(_ head: Double, _ middle: Double) throws -> String? {
            let cutoffs = JSONValue.array([.number(JSONNumber(head)), .number(JSONNumber(middle))])
            return try run(["model": model, "cutoffs": cutoffs, "bucket_field": .string("b")], "the cat sat").1.metadata["b"]?.stringValue
        }
        #expect(try bucket(2, 3) == "head")
        #expect(try bucket(1.5, 3) == "middle")
        #expect(try bucket(1.2, 1.5) == "tail")
        #expect(PerplexityStage.bucket(1.5, cutoffs: (head: 1.5, middle: 2)) == "middle")
        #expect(try run(["model": model], "the cat sat").1.metadata["bucket"] == nil)
    }

    /// The built-in English model (Resources/en.wlm) is used without `model`, with normalization: English
    /// prose scores far lower than shuffled letters, and the same text in capitals scores the same.
    @Test func builtInEnglishModel() throws {
        let prose = "The function returns a new list of the items in the order in which they were added to the dictionary."
        let (_, doc) = try run([:], prose)
        let english = try #require(doc.metadata["perplexity"]?.doubleValue)
        let (_, shouting) = try run([:], prose.uppercased())
        #expect(abs(try #require(shouting.metadata["perplexity"]?.doubleValue) - english) < 1e-9)
        let (_, junk) = try run([:], "xq zzkv jjwp ffq vvbn qqz kkw xxj zq pqqw vvb kkz")
        #expect(try #require(junk.metadata["perplexity"]?.doubleValue) > 20 * english)
        let m = try #require(try DefaultLanguageModels.model(language: "en"))
        #expect(m.isMapped && m.order == 3)
    }

    @Test func parameterErrors() {
        // No built-in model for German.
        do {
            _ = try PerplexityStage.factory(parameters: StageParameters(stageName: "perplexity", ["language": .string("de")]))
            Issue.record("expected an error")
        } catch let e as ConfigurationError {
            #expect(e.message.contains("no built-in model for language 'de'"))
        } catch {}
        #expect(throws: ConfigurationError.self) {
            try PerplexityStage.factory(parameters: StageParameters(stageName: "perplexity", ["model": .string(Self.toyPath), "cutoffs": .array([.number(JSONNumber(5.0))])]))
        }
        #expect(throws: ConfigurationError.self) {
            try PerplexityStage.factory(parameters: StageParameters(stageName: "perplexity", ["model": .string(Self.toyPath), "cutoffs": .array([.number(JSONNumber(5.0)), .number(JSONNumber(2.0))])]))
        }
        #expect(throws: ConfigurationError.self) {
            try PerplexityStage.factory(parameters: StageParameters(stageName: "perplexity", ["model": .string("/nonexistent.arpa")]))
        }
        #expect(throws: ConfigurationError.self) {
            try PerplexityStage.factory(parameters: StageParameters(stageName: "perplexity", ["model": .string(Self.toyPath), "bogus": .bool(true)]))
        }
        #expect(LMStages.all.contains { $0.stageName == "perplexity" })
    }

    /// Large images live in anonymous memory from `hugePageMemory`: 2 MiB-aligned, zero-filled, writable.
    @Test func hugePageMemoryIsAlignedAndZeroed() throws {
        let size = (16 << 20) + 12_345
        let huge = try #require(LanguageModelImage.hugePageMemory(size))
        defer { munmap(huge.allocation.0, huge.allocation.1) }
        #expect(Int(bitPattern: huge.memory) % (2 << 20) == 0)
        #expect(huge.memory + size <= huge.allocation.0 + huge.allocation.1)
        let bytes = huge.memory.assumingMemoryBound(to: UInt8.self)
        #expect(bytes[0] == 0 && bytes[size / 2] == 0 && bytes[size - 1] == 0)
        bytes[size - 1] = 7
        #expect(bytes[size - 1] == 7)
    }
}
