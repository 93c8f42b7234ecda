import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowLM

/// Winnow's ARPA scorer against the `kenlm` Python module (Fixtures/kenlm_reference.py) on a model trained
/// here by `KneserNeyTrainer` and the paragraphs of the golden fixture. Runs when Python can import
/// `kenlm` (`pip install kenlm`), and fails instead of skipping when `WINNOW_REQUIRE_REFERENCE=1` (CI).
enum KenLMReference {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/kenlm_reference.py").path
    static var python: String { ProcessInfo.processInfo.environment["WINNOW_PYTHON"] ?? "python3" }

    static let available: Bool = {
        if ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1" { return true }
        return (try? run([python, "-c", "import kenlm"])) == 0
    }()

    @discardableResult
    static func run(_ arguments: [String], stderrPath: String? = nil) throws -> Int32 {
        try ProcessRunner.status(arguments, stderrPath: stderrPath)
    }

    /// KenLM's `model.score` of each sentence.
    static func scores(model: String, sentences: [String], in dir: String) throws -> [Double] {
        let input = dir + "/sentences.txt", output = dir + "/scores.txt", errors = dir + "/stderr.txt"
        try (sentences.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let status = try run([python, script, model, input, output], stderrPath: errors)
        guard status == 0 else {
            throw LanguageModelTrainingError("kenlm_reference.py failed (\(status)): \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
        }
        return try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { Double($0)! }
    }
}

@Suite(.enabled(if: KenLMReference.available, "Python cannot import kenlm (pip install kenlm)"))
struct KenLMParityTests {
    /// Python's `str.split()` also splits on these; Winnow's tokens are separated by ASCII whitespace only.
    static func hasNonASCIISpace(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.value >= 0x80 && $0.properties.isWhitespace || $0.value == 0x85 }
    }

    @Test(arguments: [3, 5])
    func sentenceScoresMatchKenLM(order: Int) throws {
        let lines = KneserNeyTrainerTests.goldenLines
        try #require(lines.count > 9000)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A model of a few thousand n-grams from 1,000 paragraphs; scored on 3,000 others (many OOV words).
        let (path, summary) = try KneserNeyTrainerTests.train(Array(lines.prefix(1000)), order: order, fallback: true, in: dir)
        #expect(summary.ngramCounts.reduce(0, +) > 3000)
        let sentences = Array(lines.dropFirst(1000).filter { !Self.hasNonASCIISpace($0) }.prefix(3000))
        #expect(sentences.count == 3000)
        let expected = try KenLMReference.scores(model: path, sentences: sentences, in: dir)
        try #require(expected.count == sentences.count)
        let model = try ARPAModel(path: path)
        var worst = 0.0
        var scorer = NGramScorer(model: model)
        for (sentence, want) in zip(sentences, expected) {
            // KenLM's module adds the per-token Float scores in a Float; so does the perplexity stage.
            let got = Double(model.fullScores(sentence).reduce(Float(0)) { $0 + $1.log10 })
            worst = max(worst, abs(got - want))
            if abs(got - want) > 1e-4 { Issue.record("\(sentence.debugDescription): Winnow \(got), KenLM \(want)") }
            // The prefetching whole-line path (`lm score`, the perplexity stage) adds the same Floats.
            let line = Array(sentence.utf8).withUnsafeBufferPointer { scorer.scoreLine($0) }
            if Double(line.log10) != got { Issue.record("\(sentence.debugDescription): scoreLine \(line.log10), token by token \(got)") }
            #expect(line.tokens == sentence.split(whereSeparator: { $0 == " " || $0 == "\t" }).count)
        }
        #expect(worst < 1e-4)
    }
}
