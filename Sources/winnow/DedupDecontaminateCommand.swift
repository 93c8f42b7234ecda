import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline

/// `winnow dedup decontaminate INPUT... --eval-set FILE... --output DIR`: the `decontaminate` stage on its own:
/// documents sharing a word n-gram with an evaluation set go to `DIR/excluded/` (or lose the matched spans with
/// `--mode cut`), the others to `DIR/kept/`.
struct DedupDecontaminateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decontaminate", abstract: "Remove documents (or cut spans) sharing word n-grams with evaluation sets.")

    @Argument(help: "Input files (JSONL, WARC, WET; compressed or not).")
    var inputs: [String]
    @Option(name: .customLong("eval-set"), help: "An evaluation set: JSONL (string fields are items) or text (one item per line). Repeatable.")
    var evalSets: [String] = []
    @Option(name: .shortAndLong, help: "Output directory: kept/ and excluded/ are written below it.")
    var output: String
    @Option(help: "Words per n-gram (GPT-3: 13, datatrove: 12).")
    var ngramSize: Int = 13
    @Option(help: "drop (the document), cut (the matched spans with a margin, GPT-3) or paragraphs (a paragraph of an evaluation item drops the document, dolma).")
    var mode: String = "drop"
    @Option(help: "words (split at whitespace and punctuation) or datatrove (simplify_text, then spaCy's English rules: datatrove's n-grams).")
    var words: String = "words"
    @Option(help: "paragraphs: evaluation paragraphs with fewer words are not indexed (dolma: 13).")
    var minParagraphWords: Int = 13
    @Option(help: "JSONL fields whose strings are items (comma-separated; default every field but id).")
    var fields: String?
    @OptionGroup var input: DocumentInputOptions
    @Option(help: "Output compression (none, gzip, zstd).")
    var compression: Compression = .zstd

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
        guard !evalSets.isEmpty else { throw ValidationError("give at least one --eval-set FILE") }
    }

    func run() throws {
        var parameters: [String: JSONValue] = [
            "eval_sets": .array(evalSets.map { .string($0) }), "ngram_size": .number(JSONNumber(ngramSize)), "mode": .string(mode), "words": .string(words),
            "min_paragraph_words": .number(JSONNumber(minParagraphWords)),
        ]
        if let fields { parameters["fields"] = .array(fields.split(separator: ",").map { .string(String($0)) }) }
        let run = StandaloneStageRun(stageName: "decontaminate", parameters: parameters, inputs: inputs,
                                     format: try input.inputFormat(), readerOptions: input.readerOptions, output: output,
                                     compression: compression, optionNames: ["eval_sets": "--eval-set"])
        try reportingErrors {
            let (stats, problems) = try run.run(problem: printWarning)
            reportInputProblems(problems, output: output)
            print("""
                decontaminate: \(stats.documentsIn) documents, \(stats.counters["contaminated_documents"] ?? 0) with \
                \(stats.counters["matched_ngrams"] ?? 0) matched \(ngramSize)-grams: \(stats.documentsOut) kept \
                (\(stats.counters["cut_documents"] ?? 0) cut) -> \(output)/kept, \(stats.documentsIn - stats.documentsOut) \
                excluded -> \(output)/excluded
                """)
        }
    }
}
