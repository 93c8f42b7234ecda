import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline

/// Options of the commands that dedup below the document (`dedup sentences`, `dedup lines`).
struct SpanDedupCommonOptions: ParsableArguments {
    @Argument(help: "Input files (JSONL, WARC, WET; compressed or not).")
    var inputs: [String]
    @Option(name: .shortAndLong, help: "Output directory: documents/ and excluded/ land here.")
    var output: String
    @Option(help: "Worker threads (default: all cores). The output is the same for any value.")
    var workers: Int?
    @Flag(help: "List the removed text in metadata <method>_removed.")
    var annotate = false
    @Option(help: "Memory per hashing task before its records spill to sorted runs on disk (e.g. 512M).")
    var memory: String = "512M"
    @Option(help: "An index of another dataset (winnow dedup index): what it holds is removed here. Repeatable.")
    var against: [String] = []
    @OptionGroup var input: DocumentInputOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if ByteSize.parse(memory) == nil { throw ValidationError("--memory must be a size such as 512M or 4G") }
    }

    /// Runs `step` (whose excluded documents go to `excluded/<step>/`) and prints a summary counting `unit`s.
    func run(step: String, unit: String, parameters extra: [String: JSONValue]) throws {
        var parameters = extra
        parameters["annotate"] = .bool(annotate)
        parameters["memory"] = .string(memory)
        if !against.isEmpty { parameters["against"] = .array(against.map { .string($0) }) }
        let stats = try runStandaloneStep(step, parameters: parameters, inputs: inputs, input: input, output: output,
                                          results: ["documents", "excluded"], workers: workers)
        let filter = stats.first { $0.name == "filter" }
        FileHandle.standardError.write(Data("""
            \(filter?.documentsIn ?? 0) documents: \(filter?.counters["removed_\(unit)s"] ?? 0) duplicate \(unit)s \
            removed from \(filter?.counters["documents_changed"] ?? 0) documents; kept \(filter?.documentsOut ?? 0) \
            -> \(output)/documents, dropped \(filter?.excluded[step] ?? 0) left too short -> \(output)/excluded/\(step)\n
            """.utf8))
    }
}

