import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline

/// `winnow dedup sentences INPUT... --output DIR`: the `sentence_dedup` step on its own (datatrove's
/// SentenceDedup): later repeats of every 3-sentence span are cut out; documents left too short land in
/// `DIR/excluded/sentence_dedup/`, the others in `DIR/documents/`.
struct DedupSentencesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentences", abstract: "Cut repeated n-sentence spans (C4, datatrove's SentenceDedup) after their first occurrence.")

    @Argument(help: "Input files (JSONL, WARC, WET; compressed or not).")
    var inputs: [String]
    @Option(name: .shortAndLong, help: "Output directory: documents/ and excluded/ land here.")
    var output: String
    @Option(help: "Worker threads (default: all cores). The output is the same for any value.")
    var workers: Int?
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
    @Flag(help: "List the removed spans in metadata sentence_dedup_removed.")
    var annotate = false
    @Option(help: "Memory per hashing task before its records spill to sorted runs on disk (e.g. 512M).")
    var memory: String = "512M"
    @OptionGroup var input: DocumentInputOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if ByteSize.parse(memory) == nil { throw ValidationError("--memory must be a size such as 512M or 4G") }
    }

    func run() throws {
        let parameters: [String: JSONValue] = [
            "n_sentences": .number(JSONNumber(nSentences)), "min_words": .number(JSONNumber(minWords)),
            "min_sentences": .number(JSONNumber(minSentences)), "sentence_splitter": .string(sentenceSplitter),
            "language": .string(language), "annotate": .bool(annotate), "memory": .string(memory),
        ]
        do {
            let run = StandaloneDatasetStepRun(stepName: "sentence_dedup", parameters: parameters, inputs: inputs,
                                               format: try input.inputFormat(), readerOptions: input.readerOptions,
                                               output: output, results: ["documents", "excluded"])
            let stats = try run.run(options: RunOptions(workers: workers ?? ProcessInfo.processInfo.activeProcessorCount),
                                    logger: makeLogger(quiet: true, verbose: false))
            let filter = stats.first { $0.name == "filter" }
            FileHandle.standardError.write(Data("""
                \(filter?.documentsIn ?? 0) documents: \(filter?.counters["removed_spans"] ?? 0) duplicate spans \
                (\(filter?.counters["removed_sentences"] ?? 0) sentences) cut from \(filter?.counters["documents_changed"] ?? 0) \
                documents; kept \(filter?.documentsOut ?? 0) -> \(output)/documents, dropped \
                \(filter?.excluded["sentence_dedup"] ?? 0) left too short -> \(output)/excluded/sentence_dedup\n
                """.utf8))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
