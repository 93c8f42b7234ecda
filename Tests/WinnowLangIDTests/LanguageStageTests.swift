import Foundation
import Testing
import WinnowCore
@testable import WinnowFastText
@testable import WinnowLangID
import WinnowTestSupport

/// Documents of 1-3 fixture lines joined by newlines, as pipelines see them.
func fixtureDocuments() throws -> [Document] {
    let lines = try String(contentsOfFile: fixtures + "/test.txt", encoding: .utf8).split(separator: "\n").map(String.init)
    var docs: [Document] = []
    var i = 0, n = 0
    while i < lines.count {
        let size = 1 + n % 3
        docs.append(Document(id: "d\(n)", text: lines[i..<min(i + size, lines.count)].joined(separator: "\n")))
        i += size; n += 1
    }
    docs.append(Document(id: "empty", text: ""))
    docs.append(Document(id: "spaces", text: " \n \t "))
    return docs
}

func runStage(_ factory: StageFactory, _ documents: [Document]) throws -> (kept: [Document], decisions: [StageDecision], stats: StageStats) {
    var stage = try factory.make()
    var stats = StageStats(name: "test")
    var kept: [Document] = [], decisions: [StageDecision] = []
    for var d in documents {
        let decision = stage.process(&d, stats: &stats)
        decisions.append(decision)
        if decision == .keep { kept.append(d) }
    }
    return (kept, decisions, stats)
}

