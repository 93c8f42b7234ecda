import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowText
import WinnowTokenizer

/// `winnow tokenizer ...`: byte-level BPE tokenizers.
struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer", abstract: "Byte-level BPE tokenizers (HF tokenizers-compatible).",
        subcommands: [TokenizerTrainCommand.self, TokenizerEncodeCommand.self, TokenizerDecodeCommand.self,
                      TokenizerEvalCommand.self, TokenizerExtendCommand.self])
}

struct TokenizerTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a byte-level BPE tokenizer on documents; write tokenizer.json, vocab.json, merges.txt, tokenizer.tiktoken.",
        discussion: """
        Each document's whole text is one training sequence (JSONL, WARC or WET, optionally .gz/.zst). With \
        --id-layout hf (the default) the vocab and merges equal HF tokenizers' BpeTrainer with \
        initial_alphabet=ByteLevel.alphabet() and ByteLevel(add_prefix_space=False): special tokens first, then the \
        256 byte symbols in the order of their byte-level characters, then the merges; equal pair counts are \
        broken by the smallest (left id, right id). Training uses one thread.
        """)

    @Argument(help: "Input files (JSONL, WARC, WET; plain, .gz or .zst).")
    var inputs: [String]

    @Option(help: "Vocabulary size: special tokens + 256 byte symbols + merges.")
    var vocabSize: Int

    @Option(help: "Minimum count of a pair to be merged; training stops at the first pair below it.")
    var minFrequency: Int64 = 0

    @Option(name: .customLong("special-token"), help: "A special token (repeatable); they get the first ids.")
    var specialTokens: [String] = []

    @Option(help: "Maximum token length in bytes (HF max_token_length).")
    var maxTokenLength: Int?

    @Option(help: "Split pattern preset.")
    var pattern: SplitPattern = .gpt2

    @Option(help: "Token id layout: hf (specials, 256 bytes in byte-level character order, merges; HF-exact) or bytes (ids 0-255 = byte values, merges, specials last).")
    var idLayout: TokenIDLayout = .hf

    @Option(help: "Merges in tokenizer.json: pairs (tokenizers >= 0.20) or legacy (\"a b\" strings).")
    var mergesFormat: MergesFormat = .pairs

    @Option(help: "JSONL field holding the text.")
    var textField: String = "text"

    @Option(help: "Unicode normalization before splitting (nfkc is lossy: see docs/tokenizer.md).")
    var normalization: NormalizationChoice = .none

    @Option(help: "Threads counting pre-tokens (default: all cores). The result is the same for any number.")
    var threads: Int?

    @Option(help: "Memory for pre-token counts before spilling sorted runs to OUTPUT/_pretokens (e.g. 2G).")
    var memory: String = "4G"

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String

    func validate() throws {
        if vocabSize < 1 { throw ValidationError("--vocab-size must be positive") }
        if minFrequency < 0 { throw ValidationError("--min-frequency must not be negative") }
        if let maxTokenLength, maxTokenLength < 1 { throw ValidationError("--max-token-length must be positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if ByteSize.parse(memory) == nil { throw ValidationError("--memory must be a size such as 512M or 4G") }
    }

    func run() throws {
        try reportingErrors {
            var options = BPETrainingOptions(vocabSize: vocabSize)
            options.minFrequency = minFrequency
            options.specialTokens = specialTokens
            options.maxTokenLength = maxTokenLength
            options.pattern = pattern
            options.idLayout = idLayout
            options.normalization = NormalizationForm(rawValue: normalization.rawValue)
            var counting = ParallelPreTokenCounter.Options(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            counting.normalization = options.normalization
            counting.pattern = options.pattern
            counting.memoryBudget = ByteSize.parse(memory)!
            let spillDirectory = output + "/_pretokens"
            try FileManager.default.createDirectory(atPath: spillDirectory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: spillDirectory) }
            counting.spillDirectory = spillDirectory
            let counter = ParallelPreTokenCounter(options: counting)
            var readerOptions = ReaderOptions()
            readerOptions.textField = textField
            var stats = StageStats(name: "read")
            try InputFormat.auto.readDocuments(files: inputs, options: readerOptions, stats: &stats, problem: printWarning,
                                               emit: { document in try counter.add(document: document.text) })
            let counts = try counter.finish()
            let distinctCount = counts.knownCount
            let model = try BPETrainer(options: options).train(counts: consume counts)
            try model.write(to: output, merges: mergesFormat)
            let byteSymbols = 256 + specialTokens.count
            if vocabSize <= byteSymbols {
                FileHandle.standardError.write(Data("warning: --vocab-size \(vocabSize) leaves no room for merges: the \(byteSymbols) byte symbols and special tokens fill it; give more than \(byteSymbols)\n".utf8))
            }
            let distinct = distinctCount.map { "\($0) distinct pre-tokens" } ?? "pre-tokens spilled in \(counter.runs.count) runs"
            let tiktoken = model.tiktokenMismatch.map { "; no .tiktoken export: \($0)" } ?? ", tokenizer.tiktoken, tiktoken.json"
            FileHandle.standardError.write(Data("""
                \(counter.documents) documents, \(distinct), vocab \(model.vocab.count), \
                \(model.merges.count) merges -> \(output)/tokenizer.json, vocab.json, merges.txt\(tiktoken)\n
                """.utf8))
        }
    }
}
