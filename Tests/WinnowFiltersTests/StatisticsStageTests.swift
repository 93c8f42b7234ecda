import Foundation
import Testing
import WinnowCore
@testable import WinnowFilters
import WinnowTestSupport

/// The `statistics` stage: character and line metrics against Python (Fixtures/statistics_reference.py, which
/// computes them with Python's own `str` predicates and `unicodedata`), word and sentence metrics hand-worked.
@Suite struct StatisticsStageTests {
    func run(_ parameters: [String: JSONValue], _ text: String, metadata: JSONObject = [:]) throws -> (StageDecision, Document) {
        var stage = try StatisticsStage.factory(parameters: StageParameters(stageName: "statistics", parameters)).make()
        var document = Document(id: "d", text: text, metadata: metadata)
        var stats = StageStats(name: "statistics")
        return (stage.process(&document, stats: &stats), document)
    }

    func metrics(_ text: String, _ parameters: [String: JSONValue] = [:]) throws -> JSONObject {
        try #require(run(parameters, text).1.metadata["stats"]?.objectValue)
    }

    @Test func characterAndLineMetricsMatchPython() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/statistics_expected.json").path
        let data = try #require(FileManager.default.contents(atPath: path))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let cases = json["cases"] as! [[String: Any]]
        #expect(cases.count == 8)
        for c in cases {
            let text = c["text"] as! String
            let expected = c["metrics"] as! [String: Any]
            let got = try metrics(text)
            for (name, value) in expected {
                let want = (value as! NSNumber).doubleValue
                let have = try #require(got[name]?.doubleValue, "\(name) missing")
                #expect(abs(have - want) < 1e-12, "\(name) of \(text.debugDescription): \(have) vs Python \(want)")
            }
        }
    }

    @Test func wordAndSentenceMetricsByHand() throws {
        // spaCy tokens: The cat sat . It was happy !  (8 tokens, 6 with a non-punctuation character, 19 chars)
        let m = try metrics("The cat sat. It was happy!")
        #expect(m["word_count"] == 6)
        #expect(m["mean_word_length"]?.doubleValue == 19.0 / 6)
        #expect(m["alpha_word_ratio"]?.doubleValue == 0.75)
        #expect(m["symbol_word_ratio"] == 0)
        // The sentencizer: a new sentence starts at the first non-punctuation token after "." "!" "?".
        #expect(m["sentence_count"] == 2)
        #expect(m["mean_sentence_length"] == 3)

        // Tokens: Use # tags ... and more # here (8); "#" twice and "..." once are Gopher's symbols.
        let s = try metrics("Use # tags... and more # here")
        #expect(s["word_count"] == 5)
        #expect(s["mean_word_length"]?.doubleValue == 18.0 / 5)
        #expect(s["symbol_word_ratio"]?.doubleValue == 3.0 / 8)
        #expect(s["sentence_count"] == 1)

        let empty = try metrics("")
        for key in ["word_count", "mean_word_length", "sentence_count", "mean_sentence_length", "line_count"] {
            #expect(empty[key] == 0)
        }
    }

    @Test func wordCountIsGophersCount() throws {
        // QualityFilterTests.goodText has 65 non-symbol words for gopher_quality (min_doc_words 65 keeps, 66 excludes).
        #expect(try metrics(QualityFilterTests.goodText)["word_count"] == 65)
    }

    @Test func boundsFromAMapOrFlatKeys() throws {
        let text = "Call 555 1234 now"  // 17 chars, 7 digits
        let bounds: JSONValue = .object(["digit_ratio": .object(["max": 0.3]), "mean_word_length": .object(["min": 3, "max": 10])])
        #expect(try run(["bounds": bounds], text).0 == .exclude(reason: "digit_ratio_out_of_bounds"))
        #expect(try run(["max_digit_ratio": 0.42], text).0 == .keep)
        #expect(try run(["max_digit_ratio": 0.41], text).0 == .exclude(reason: "digit_ratio_out_of_bounds"))
        #expect(try run(["min_mean_word_length": 3.6], text).0 == .exclude(reason: "mean_word_length_out_of_bounds"))
        #expect(try run(["min_mean_word_length": 3.5], text).0 == .keep)  // (4 + 3 + 4 + 3) / 4
        // The first metric out of bounds, in the metric order, is the reason.
        #expect(try run(["max_line_count": 0, "max_digit_ratio": 0.1], text).0 == .exclude(reason: "digit_ratio_out_of_bounds"))
    }

    @Test func outputFieldPrefixAndMetricSelection() throws {
        let (_, d) = try run(["metrics": ["digit_ratio", "line_count"], "prefix": "q_"], "a1\nb")
        #expect(d.metadata["q_digit_ratio"]?.doubleValue == 1.0 / 4)
        #expect(d.metadata["q_line_count"] == 2)
        #expect(d.metadata["stats"] == nil)
        let (_, e) = try run(["metrics": ["chars"], "field": "s", "max_line_count": 5], "ab")
        #expect(e.metadata["s"] == .object(["chars": 2]))  // a bounded metric is computed, not written
        let (decision, f) = try run(["annotate": false, "max_chars": 1], "ab")
        #expect(decision == .exclude(reason: "chars_out_of_bounds"))
        #expect(f.metadata.isEmpty)
    }

    @Test func rejectsBadParameters() {
        #expect(throws: ConfigurationError.self) { try run(["metrics": ["digit_ratios"]], "") }
        #expect(throws: ConfigurationError.self) { try run(["bounds": .object(["digit_ratio": .object(["maximum": 1])])], "") }
        #expect(throws: ConfigurationError.self) { try run(["bounds": .object(["nope": .object(["max": 1])])], "") }
        #expect(throws: ConfigurationError.self) { try run(["bounds": "digit_ratio"], "") }
        #expect(throws: ConfigurationError.self) { try run(["min_chars": 5, "max_chars": 2], "") }
        #expect(throws: ConfigurationError.self) { try run(["max_digit": 0.2], "") }
        #expect(throws: ConfigurationError.self) { try run(["field": "s", "prefix": "s_"], "") }
    }
}
