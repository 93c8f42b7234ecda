import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

/// Bytes per token per language of a tokenizer step's `output/tokenizer.json`, measured with
/// `TokenizerEvaluation` (as `winnow tokenizer eval` does) on the first documents of the step's own input,
/// at most `maxDocuments` and `maxBytes` of text. These are documents the tokenizer was trained on, so the
/// figures are in-sample (slightly optimistic); `winnow tokenizer eval` on held-out text gives the unbiased ones.
enum TokenizerSampleEvaluation {
    static let maxDocuments = 2_000
    static let maxBytes = 16 << 20

    static func measure(_ step: StepRecord) -> TokenizerEvaluation? {
        // The tokenize step keeps a copy of the tokenizer it used: measure only where it was trained.
        let path = step.root + "/output/tokenizer.json"
        guard step.datasetStep == "train_tokenizer", FileManager.default.fileExists(atPath: path),
              let vocabulary = try? BPEVocabulary.load(path: path) else { return nil }
        var evaluation = TokenizerEvaluation(encoder: BPEEncoder(vocabulary: vocabulary))
        var documents = 0, bytes = 0
        var stats = StageStats(name: "report")
        struct Enough: Error {}
        for input in step.inputs.map({ step.resolve($0.path) }) where documents < maxDocuments && bytes < maxBytes {
            do {
                try InputFormat.auto.readDocuments(files: [input], options: ReaderOptions(), stats: &stats, problem: { _ in }) { document in
                    evaluation.add(document.text, language: document.metadata["language"]?.stringValue ?? "")
                    documents += 1
                    bytes += document.text.count
                    if documents >= maxDocuments || bytes >= maxBytes { throw Enough() }
                }
            } catch {
                continue
            }
        }
        return documents > 0 ? evaluation : nil
    }
}
