import Foundation
import Testing
import WinnowCore
import WinnowFastText
import WinnowTestSupport
@testable import WinnowFilters

// Debian's `fasttext` CLI (`fasttextCLI`, WinnowTestSupport) trains the classifier and gives the reference scores.
@Suite(.serialized, .enabled(if: fasttextCLI != nil || referenceRequired, "needs Debian's fasttext CLI (apt-get install fasttext)"))
struct ClassifierFilterTests {
    /// A two-label model trained by the fastText CLI: `hq` lines talk about alpha, `lq` lines about omega.
    static func trainModel() throws -> String {
        let cli = try #require(fasttextCLI, "Debian's fasttext CLI is required")
        let dir = try temporaryDirectory()
        var lines: [String] = []
        let filler = ["the", "report", "shows", "results", "of", "a", "study", "about", "many", "things", "today"]
        for i in 0..<400 {
            let words = (0..<8).map { filler[($0 * 7 + i * 3) % filler.count] }.joined(separator: " ")
            lines.append(i % 2 == 0 ? "__label__hq alpha \(words) alpha" : "__label__lq omega \(words) omega")
        }
        try lines.joined(separator: "\n").appending("\n").write(toFile: dir + "/train.txt", atomically: true, encoding: .utf8)
        let r = try ProcessRunner.run(cli, ["supervised", "-input", dir + "/train.txt", "-output", dir + "/model", "-epoch", "20",
                                            "-lr", "0.5", "-dim", "10", "-thread", "1", "-seed", "1", "-verbose", "0"])
        guard r.status == 0 else { throw ProcessFailure("fasttext supervised failed: \(r.stderr)") }
        return dir + "/model.bin"
    }

    /// `fasttext predict-prob MODEL - -1` on each unit: every label's probability.
    static func referenceScores(_ model: String, _ units: [String]) throws -> [[String: Double]] {
        let input = units.map { $0 + "\n" }.joined()
        let r = try ProcessRunner.run(fasttextCLI!, ["predict-prob", model, "-", "-1"], stdin: Data(input.utf8))
        guard r.status == 0 else { throw ProcessFailure("fasttext predict-prob failed: \(r.stderr)") }
        return r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let parts = line.split(separator: " ")
            var scores: [String: Double] = [:]
            for i in stride(from: 0, to: parts.count - 1, by: 2) { scores[String(parts[i])] = Double(parts[i + 1])! }
            return scores
        }
    }

    func stage(_ model: String, _ values: [String: JSONValue]) throws -> any DocumentStage {
        var v = values
        v["model"] = .string(model)
        return try ClassifierFilter.factory(parameters: StageParameters(stageName: "classifier_filter", v)).make()
    }

    /// Document mode: the unit is the text Python-stripped with newlines removed (datatrove's defaults); the
    /// scores saved in metadata and the keep decision follow the CLI's probabilities for that line.
    @Test func documentModeMatchesFastText() throws {
        let model = try Self.trainModel()
        let texts = ["alpha the report shows alpha", "omega many things omega", "  alpha\nomega\nresults  ",
                     "omega\u{00A0}alpha study", "", "\n\n", "alpha", "results of a study"]
        // datatrove: text.strip().replace("\n", ""); U+00A0 is Python whitespace only at the ends.
        let units = ["alpha the report shows alpha", "omega many things omega", "alphaomegaresults",
                     "omega\u{00A0}alpha study", "", "", "alpha", "results of a study"]
        let reference = try Self.referenceScores(model, units)
        var filter = try stage(model, ["keep_labels": .object(["hq": 0.5])])
        var stats = StageStats(name: "classifier_filter")
        for (text, scores) in zip(texts, reference) {
            var doc = Document(id: "d", text: text)
            let decision = filter.process(&doc, stats: &stats)
            let hq = scores["__label__hq"] ?? -9e9
            #expect(decision == (hq >= 0.5 ? .keep : .exclude(reason: "below_threshold")), "\(text.debugDescription): \(scores)")
            for (label, p) in scores {
                let saved = doc.metadata[label]?.doubleValue ?? .nan
                #expect(abs(saved - p) <= 1e-5 * max(p, 1e-3), "\(text.debugDescription) \(label)")
            }
        }
        // Remove mode drops what keep mode keeps, for a threshold both labels cannot reach at once.
        var remover = try stage(model, ["remove_labels": ["hq=0.5"], "save_labels_in_metadata": false])
        for (text, scores) in zip(texts, reference) {
            var doc = Document(id: "d", text: text)
            let decision = remover.process(&doc, stats: &stats)
            #expect(decision == ((scores["__label__hq"] ?? 0) >= 0.5 ? .exclude(reason: "removed_label") : .keep))
            #expect(doc.metadata["__label__hq"] == nil)
        }
    }

    /// Paragraph mode, worked by hand: each non-blank line with the blank lines after it is a unit; the
    /// omega paragraph goes, the rest is joined with `\n` (the trailing break is dropped, as `splitlines` does).
    @Test func paragraphMode() throws {
        let model = try Self.trainModel()
        var filter = try stage(model, ["keep_labels": [["hq", 0.5]], "mode": "paragraph"])
        var stats = StageStats(name: "classifier_filter")
        var doc = Document(id: "p", text: "alpha study alpha\n\n  \nomega things omega\r\nalpha report alpha\n")
        #expect(filter.process(&doc, stats: &stats) == .keep)
        #expect(doc.textString == "alpha study alpha\n\n  \nalpha report alpha")
        #expect(stats.counters["kept_span"] == 2 && stats.counters["removed_span"] == 1)
        var gone = Document(id: "q", text: "omega omega\nomega things")
        #expect(filter.process(&gone, stats: &stats) == .exclude(reason: "no_kept_paragraph"))
    }

    @Test func configurationErrors() throws {
        let model = try Self.trainModel()
        #expect(throws: ConfigurationError.self) { _ = try stage(model, ["keep_labels": .object(["nope": 0.5])]) }
        #expect(throws: ConfigurationError.self) { _ = try stage(model, ["keep_labels": .object(["hq": 0.5]), "remove_labels": .object(["lq": 0.5])]) }
        #expect(throws: ConfigurationError.self) { _ = try stage(model, ["keep_labels": "hq"]) }
        #expect(throws: ConfigurationError.self) { _ = try stage(model, ["keep_labels": 0.5]) }
        #expect(throws: Never.self) { _ = try stage(model, ["keep_labels": "hq=0.5,lq=0.9"]) }
        #expect(throws: ConfigurationError.self) {
            _ = try ClassifierFilter.factory(parameters: StageParameters(stageName: "classifier_filter", [:]))
        }
    }
}

