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
        do {
            let run = StandaloneDatasetStepRun(stepName: step, parameters: parameters, inputs: inputs,
                                               format: try input.inputFormat(), readerOptions: input.readerOptions,
                                               output: output, results: ["documents", "excluded"])
            let stats = try run.run(options: RunOptions(workers: workers ?? ProcessInfo.processInfo.activeProcessorCount),
                                    logger: makeLogger(quiet: true, verbose: false))
            let filter = stats.first { $0.name == "filter" }
            FileHandle.standardError.write(Data("""
                \(filter?.documentsIn ?? 0) documents: \(filter?.counters["removed_\(unit)s"] ?? 0) duplicate \(unit)s \
                removed from \(filter?.counters["documents_changed"] ?? 0) documents; kept \(filter?.documentsOut ?? 0) \
                -> \(output)/documents, dropped \(filter?.excluded[step] ?? 0) left too short -> \(output)/excluded/\(step)\n
                """.utf8))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
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

    func run() throws {
        try common.run(step: "sentence_dedup", unit: "sentence", parameters: [
            "n_sentences": .number(JSONNumber(nSentences)), "min_words": .number(JSONNumber(minWords)),
            "min_sentences": .number(JSONNumber(minSentences)), "sentence_splitter": .string(sentenceSplitter),
            "language": .string(language),
        ])
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