/// Runs a whole-dataset step on its own with the executor of `winnow run` (so a rerun resumes) and returns its
/// stats rows; an error is printed and exits with status 2.
func runStandaloneStep(_ step: String, parameters: [String: JSONValue], inputs: [String], input: DocumentInputOptions,
                       output: String, results: [String], workers: Int?) throws -> [StageStats] {
    do {
        let run = StandaloneDatasetStepRun(stepName: step, parameters: parameters, inputs: inputs,
                                           format: try input.inputFormat(), readerOptions: input.readerOptions,
                                           output: output, results: results)
        let stats = try run.run(options: RunOptions(workers: workers ?? ProcessInfo.processInfo.activeProcessorCount),
                                logger: makeLogger(quiet: true, verbose: false))
        reportInputProblems(inputProblemCount(stats), output: output)
        return stats
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// Tells the user how many input records were unreadable and where they are listed.
func reportInputProblems(_ count: Int, output: String) {
    guard count > 0 else { return }
    FileHandle.standardError.write(Data("warning: \(count) input problems (unreadable records, skipped) are listed in \(output)/problems/\n".utf8))
}

/// The input problems the `read` row of a standalone step's stats counts (`problem:<reason>` counters).
func inputProblemCount(_ stats: [StageStats]) -> Int {
    stats.first { $0.name == "read" }?.counters.filter { $0.key.hasPrefix("problem:") }.map(\.value).reduce(0, +) ?? 0
}

/// `winnow dedup sentences INPUT... --output DIR`: the `sentence_dedup` step on its own (datatrove's
/// SentenceDedup): later repeats of every 3-sentence span are cut out; documents left too short land in
/// `DIR/excluded/sentence_dedup/`, the others in `DIR/documents/`.
struct DedupSentencesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentences", abstract: "Cut repeated n-sentence spans (C4, datatrove's SentenceDedup) after their first occurrence.")

    @OptionGroup var common: SpanDedupCommonOptions
    @Option(help: "Sentences per hashed span.")
    var nSentences: Int = 3
    @Option(help: "A changed document is dropped when fewer words remain (0: off).")
    var minWords: Int = 50
    @Option(help: "A changed document is dropped when fewer sentences remain (0: off).")
    var minSentences: Int = 3
    @Option(help: "auto (spaCy's rules for English, ICU for other languages), spacy, icu or lines.")
    var sentenceSplitter: String = "auto"
    @Option(help: "The documents' language when they have no metadata.language.")
    var language: String = "en"
    @Flag(help: "Also remove spans repeated with small edits (MinHash LSH over each span's character n-grams).")
    var nearDuplicates = false
    @Option(help: "Near duplicates: characters per shingle.")
    var nearCharNgram: Int?
    @Option(help: "Near duplicates: LSH bands.")
    var nearBands: Int?
    @Option(help: "Near duplicates: MinHash values per band.")
    var nearRows: Int?
    @Option(help: "Near duplicates: a Jaccard similarity to choose bands and rows for (instead of --near-bands/--near-rows).")
    var nearThreshold: Double?

    func run() throws {
        var p: [String: JSONValue] = [
            "n_sentences": .number(JSONNumber(nSentences)), "min_words": .number(JSONNumber(minWords)),
            "min_sentences": .number(JSONNumber(minSentences)), "sentence_splitter": .string(sentenceSplitter),
            "language": .string(language), "near_duplicates": .bool(nearDuplicates),
        ]
        if let nearCharNgram { p["near_char_ngram"] = .number(JSONNumber(nearCharNgram)) }
        if let nearBands { p["near_bands"] = .number(JSONNumber(nearBands)) }
        if let nearRows { p["near_rows"] = .number(JSONNumber(nearRows)) }
        if let nearThreshold { p["near_threshold"] = .number(JSONNumber(nearThreshold)) }
        try common.run(step: "sentence_dedup", unit: "sentence", parameters: p)
    }
}

/// `winnow dedup lines INPUT... --output DIR`: the `line_dedup` step on its own (CCNet's line dedup).
struct DedupLinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lines", abstract: "Remove repeated lines or paragraphs after CCNet's normalization.")

    @OptionGroup var common: SpanDedupCommonOptions
    @Option(help: "What is hashed: line or paragraph.")
    var unit: String = "line"
    @Option(help: "Remove a unit found in more than this many documents, everywhere (default: keep the first occurrence).")
    var maxDocuments: Int?
    @Option(help: "Units shorter than this (normalized characters) are left alone (0: blank lines too, as CCNet).")
    var minLineLength: Int = 1

    func run() throws {
        var p: [String: JSONValue] = ["unit": .string(unit), "min_line_length": .number(JSONNumber(minLineLength))]
        if let maxDocuments { p["max_documents"] = .number(JSONNumber(maxDocuments)) }
        try common.run(step: "line_dedup", unit: unit, parameters: p)
    }
}

/// `winnow dedup index INPUT... --output INDEX`: the line, sentence-span, MinHash band or exact hashes of a
/// dataset with the documents they came from, for `--against INDEX` of `dedup lines|sentences|minhash|exact`
/// (and `against:` in YAML) on a later dataset.
struct DedupIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Write an index of a dataset's line, sentence-span, MinHash band or exact hashes (for --against).")

    @Argument(help: "Input files (JSONL, WARC, WET; compressed or not).")
    var inputs: [String]
    @Option(name: .shortAndLong, help: "The index directory to write (index.json, keys-XXX.bin, documents.tsv, documents.bin).")
    var output: String
    @Option(help: "lines, sentences, minhash or exact: the keys of line_dedup, sentence_dedup, minhash_dedup or exact_dedup.")
    var method: String = "lines"
    @Option(help: "lines: line or paragraph.")
    var unit: String = "line"
    @Option(help: "lines: shorter units are not indexed.")
    var minLineLength: Int = 1
    @Option(help: "sentences: sentences per span.")
    var nSentences: Int = 3
    @Option(help: "sentences: auto, spacy, icu or lines.")
    var sentenceSplitter: String = "auto"
    @Option(help: "sentences: the documents' language when they have no metadata.language.")
    var language: String = "en"
    @OptionGroup var minhash: MinHashSignatureOptions
    @Flag(help: "exact: hash the text after datatrove's simplify_text.")
    var normalize = false
    @Option(help: "lines, sentences, exact: write a Bloom filter with this false-positive rate instead of a sorted index (no document ids).")
    var bloomFalsePositiveRate: Double?
    @Option(help: "With --bloom-false-positive-rate: the distinct keys the filter is sized for.")
    var bloomExpectedItems: Int?
    @Option(help: "Worker threads (default: all cores).")
    var workers: Int?
    @OptionGroup var input: DocumentInputOptions

    func run() throws {
        var parameters: [String: JSONValue] = minhash.parameters.merging([
            "method": .string(method), "unit": .string(unit), "min_line_length": .number(JSONNumber(minLineLength)),
            "n_sentences": .number(JSONNumber(nSentences)), "sentence_splitter": .string(sentenceSplitter), "language": .string(language),
            "normalize": .bool(normalize),
        ]) { a, _ in a }
        if let bloomFalsePositiveRate { parameters["bloom_false_positive_rate"] = .number(JSONNumber(bloomFalsePositiveRate)) }
        if let bloomExpectedItems { parameters["bloom_expected_items"] = .number(JSONNumber(bloomExpectedItems)) }
        let stats = try runStandaloneStep("dedup_index", parameters: parameters, inputs: inputs, input: input, output: output,
                                          results: ["output"], workers: workers)
        let index = stats.first { $0.name == "index" }
        if bloomFalsePositiveRate != nil {
            FileHandle.standardError.write(Data("Bloom filter of \(method) keys, \(index?.counters["bits_set"] ?? 0) bits set -> \(output)\n".utf8))
            return
        }
        FileHandle.standardError.write(Data("""
            \(index?.counters["distinct_keys"] ?? 0) distinct \(method) keys of \(index?.counters["documents"] ?? 0) documents -> \(output)\n
            """.utf8))
    }
}
