import ArgumentParser
import Foundation
import WinnowCore
import WinnowLM
import WinnowIO

/// `winnow lm ...`: n-gram language models for the `perplexity` stage.
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm", abstract: "N-gram language models (KenLM-compatible ARPA) for the perplexity stage.",
        subcommands: [LMTrainCommand.self, LMBuildCommand.self, LMScoreCommand.self])
}

/// What `lm train` reads: sentences one per line, or documents.
enum LMInputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, auto, jsonl, warc, wet
}

struct LMTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an interpolated modified Kneser-Ney n-gram model (KenLM lmplz semantics) and write it as ARPA.",
        discussion: """
        --format text (the default) reads plain text, one sentence per line, as lmplz does (plain, .gz or .zst); \
        jsonl, warc, wet or auto read documents and split each text into lines (paragraphs), every line one \
        sentence, the unit the perplexity stage scores. Empty lines are sentences too. Tokens are separated by \
        ASCII whitespace. <s>, </s> and <unk> in the text are skipped (lmplz --skip_symbols). Counting uses at \
        most --memory for its table, spilling sorted runs to --temp-dir; the model is the same for any --memory.
        """)

    @Argument(help: "Input files.")
    var inputs: [String]

    @Option(help: "N-gram order, 1 to 6 (as lmplz's default build).")
    var order: Int = 3

    @Option(name: .shortAndLong, help: "Output ARPA file.")
    var output: String

    @Option(help: "Memory for counting and sorting, e.g. 512MiB, 2GiB; past it, sorted runs go to disk.")
    var memory: String = "1GiB"

    @Option(help: "Directory for the sorted runs (default: the system's temporary directory).")
    var tempDir: String?

    @Flag(help: "Normalize the text as the perplexity stage's normalize: true does (CCNet: lowercase, accents, digits, punctuation).")
    var normalize = false

    @Flag(help: "Use discounts 0.5, 1, 1.5 for orders whose closed-form estimate fails (lmplz --discount_fallback).")
    var discountFallback = false

    @Option(help: "Input format: text (one sentence per line), or documents read as auto, jsonl, warc, wet.")
    var format: LMInputFormat = .text

    @Option(help: "JSONL field holding the text.")
    var textField: String = "text"

    func validate() throws {
        if order < 1 || order > 6 { throw ValidationError("--order must be between 1 and 6, not \(order)") }
        guard let bytes = ByteSize.parse(memory), bytes >= 1 << 16 else {
            throw ValidationError("--memory must be a size of at least 64KiB, e.g. 1GiB")
        }
        _ = bytes
    }

    func run() throws {
        try reportingErrors {
            let options = KneserNeyTrainingOptions(
                order: order, memoryBytes: ByteSize.parse(memory)!, temporaryDirectory: tempDir,
                discountFallback: discountFallback ? .fallback : nil, normalize: normalize)
            let trainer = try KneserNeyTrainer(options: options)
            let clock = ContinuousClock.now
            if format == .text {
                for input in inputs {
                    let reader = BufferedByteReader(source: try openByteSource(path: input))
                    while let line = try reader.nextLine(maxBytes: Int.max - 2) {
                        guard case .line(let bytes, _) = line else { continue }
                        try trainer.add(text: bytes.assumingMemoryBound(to: UInt8.self))
                    }
                }
            } else {
                var readerOptions = ReaderOptions()
                readerOptions.textField = textField
                var stats = StageStats(name: "read")
                try InputFormat(rawValue: format.rawValue)!.readDocuments(
                    files: inputs, options: readerOptions, stats: &stats, problem: printWarning,
                    emit: { document in try trainer.add(text: document.text) })
            }
            let summary = try trainer.writeARPA(to: output)
            let elapsed = ContinuousClock.now - clock
            var report = "\(summary.sentences) sentences, \(summary.tokens) tokens; n-grams "
            report += summary.ngramCounts.map(String.init).joined(separator: " / ")
            report += "; \(summary.countRuns) count runs on disk; \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))) -> \(output)\n"
            for (n, d) in summary.discounts.enumerated() {
                let fallback = summary.ordersWithFallbackDiscounts.contains(n + 1) ? " (fallback)" : ""
                report += "discounts \(n + 1)-grams: \(d)\(fallback)\n"
            }
            if summary.skippedSpecialTokens > 0 {
                report += "warning: \(summary.skippedSpecialTokens) <s>, </s> or <unk> in the text were skipped\n"
            }
            FileHandle.standardError.write(Data(report.utf8))
        }
    }
}