@Suite(.serialized, .enabled(if: fasttextCLI != nil, "needs Debian's fasttext CLI (apt-get install fasttext)"))
struct LanguageStageReferenceTests {
    /// `language_id` annotates what fastText's Python binding returns for the text with newlines as spaces
    /// (datatrove's call): the CLI on that line plus a newline.
    @Test func languageIDMatchesFastText() throws {
        let model = try lid176()
        let docs = try fixtureDocuments()
        let input = try temporaryDirectory() + "/docs.txt"
        try docs.map { $0.textString.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined().write(toFile: input, atomically: true, encoding: .utf8)
        let reference = parsePredictions(try runChecked(fasttextCLI!, ["predict-prob", model, input, "-1"]))
        #expect(reference.count == docs.count)

        let factory = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", [
            "model": .string(model), "keep_top_pairs_threshold": 0.1,
        ]))
        let (kept, _, stats) = try runStage(factory, docs)
        #expect(kept.count == docs.count)
        for (doc, ref) in zip(kept, reference) {
            let best = try #require(ref.first)
            let label = String(best.label.dropFirst("__label__".count))
            let score = doc.metadata["language_score"]?.doubleValue ?? .nan
            #expect(doc.metadata["language"]?.stringValue == label || abs(score - (ref.dropFirst().first?.probability ?? -1)) <= 1e-5,
                    "\(doc.id): \(doc.metadata) vs \(ref)")
            #expect(abs(score - best.probability) <= 1e-5 * best.probability, "\(doc.id)")
            for (l, p) in ref where p > 0.1 {
                let key = "top_language_\(l.dropFirst(9))_score"
                #expect(abs((doc.metadata[key]?.doubleValue ?? .nan) - p) <= 1e-5 * p, "\(doc.id) \(key)")
            }
        }
        #expect(stats.counters.keys.contains { $0.hasPrefix("language:") })
        let zh = kept.first { $0.metadata["language"]?.stringValue == "zh" }
        #expect(zh?.metadata["language_script"]?.stringValue == "Hani")
        #expect(kept.first { $0.metadata["language"]?.stringValue == "ru" }?.metadata["language_script"]?.stringValue == "Cyrl")
    }

    /// `fr`, `fra` and `fra_Latn` select the same documents of lid.176 (whose label is `fr`); the filter
    /// keeps a document when a listed language is above the threshold, as datatrove does.
    @Test func languageFilterCodesAndThresholds() throws {
        let model = try lid176()
        let docs = try fixtureDocuments()
        func decisions(_ values: [String: JSONValue]) throws -> [StageDecision] {
            var v = values
            v["model"] = .string(model)
            return try runStage(try LanguageFilterStage.factory(parameters: StageParameters(stageName: "language_filter", v)), docs).decisions
        }
        let fr = try decisions(["languages": ["fr"]])
        #expect(try decisions(["languages": ["fra"]]) == fr)
        #expect(try decisions(["languages": ["fra_Latn"]]) == fr)
        #expect(try decisions(["languages": ["__label__fr"]]) == fr)
        #expect(fr.contains(.keep) && fr.contains(.exclude(reason: "other_language")))

        // The reference decision: a listed language's fastText probability above 0.65.
        let input = try temporaryDirectory() + "/docs.txt"
        try docs.map { $0.textString.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined().write(toFile: input, atomically: true, encoding: .utf8)
        let reference = parsePredictions(try runChecked(fasttextCLI!, ["predict-prob", model, input, "-1"]))
        let wanted: Set = ["__label__fr", "__label__de"]
        let expected = reference.map { line in line.contains { wanted.contains($0.label) && $0.probability > 0.65 } }
        let frde = try decisions(["languages": ["fr", "deu"]])
        #expect(frde.map { $0 == .keep } == expected)

        // A per-language threshold of 0 for German keeps every document where German has any probability.
        let lenient = try decisions(["languages": ["fr", "deu"], "thresholds": ["de=0.0"]])
        #expect(lenient.filter { $0 == .keep }.count >= frde.filter { $0 == .keep }.count)
        #expect(try decisions(["languages": ["fr", "deu"], "thresholds": .object(["deu_Latn": 0.0])]) == lenient)
        let strictFrench = try decisions(["languages": ["fr"], "thresholds": .object(["fra": 0.95])])
        #expect(strictFrench.map { $0 == .keep } == reference.map { line in line.contains { $0.label == "__label__fr" && $0.probability > 0.95 } })
        // No list: the best language above the threshold.
        let any = try decisions(["threshold": 0.9])
        #expect(any.map { $0 == .keep } == reference.map { ($0.first?.probability ?? 0) > 0.9 })
        let anyButFrench = try decisions(["threshold": 0.9, "thresholds": .object(["fr": 0.3, "de": 0.1])])
        #expect(anyButFrench.map { $0 == .keep } == reference.map { line in
            guard let best = line.first else { return false }
            return best.probability > (best.label == "__label__fr" ? 0.3 : best.label == "__label__de" ? 0.1 : 0.9)
        })
        // label_only keeps everything.
        #expect(try decisions(["languages": ["fr"], "label_only": true]).allSatisfy { $0 == .keep })
    }

    /// A prediction whose script has no letter in the text is flagged: a text of digits has no letters of
    /// any script, while Japanese and Russian texts contain their scripts.
    @Test func scriptMismatch() throws {
        let model = try lid176()
        let docs = [Document(id: "digits", text: "12345 67890 2024"), Document(id: "ja", text: "東京は日本の首都です。"),
                    Document(id: "ru", text: "Москва — столица России.")]
        let annotate = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", ["model": .string(model)]))
        let (kept, _, stats) = try runStage(annotate, docs)
        let digits = try #require(kept.first)
        #expect(digits.metadata["language_script"] != nil)
        #expect(digits.metadata["language_script_mismatch"] == .bool(true))
        #expect(kept[1].metadata["language_script"]?.stringValue == "Jpan" && kept[1].metadata["language_script_mismatch"] == nil)
        #expect(kept[2].metadata["language_script"]?.stringValue == "Cyrl" && kept[2].metadata["language_script_mismatch"] == nil)
        #expect(stats.counters["script_mismatch"] == 1)

        let off = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", ["model": .string(model), "script_mismatch": "off"]))
        #expect(try runStage(off, docs).kept.allSatisfy { $0.metadata["language_script_mismatch"] == nil })
        let exclude = try LanguageFilterStage.factory(parameters: StageParameters(stageName: "language_filter", [
            "model": .string(model), "threshold": 0.0, "script_mismatch": "exclude",
        ]))
        #expect(try runStage(exclude, docs).decisions == [.exclude(reason: "script_mismatch"), .keep, .keep])
        #expect(throws: ConfigurationError.self) {
            _ = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", ["model": .string(model), "script_mismatch": "exclude"]))
        }
    }

    @Test func configurationErrors() throws {
        let model = try lid176()
        // Without `model` the stages use Winnow's default model.
        _ = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", [:]))
        _ = try LanguageFilterStage.factory(parameters: StageParameters(stageName: "language_filter", ["languages": ["fr"]]))
        #expect(throws: ConfigurationError.self) {
            _ = try LanguageFilterStage.factory(parameters: StageParameters(stageName: "language_filter", ["model": .string(model), "languages": ["tlh"]]))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try LanguageFilterStage.factory(parameters: StageParameters(stageName: "language_filter", ["model": .string(model), "thresholds": ["fr:0.5"]]))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", ["model": "/nonexistent/lid.bin"]))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", ["model": .string(model), "codes": "iso"]))
        }
    }

    @Test func codeStyles() throws {
        let model = try lid176()
        let docs = [Document(id: "1", text: "Ceci est une phrase en français, avec quelques mots de plus."),
                    Document(id: "2", text: "Это предложение написано на русском языке.")]
        for (style, fr, ru) in [("model", "fr", "ru"), ("iso639_3", "fra", "rus"), ("iso639_1", "fr", "ru")] {
            let factory = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", ["model": .string(model), "codes": .string(style)]))
            let kept = try runStage(factory, docs).kept
            #expect(kept.map { $0.metadata["language"]?.stringValue } == [fr, ru], "\(style)")
            #expect(kept.map { $0.metadata["language_script"]?.stringValue } == ["Latn", "Cyrl"])
        }
    }
}

