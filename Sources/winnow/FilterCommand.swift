import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline

/// `winnow filter NAME [--param key=value ...] INPUT... --output DIR`: run one filter stage on its own.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Run one filter on its own: kept documents to DIR/kept/, rejected ones to DIR/excluded/.",
        discussion: """
        NAME is any stage of `winnow stages`, e.g. gopher_quality, gopher_repetition, c4_quality, fineweb_quality. \
        Parameters are the stage's YAML parameters: --param min_doc_words=100 --param stop_words=the,of,and. \
        Rejected documents carry metadata.filter (the stage) and metadata.filter_reason.
        """)

    @Argument(help: "The filter stage, e.g. gopher_quality.")
    var name: String

    @Argument(help: "JSONL, WARC or WET files (optionally .gz or .zst).")
    var inputs: [String]

    @Option(name: .customLong("param"), help: "A stage parameter, key=value (repeatable).")
    var parameters: [String] = []

    @Option(name: .shortAndLong, help: "Output directory: kept/ and excluded/ are written below it.")
    var output: String

    @OptionGroup var input: DocumentInputOptions

    @Option(help: "Output compression.")
    var compression: Compression = .zstd

    func validate() throws {
        for parameter in parameters where parameter.firstIndex(of: "=") == nil {
            throw ValidationError("--param needs key=value, not '\(parameter)'")
        }
    }

    func run() throws {
        let outputCompression = compression
        var values: [String: JSONValue] = [:]
        for parameter in parameters {
            let eq = parameter.firstIndex(of: "=")!
            values[String(parameter[..<eq])] = Self.parseValue(String(parameter[parameter.index(after: eq)...]))
        }
        let run = StandaloneStageRun(stageName: name, parameters: values, inputs: inputs, format: try input.inputFormat(),
                                     readerOptions: input.readerOptions, output: output, compression: outputCompression)
        try reportingErrors {
            let (stats, problems) = try run.run(problem: printWarning)
            reportInputProblems(problems, output: output)
            var summary = "\(name): \(stats.documentsIn) documents, \(stats.documentsOut) kept, \(stats.documentsIn - stats.documentsOut) excluded\n"
            for (reason, n) in stats.excluded.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                summary += "  \(reason): \(n)\n"
            }
            print(summary, terminator: "")
        }
    }

    /// `true`/`false`, integers and numbers are typed; `a,b,c` is a list of strings; anything else a string.
    static func parseValue(_ text: String) -> JSONValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let i = Int(text) { return .number(JSONNumber(i)) }
        if let d = Double(text), d.isFinite { return .number(JSONNumber(d)) }
        if text.contains(",") { return .array(text.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0)) }) }
        return .string(text)
    }
}
