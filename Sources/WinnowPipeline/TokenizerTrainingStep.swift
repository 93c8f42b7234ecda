import Foundation
import WinnowCore
import WinnowText
import WinnowTokenizer

/// `run: {train_tokenizer: {...}}`: trains a byte-level BPE tokenizer on the step's input documents and writes
/// `output/tokenizer.json`, `vocab.json` and `merges.txt` (what `winnow tokenizer train` writes).
///
/// Parameters, as the command's options: see `parameters` (or `winnow stages train_tokenizer`).
public struct TokenizerTrainingStep: DatasetStep {
    public static let stepName = "train_tokenizer"
    public static let summary = "train a byte-level BPE tokenizer (HF-exact merges) on every input document"

    let options: BPETrainingOptions
    let counting: ParallelPreTokenCounter.Options
    let mergesFormat: MergesFormat

    public static let parameters: [ParameterDeclaration] = [
        .int("vocab_size", .required, "the vocabulary size, special tokens and the 256 bytes included"),
        .int("min_frequency", default: 0, "merge only pairs seen at least this often"),
        .stringList("special_tokens", default: [], "tokens added to the vocabulary whole (such as <|endoftext|>)"),
        .int("max_token_length", .absent("no limit"), "the longest token, in characters"),
        .choice("id_layout", TokenIDLayout.allCases.map(\.rawValue), default: TokenIDLayout.hf.rawValue,
                "hf: ids as HuggingFace tokenizers gives them; bytes: the 256 bytes first"),
        .choice("pattern", SplitPattern.self, default: .gpt2, "the pre-tokenization split pattern"),
        .choice("normalization", ["none", "nfc", "nfkc"], default: "none", "Unicode normalization before pre-tokenization"),
        .choice("merges_format", ["pairs", "legacy"], default: "pairs", "merges in tokenizer.json as pairs or as \"a b\" strings (legacy)"),
        .int("threads", .absent("the run's workers"), "threads counting pre-tokens"),
        .byteSize("memory", default: "4GiB", "memory for pre-token counts; beyond it they spill to sorted runs"),
    ]

    public static func make(parameters p: StageParameters, workers: Int) throws -> TokenizerTrainingStep {
        try p.validate(against: parameters)
        let vocabSize = try p.int("vocab_size")
        guard vocabSize > 0 else { throw p.error("vocab_size", "vocab_size must be positive") }
        var options = BPETrainingOptions(vocabSize: vocabSize)
        options.minFrequency = Int64(try p.int("min_frequency"))
        options.specialTokens = try p.stringList("special_tokens")
        if let maxLength = try p.optionalInt("max_token_length") { options.maxTokenLength = maxLength }
        options.pattern = try p.choice("pattern", as: SplitPattern.self)
        options.normalization = NormalizationForm(rawValue: try p.choice("normalization"))
        options.idLayout = try p.choice("id_layout", as: TokenIDLayout.self)
        let merges = try p.choice("merges_format", as: MergesFormat.self)
        var counting = ParallelPreTokenCounter.Options(threads: try p.optionalInt("threads") ?? workers)
        counting.memoryBudget = try p.byteSize("memory")
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
