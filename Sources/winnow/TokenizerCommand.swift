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
                      TokenizerEvalCommand.self, TokenizerExtendCommand.self, TokenizerBenchCommand.self])
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

    @Option(help: "Split pattern preset: gpt2, cl100k, llama3, o200k, qwen2.")
    var pattern: String = "gpt2"

    @Option(help: "Token id layout: hf (specials, 256 bytes in byte-level character order, merges; HF-exact) or bytes (ids 0-255 = byte values, merges, specials last).")
    var idLayout: String = "hf"

    @Option(help: "Merges in tokenizer.json: pairs (tokenizers >= 0.20) or legacy (\"a b\" strings).")
    var mergesFormat: String = "pairs"

    @Option(help: "JSONL field holding the text.")
    var textField: String = "text"

    @Option(help: "Unicode normalization before splitting: none, nfc or nfkc (nfkc is lossy: see docs/tokenizer.md).")
    var normalization: String = "none"

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
        if SplitPattern(rawValue: pattern) == nil {
            throw ValidationError("unknown --pattern \(pattern) (known: \(SplitPattern.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if TokenIDLayout(rawValue: idLayout) == nil {
            throw ValidationError("unknown --id-layout \(idLayout) (known: \(TokenIDLayout.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if MergesFormat(rawValue: mergesFormat) == nil { throw ValidationError("--merges-format must be pairs or legacy") }
        if !["none", "nfc", "nfkc"].contains(normalization) { throw ValidationError("--normalization must be none, nfc or nfkc") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if ByteSize.parse(memory) == nil { throw ValidationError("--memory must be a size such as 512M or 4G") }
    }

    func run() throws {
        do {
            var options = BPETrainingOptions(vocabSize: vocabSize)
            options.minFrequency = minFrequency
            options.specialTokens = specialTokens
            options.maxTokenLength = maxTokenLength
            options.pattern = SplitPattern(rawValue: pattern)!
            options.idLayout = TokenIDLayout(rawValue: idLayout)!
            options.normalization = NormalizationForm(rawValue: normalization)
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
            for input in inputs {
                var stats = StageStats(name: "read")
                try InputFormat.auto.resolve(path: input).reader(options: readerOptions).read(
                    file: input, stats: &stats,
                    problem: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) },
                    emit: { document in try counter.add(document: document.text) })
            }
            let counts = try counter.finish()
            let distinctCount = counts.knownCount
            let model = try BPETrainer(options: options).train(counts: consume counts)
            try model.write(to: output, merges: MergesFormat(rawValue: mergesFormat)!)
            let distinct = distinctCount.map { "\($0) distinct pre-tokens" } ?? "pre-tokens spilled in \(counter.runs.count) runs"
            let tiktoken = model.tiktokenMismatch.map { "; no .tiktoken export: \($0)" } ?? ", tokenizer.tiktoken, tiktoken.json"
            FileHandle.standardError.write(Data("""
                \(counter.documents) documents, \(distinct), vocab \(model.vocab.count), \
                \(model.merges.count) merges -> \(output)/tokenizer.json, vocab.json, merges.txt\(tiktoken)\n
                """.utf8))
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
