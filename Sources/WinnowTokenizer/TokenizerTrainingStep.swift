import Foundation
import WinnowCore
import WinnowText

/// `run: {train_tokenizer: {...}}`: trains a byte-level BPE tokenizer on the step's input documents and writes
/// `output/tokenizer.json`, `vocab.json`, `merges.txt` (and the tiktoken exports), as `winnow tokenizer train`
/// does — the command runs this step.
///
/// Two phases:
/// 1. `count` (one task per slice of the input files): counts the pre-tokens of the task's documents and writes
///    them as sorted runs `count/<task>_<n>.run` (several when the counts pass `memory`);
/// 2. `train` (one task, all workers): merges every run, summing counts, and trains.
/// Counting is a sum, so the tokenizer is the same for any number of tasks, workers or memory budget.
///
/// Parameters, as the command's options: see `parameters` (or `winnow stages train_tokenizer`).
public struct TokenizerTrainingStep: DatasetStep {
    public static let stepName = "train_tokenizer"
    public static let summary = "train a byte-level BPE tokenizer (HF-exact merges) on every input document"

    public let options: BPETrainingOptions
    public let counting: ParallelPreTokenCounter.Options
    /// Threads counting in one task; 0: the workers the executor gives the task.
    public let threads: Int
    public let mergesFormat: MergesFormat

    public static let parameters: [ParameterDeclaration] = [
        .int("vocab_size", .required, "the vocabulary size, special tokens and the 256 bytes included"),
        .int("min_frequency", default: 0, "merge only pairs seen at least this often"),
        .stringList("special_tokens", default: [], "tokens added to the vocabulary whole (such as <|endoftext|>), none empty"),
        .int("max_token_length", .absent("no limit"), "the longest token, in characters"),
        .choice("id_layout", TokenIDLayout.allCases.map(\.rawValue), default: TokenIDLayout.hf.rawValue,
                "hf: ids as HuggingFace tokenizers gives them; bytes: the 256 bytes first"),
        .choice("pattern", SplitPattern.self, default: .gpt2, "the pre-tokenization split pattern"),
        .choice("normalization", ["none", "nfc", "nfkc"], default: "none", "Unicode normalization before pre-tokenization"),
        .choice("merges_format", ["pairs", "legacy"], default: "pairs", "merges in tokenizer.json as pairs or as \"a b\" strings (legacy)"),
        .int("threads", default: 0, "threads counting in one task; 0: all workers when the input is one task, else one per task"),
        .byteSize("memory", default: "1GiB", "memory of one counting task; beyond it pre-token counts spill to sorted runs"),
    ]

    public static func make(parameters p: StageParameters) throws -> TokenizerTrainingStep {
        try p.validate(against: parameters)
        let vocabSize = try p.int("vocab_size")
        guard vocabSize > 0 else { throw p.error("vocab_size", "vocab_size must be positive") }
        var options = BPETrainingOptions(vocabSize: vocabSize)
        options.minFrequency = Int64(try p.int("min_frequency"))
        options.specialTokens = try p.stringList("special_tokens")
        if let empty = options.specialTokens.firstIndex(of: "") {
            throw p.error("special_tokens", "special token \(empty + 1) of \(options.specialTokens.count) is empty: a special token needs at least one character")
        }
        if let maxLength = try p.optionalInt("max_token_length") { options.maxTokenLength = maxLength }
        options.pattern = try p.choice("pattern", as: SplitPattern.self)
        options.normalization = NormalizationForm(rawValue: try p.choice("normalization"))
        options.idLayout = try p.choice("id_layout", as: TokenIDLayout.self)
        let merges = try p.choice("merges_format", as: MergesFormat.self)
        var counting = ParallelPreTokenCounter.Options(threads: 1)
        let threads = try p.int("threads")
        guard threads >= 0 else { throw p.error("threads", "threads must be 0 (automatic) or more") }
        counting.memoryBudget = try p.byteSize("memory")
        counting.pattern = options.pattern
        counting.normalization = options.normalization
        try p.finish()
        return TokenizerTrainingStep(options: options, counting: counting, threads: threads, mergesFormat: merges)
    }

    public var phases: [DatasetPhase] {
        [DatasetPhase(name: "count", tasks: .inputFiles) { try count($0) },
         DatasetPhase(name: "train", tasks: .fixed(1), writes: ["output"]) { try train($0) }]
    }

    /// Counts the task's pre-tokens into sorted runs.
    func count(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "count")
        let prefix = try context.taskFile(in: "count", suffix: "_")
        var counting = self.counting
        counting.threads = threads > 0 ? threads : context.workers
        counting.spillDirectory = String(prefix[..<prefix.lastIndex(of: "/")!])
        counting.runFilePrefix = String(prefix[prefix.index(after: prefix.lastIndex(of: "/")!)...])
        let counter = ParallelPreTokenCounter(options: counting)
        try context.forEachDocument { document, _ in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            try counter.add(document: document.text)
        }
        let runs = try counter.finishIntoRuns()
        stats.documentsOut = stats.documentsIn
        stats.bytesOut = stats.bytesIn
        stats.count("runs", runs.count)
        return stats
    }

    /// Merges every counting run and trains.
    func train(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "train")
        let runs = try context.files(in: "count").filter { $0.hasSuffix(".run") }
        let model = try BPETrainer(options: options).train(counts: .runs(runs))
        let tokenizer = try context.outputFile(in: "output", name: "tokenizer.json")
        try model.write(to: String(tokenizer[..<tokenizer.lastIndex(of: "/")!]), merges: mergesFormat)
        stats.count("vocab_size", model.vocab.count)
        stats.count("merges", model.merges.count)
        stats.count("runs", runs.count)
        return stats
    }
}