struct LanguageCodeTests {
    @Test func normalization() {
        let en = LanguageCode("__label__en")
        #expect(en.language == "eng" && en.script == "Latn" && en.model == "en" && !en.hasExplicitScript)
        let glot = LanguageCode("__label__eng_Latn")
        #expect(glot.language == "eng" && glot.script == "Latn" && glot.hasExplicitScript)
        #expect(LanguageCode("zh-Hant").language == "zho" && LanguageCode("zh-Hant").script == "Hant")
        #expect(LanguageCode("sr-Latn").script == "Latn" && LanguageCode("sr").script == "Cyrl")
        #expect(LanguageCode("ja").script == "Jpan" && LanguageCode("ceb").script == "Latn")
        #expect(LanguageCode("pt-BR").language == "por" && LanguageCode("pt-BR").script == "Latn")
        #expect(LanguageCode("xyz").script == "" && LanguageCode("xyz").language == "xyz")
        #expect(LanguageCode("fra").shortCode == "fr" && LanguageCode("als").shortCode == "als")
    }

    @Test func matching() {
        for wanted in ["fr", "fra", "fra_Latn", "FR", "__label__fr"] {
            #expect(LanguageCode("__label__fr").matches(LanguageCode(wanted)), "\(wanted)")
            #expect(LanguageCode("__label__fra_Latn").matches(LanguageCode(wanted)), "\(wanted)")
        }
        #expect(!LanguageCode("__label__fr").matches(LanguageCode("frr")))
        #expect(!LanguageCode("__label__srp_Cyrl").matches(LanguageCode("srp_Latn")))
        #expect(LanguageCode("__label__sr").matches(LanguageCode("srp_Cyrl")))
        #expect(LanguageCode("__label__cmn_Hani").matches(LanguageCode("zh")))
        #expect(LanguageCode("__label__zh").matches(LanguageCode("zho_Hans")))
        #expect(LanguageCode("__label__arb_Arab").matches(LanguageCode("ar")))
    }
}

struct FastTextModelErrorTests {
    @Test func rejectsBadFiles() throws {
        let dir = try temporaryDirectory()
        let notModel = dir + "/x.bin"
        try Data("not a model at all".utf8).write(to: URL(fileURLWithPath: notModel))
        #expect(throws: FastTextError.self) { _ = try FastTextModel(path: notModel) }
        #expect(throws: FastTextError.self) { _ = try FastTextModel(path: dir + "/missing.bin") }
        var header = Data()
        for v: Int32 in [793_712_314, 13] { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        try header.write(to: URL(fileURLWithPath: notModel))
        #expect(throws: FastTextError.self) { _ = try FastTextModel(path: notModel) }
    }

    @Test(.enabled(if: fasttextCLI != nil || referenceRequired, "needs Debian's fasttext CLI (apt-get install fasttext)"))
    func truncatedModel() throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: try lid176()))
        let dir = try temporaryDirectory()
        for cut in [20, 80, 5000, full.count / 2, full.count - 1] {
            try full.prefix(cut).write(to: URL(fileURLWithPath: dir + "/cut.ftz"))
            #expect(throws: FastTextError.self) { _ = try FastTextModel(path: dir + "/cut.ftz") }
        }
    }

    @Test func hashSignExtension() {
        // fastText sign-extends bytes >= 0x80 before the xor; textbook FNV-1a would not.
        #expect(FastTextHash.fnv1a(Array("a".utf8)) == 0xE40C_292C)
        var textbook: UInt32 = 2_166_136_261
        for b in Array("é".utf8) { textbook = (textbook ^ UInt32(b)) &* 16_777_619 }
        #expect(FastTextHash.fnv1a(Array("é".utf8)) != textbook)
    }
}

struct FloatFormatTests {
    /// The fast `%g` path prints what `printf("%g")` prints.
    @Test func matchesPrintf() {
        var values: [Float] = [1, 1.00001, 0.5, 0.1, 1e-5, 9.99999e-06, 1.0000001e-05, 0.999995, 0.9999995, 9.999995, 99999.95,
                               0.000123456, 0.00012345649, 123.456, 1234.5678, 0.30000001, 2.5e-7, 0.0001, 0.00099999]
        var rng = SplitMix64(seed: 0x5EED_F10A7)
        for _ in 0..<20000 {
            let exponent = Float.random(in: -12...5, using: &rng)
            values.append(Float(pow(10, Double(exponent))) * Float.random(in: 1...9.99, using: &rng))
        }
        for bits in stride(from: Float(1e-6).bitPattern, to: Float(1.5).bitPattern, by: 9973) { values.append(Float(bitPattern: bits)) }
        var mismatches = 0
        for v in values {
            var fast: [UInt8] = [], slow: [UInt8] = []
            FloatFormat.appendShortest6(v, to: &fast)
            FloatFormat.appendPrintf(v, to: &slow)
            if fast != slow, mismatches < 10 {
                mismatches += 1
                Issue.record("\(v): \(String(decoding: fast, as: UTF8.self)) vs printf \(String(decoding: slow, as: UTF8.self))")
            }
        }
    }
}
