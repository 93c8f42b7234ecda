import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline
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
        broken by the smallest (left id, right id). Runs the phases of the pipeline step `train_tokenizer` (counting \
        on all threads, one task per input file, then merging on one thread) in OUTPUT/.winnow-run, which is removed \
        when training completes.
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

    @Option(help: "Memory for one counting task's pre-token counts before spilling sorted runs to disk (e.g. 2G).")
    var memory: String = "1G"

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
            // The same phases as the pipeline step `run: {train_tokenizer: ...}`.
            var parameters: [String: JSONValue] = [
                "vocab_size": .number(JSONNumber(vocabSize)), "min_frequency": .number(JSONNumber(Int(minFrequency))),
                "special_tokens": .array(specialTokens.map { .string($0) }), "pattern": .string(pattern.rawValue),
                "id_layout": .string(idLayout.rawValue), "merges_format": .string(mergesFormat.rawValue),
                "normalization": .string(normalization.rawValue),
                "memory": .string(memory),
            ]
            if let maxTokenLength { parameters["max_token_length"] = .number(JSONNumber(maxTokenLength)) }
            var readerOptions = ReaderOptions()
            readerOptions.textField = textField
            let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
            let run = StandaloneDatasetStepRun(stepName: TokenizerTrainingStep.stepName, parameters: parameters, inputs: inputs,
                                               readerOptions: readerOptions, output: output, optionNames: ["special_tokens": "--special-token"])
            let stats = try run.run(options: RunOptions(workers: workers), logger: makeLogger(quiet: true, verbose: false))
            let read = stats.first { $0.name == "read" }
            let train = stats.first { $0.name == "train" }
            let problems = inputProblemCount(stats)
            let byteSymbols = 256 + specialTokens.count
            if vocabSize <= byteSymbols {
                FileHandle.standardError.write(Data("warning: --vocab-size \(vocabSize) leaves no room for merges: the \(byteSymbols) byte symbols and special tokens fill it; give more than \(byteSymbols)\n".utf8))
            }
            let tiktoken = FileManager.default.fileExists(atPath: output + "/tokenizer.tiktoken") ? ", tokenizer.tiktoken, tiktoken.json" : ""
            FileHandle.standardError.write(Data("""
                \(read?.documentsOut ?? 0) documents\(problems > 0 ? " (\(problems) input problems)" : ""), \
                vocab \(train?.counters["vocab_size"] ?? 0), \(train?.counters["merges"] ?? 0) merges -> \
                \(output)/tokenizer.json, vocab.json, merges.txt\(tiktoken)\n
                """.utf8))
        }
    }
}