struct LMBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Convert an ARPA model to Winnow's binary form (.wlm), which loads by memory-mapping.",
        discussion: """
        The binary file is the loaded model's memory image (vocabulary hash table, words, unigram arrays and \
        one n-gram hash table per order); the perplexity stage and every model path accept either form and \
        tell them apart by the binary magic. Scores are identical.
        """)

    @Argument(help: "The ARPA model.")
    var arpa: String

    @Option(name: .shortAndLong, help: "Output binary model, e.g. en.wlm.")
    var output: String

    func run() throws {
        try reportingErrors {
            let start = ContinuousClock.now
            let model = try ARPAModel(path: arpa)
            let loaded = ContinuousClock.now
            try model.writeBinary(to: output)
            let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
            FileHandle.standardError.write(Data("""
                order \(model.order), n-grams \(model.counts.map(String.init).joined(separator: " / ")); \
                parsed in \(loaded - start); wrote \(size) bytes -> \(output)\n
                """.utf8))
        }
    }
}

struct LMScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score text, one sentence per line, like KenLM's query: log10 per line with <s> and </s>.",
        discussion: """
        Prints each line's log10 probability (Float sum, as KenLM) with --per-line, and a summary on standard \
        error: lines, tokens, OOV tokens, total log10, perplexity, model load time, scoring CPU time and MB/s.
        """)

    @Option(help: "The model, ARPA or binary (default: Winnow's built-in English model).")
    var model: String?

    @Argument(help: "Text files, one sentence per line (plain, .gz or .zst).")
    var inputs: [String]

    @Flag(help: "Print each line's log10 probability.")
    var perLine = false

    @Flag(help: "Normalize each line as the perplexity stage's normalize: true does.")
    var normalize = false

    func run() throws {
        try reportingErrors {
            let loadStart = ContinuousClock.now
            let lm = try model.map { try ARPAModel(path: $0) } ?? DefaultLanguageModels.model(language: "en")!
            let loadTime = ContinuousClock.now - loadStart
            var scorer = NGramScorer(model: lm)
            let normalizer = normalize ? LanguageModelNormalizer() : nil
            var normalized: [UInt8] = []
            var lines = 0, tokens = 0, oov = 0, bytes = 0
            var total = 0.0
            var out = ""
            let start = ContinuousClock.now
            let cpuStart = clock()
            for input in inputs {
                let reader = BufferedByteReader(source: try openByteSource(path: input))
                while let line = try reader.nextLine(maxBytes: Int.max - 2) {
                    guard case .line(let raw, _) = line else { continue }
                    let text = raw.assumingMemoryBound(to: UInt8.self)
                    bytes += text.count + 1
                    func score(_ text: UnsafeBufferPointer<UInt8>) -> Float {
                        let s = scorer.scoreLine(text)
                        tokens += s.tokens
                        oov += s.oov
                        return s.log10
                    }
                    let sentence: Float
                    if let normalizer {
                        normalizer.normalize(text, into: &normalized)
                        sentence = normalized.withUnsafeBufferPointer { score($0) }
                    } else {
                        sentence = score(text)
                    }
                    total += Double(sentence)
                    lines += 1
                    if perLine {
                        out += "\(sentence)\n"
                        if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
                    }
                }
            }
            let cpuSeconds = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
            let elapsed = (ContinuousClock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            if perLine { print(out, terminator: "") }
            let perplexity = pow(10, -total / Double(tokens + lines))
            FileHandle.standardError.write(Data("""
                \(lines) lines, \(tokens) tokens, \(oov) OOV; log10 \(total); perplexity \(perplexity); \
                load \(loadTime); scored \(bytes) bytes in \(String(format: "%.3f", cpuSeconds)) CPU s = \
                \(String(format: "%.1f", Double(bytes) / cpuSeconds / 1e6)) MB/s (\(String(format: "%.3f", seconds)) s wall)\n
                """.utf8))
        }
    }
}
