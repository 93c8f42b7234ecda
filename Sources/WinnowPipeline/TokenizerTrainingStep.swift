import Foundation
import WinnowCore
import WinnowText
import WinnowTokenizer

/// `run: {train_tokenizer: {...}}`: trains a byte-level BPE tokenizer on the step's input documents and writes
/// `output/tokenizer.json`, `vocab.json` and `merges.txt` (what `winnow tokenizer train` writes).
///
/// Parameters, as the command's options: `vocab_size` (required), `min_frequency` (0), `special_tokens` ([]),
/// `max_token_length` (none), `id_layout` (hf | bytes), `pattern` (gpt2 | cl100k | llama3 | o200k | qwen2), `normalization` (none | nfc
/// | nfkc), `merges_format` (pairs | legacy), `threads` (the run's workers), `memory` (4G; pre-token counts
/// beyond it spill to sorted runs).
public struct TokenizerTrainingStep: DatasetStep {
    public static let stepName = "train_tokenizer"
    public static let summary = "train a byte-level BPE tokenizer (HF-exact merges) on every input document"

    let options: BPETrainingOptions
    let counting: ParallelPreTokenCounter.Options
    let mergesFormat: MergesFormat

    public static func make(parameters p: StageParameters, workers: Int) throws -> TokenizerTrainingStep {
        guard p.has("vocab_size") else { throw p.error("vocab_size", "train_tokenizer needs 'vocab_size'") }
        let vocabSize = try p.int("vocab_size", default: 0)
        guard vocabSize > 0 else { throw p.error("vocab_size", "vocab_size must be positive") }
        var options = BPETrainingOptions(vocabSize: vocabSize)
        options.minFrequency = Int64(try p.int("min_frequency", default: 0))
        options.specialTokens = try p.stringList("special_tokens", default: [])
        if p.has("max_token_length") { options.maxTokenLength = try p.int("max_token_length", default: 0) }
        options.pattern = SplitPattern(rawValue: try p.choice("pattern", SplitPattern.allCases.map(\.rawValue), default: "gpt2"))!
        options.normalization = NormalizationForm(rawValue: try p.choice("normalization", ["none", "nfc", "nfkc"], default: "none"))
        options.idLayout = TokenIDLayout(rawValue: try p.choice("id_layout", TokenIDLayout.allCases.map(\.rawValue), default: "hf"))!
        let merges = MergesFormat(rawValue: try p.choice("merges_format", ["pairs", "legacy"], default: "pairs"))!
        var counting = ParallelPreTokenCounter.Options(threads: try p.int("threads", default: workers))
        counting.memoryBudget = try p.byteSize("memory", default: 4 << 30)
        counting.pattern = options.pattern
        counting.normalization = options.normalization
        try p.finish()
        return TokenizerTrainingStep(options: options, counting: counting, mergesFormat: merges)
    }

    public func run(documents: ((Document) throws -> Void) throws -> Void, directory: String) throws -> StageStats {
        var stats = StageStats(name: Self.stepName)
        var counting = self.counting
        counting.spillDirectory = directory + "/_pretokens"
        try FileManager.default.createDirectory(atPath: counting.spillDirectory!, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: counting.spillDirectory!) }
        let counter = ParallelPreTokenCounter(options: counting)
        try documents { document in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            try counter.add(document: document.text)
        }
        let counts = try counter.finish()
        let distinct = counts.knownCount
        let model = try BPETrainer(options: options).train(counts: consume counts)
        try model.write(to: directory, merges: mergesFormat)
        stats.count("vocab_size", model.vocab.count)
        stats.count("merges", model.merges.count)
        stats.count("spilled_runs", counter.runs.count)
        if let distinct { stats.count("distinct_pretokens", distinct) }
        return stats
    }
}
