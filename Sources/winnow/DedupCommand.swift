import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline

/// `winnow dedup minhash|exact|url INPUT... --output DIR`: the dedup steps on their own, with the phases and
/// executor of `run: {minhash_dedup: ...}` (so an interrupted command resumes when run again). Kept documents
/// land in `DIR/documents/`, removed ones in `DIR/excluded/<method>/` with the kept document's id.
struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup", abstract: "Remove duplicate documents (MinHash near duplicates, exact texts, URLs).",
        subcommands: [DedupMinHashCommand.self, DedupExactCommand.self, DedupURLCommand.self,
                       DedupSentencesCommand.self, DedupLinesCommand.self, DedupDecontaminateCommand.self,
                       DedupIndexCommand.self])
}

/// Options every dedup command takes.
struct DedupCommonOptions: ParsableArguments {
    @Argument(help: "Input files (JSONL, WARC, WET; compressed or not).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output directory: documents/ and excluded/ land here.")
    var output: String

    @Option(help: "Worker threads (default: all cores). The output is the same for any value.")
    var workers: Int?

    @Option(help: "Which member of a cluster stays: first (smallest input position), longest, none (drop all).")
    var keep: String = "first"

    @Flag(help: "Add <method>_cluster_id and <method>_cluster_size to the members of clusters.")
    var annotate = false

    @Option(help: "Memory per hashing task before its records spill to sorted runs on disk (e.g. 512M).")
    var memory: String = "512M"

    @Option(help: "Tasks of each clustering phase (partitions of the candidate-pair graph).")
    var clusterTasks: Int = 4

    @Option(help: "Label-propagation rounds before the union-find fallback.")
    var clusterRounds: Int = 12

    @OptionGroup var input: DocumentInputOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        guard ["first", "longest", "none"].contains(keep) else { throw ValidationError("--keep must be first, longest or none") }
        if ByteSize.parse(memory) == nil { throw ValidationError("--memory must be a size such as 512M or 4G") }
    }

    /// Runs `step` with `parameters` plus the common ones and prints a summary.
    func run(step: String, method: String, parameters extra: [String: JSONValue]) throws {
        var parameters = extra
        parameters["keep"] = .string(keep)
        parameters["annotate"] = .bool(annotate)
        parameters["memory"] = .string(memory)
        parameters["cluster_tasks"] = .number(JSONNumber(clusterTasks))
        parameters["cluster_rounds"] = .number(JSONNumber(clusterRounds))
        let stats = try runStandaloneStep(step, parameters: parameters, inputs: inputs, input: input, output: output,
                                          results: ["documents", "excluded"], workers: workers)
        let filter = stats.first { $0.name == "filter" }
        let clusters = stats.first { $0.name == "clusters" }
        FileHandle.standardError.write(Data("""
            \(filter?.documentsIn ?? 0) documents, \(clusters?.counters["clusters"] ?? 0) duplicate clusters: \
            kept \(filter?.documentsOut ?? 0) -> \(output)/documents, removed \(filter?.excluded[method] ?? 0) -> \
            \(output)/excluded/\(method)\n
            """.utf8))
    }
}

struct DedupMinHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minhash", abstract: "Remove near duplicates: datatrove-exact MinHash signatures, LSH bands, clusters.")

    @OptionGroup var common: DedupCommonOptions
    @OptionGroup var minhash: MinHashSignatureOptions

    @Option(help: "Keep a candidate pair only when the exact Jaccard similarity of its shingle sets is at least this.")
    var jaccardCheck: Double?
    @Option(help: "An index of another dataset (winnow dedup index --method minhash): a document sharing a band with it is removed. Repeatable.")
    var against: [String] = []

    func run() throws {
        var p = minhash.parameters
        if let jaccardCheck { p["jaccard_check"] = .number(JSONNumber(jaccardCheck)) }
        if !against.isEmpty { p["against"] = .array(against.map { .string($0) }) }
        try common.run(step: "minhash_dedup", method: "minhash", parameters: p)
    }
}

/// The options deciding MinHash signatures and bands (`dedup minhash`, `dedup index --method minhash`).
struct MinHashSignatureOptions: ParsableArguments {
    @Option(help: "MinHash: words (or characters) per shingle.")
    var ngramSize: Int = 5
    @Option(help: "MinHash: LSH bands.")
    var bands: Int?
    @Option(help: "MinHash: signature values per band.")
    var rows: Int?
    @Option(help: "MinHash: a Jaccard threshold choosing bands and rows (instead of --bands/--rows).")
    var threshold: Double?
    @Option(help: "MinHash: hash precision, 64 or 32.")
    var precision: Int = 64
    @Option(help: "MinHash: shingles, word or character.")
    var shingle: String = "word"

    var parameters: [String: JSONValue] {
        var p: [String: JSONValue] = ["ngram_size": .number(JSONNumber(ngramSize)), "precision": .number(JSONNumber(precision)),
                                      "shingle": .string(shingle)]
        if let bands { p["bands"] = .number(JSONNumber(bands)) }
        if let rows { p["rows"] = .number(JSONNumber(rows)) }
        if let threshold { p["threshold"] = .number(JSONNumber(threshold)) }
        return p
    }
}

struct DedupExactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exact", abstract: "Remove documents whose text is identical to another's.")

    @OptionGroup var common: DedupCommonOptions

    @Flag(help: "Compare texts after datatrove's simplify_text (case, punctuation, digits, accents ignored).")
    var normalize = false
    @Option(help: "An index of another dataset (winnow dedup index --method exact): a document whose hash it holds is removed. Repeatable.")
    var against: [String] = []

    func run() throws {
        var p: [String: JSONValue] = ["normalize": .bool(normalize)]
        if !against.isEmpty { p["against"] = .array(against.map { .string($0) }) }
        try common.run(step: "exact_dedup", method: "exact", parameters: p)
    }
}

struct DedupURLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "url", abstract: "Keep one document per normalized URL.")

    @OptionGroup var common: DedupCommonOptions

    @Option(help: "Metadata field holding the URL.")
    var urlField: String = "url"
    @Option(help: "With --keep longest: what is compared, 'length' or a metadata field such as date.")
    var prefer: String = "length"

    func run() throws {
        try common.run(step: "url_dedup", method: "url", parameters: ["url_field": .string(urlField), "prefer": .string(prefer)])
    }
}