/// `winnow classifier train`'s library path: training lines prepared like the filter's units, a model from
/// Winnow's fastText trainer that Debian's CLI loads and agrees with, and a filter that separates held-out
/// documents.
@Suite(.serialized, .enabled(if: fasttextCLI != nil || referenceRequired, "needs Debian's fasttext CLI (apt-get install fasttext)"))
struct ClassifierTrainingTests {
    static func documents(_ n: Int, good: Bool, offset: Int) -> [Document] {
        let goodWords = ["research", "analysis", "method", "results", "evidence", "study", "careful", "measured"]
        let badWords = ["click", "buy", "cheap", "free", "now", "deal", "win", "casino"]
        let words = good ? goodWords : badWords
        return (0..<n).map { i in
            let k = i + offset
            let line1 = (0..<7).map { words[($0 * 3 + k) % words.count] }.joined(separator: " ")
            let line2 = (0..<5).map { ["the", "a", "of", "and"][($0 + k) % 4] + " " + words[(k + $0 * 5) % words.count] }.joined(separator: " ")
            return Document(id: "\(good ? "g" : "b")\(k)", text: "  \(line1)\n\(line2)\n")
        }
    }

    @Test func trainedModelFiltersLikeFastText() throws {
        var set = ClassifierTrainingSet()
        for d in Self.documents(150, good: true, offset: 0) { set.add(d, label: "hq") }
        for d in Self.documents(150, good: false, offset: 0) { set.add(d, label: "lq") }
        #expect(set.counts == ["hq": 150, "lq": 150])
        let text = set.shuffled(seed: 7)
        let again = set.shuffled(seed: 7)
        #expect(Array(text.bytes) == Array(again.bytes))
        let lines = String(decoding: Array(text.bytes), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 300 && lines.first?.hasPrefix("__label__") == true)
        // Not all of one label first: the first 50 lines hold both.
        #expect(Set(lines.prefix(50).map { $0.split(separator: " ")[0] }).count == 2)

        var options = FastTextTrainingOptions()
        options.dim = 16; options.epoch = 10; options.wordNgrams = 2; options.bucket = 100_000
        let model = try FastTextTrainer(options: options).train(text)
        let dir = try temporaryDirectory()
        try model.write(to: dir + "/quality.bin")

        let heldout = Self.documents(40, good: true, offset: 1000) + Self.documents(40, good: false, offset: 1000)
        // The CLI's probabilities on the units as datatrove builds them (strip, newlines removed).
        let units = heldout.map { $0.textString.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "") }
        let reference = try ClassifierFilterTests.referenceScores(dir + "/quality.bin", units)
        var filter = try ClassifierFilter.factory(parameters: StageParameters(stageName: "classifier_filter", [
            "model": .string(dir + "/quality.bin"), "keep_labels": .object(["hq": 0.5]),
        ])).make()
        var stats = StageStats(name: "classifier_filter")
        var correct = 0
        for (doc, scores) in zip(heldout, reference) {
            var d = doc
            let kept = filter.process(&d, stats: &stats) == .keep
            #expect(kept == ((scores["__label__hq"] ?? 0) >= 0.5), "\(doc.id)")
            if kept == doc.id.hasPrefix("g") { correct += 1 }
        }
        #expect(correct >= 76, "\(correct) of 80 held-out documents classified right")
    }
}
