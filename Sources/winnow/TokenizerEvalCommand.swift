import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

struct TokenizerEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Bytes per token and tokens per word/character, per language, for one or more tokenizers.",
        discussion: """
        Reads held-out documents (JSONL, WARC or WET, plain/.gz/.zst); the language comes from the metadata field \
        --language-field (default `language`, as the language_id stage writes it). Prints a table per tokenizer \
        and, with --json FILE, writes {"tokenizers": [{"path", "all", "languages"}]}.
        """)

    @Option(name: .customLong("tokenizer"), help: "tokenizer.json or .tiktoken (repeatable).")
    var tokenizers: [String]

    @Option(help: "Split pattern of .tiktoken files without a tiktoken.json beside them.")
    var pattern: SplitPattern?

    @Option(help: "Metadata field holding the document's language.")
    var languageField: String = "language"

    @Option(name: [.customShort("o"), .customLong("output"), .customLong("json")], help: "Write the figures as JSON to this file.")
    var json: String?

    @OptionGroup var input: DocumentInputOptions

    @Argument(help: "Held-out documents.")
    var inputs: [String]

    func validate() throws {
        if tokenizers.isEmpty { throw ValidationError("give at least one --tokenizer") }
    }

    func run() throws {
        try reportingErrors {
            var results: [JSONValue] = []
            var lines: [String] = []
            for path in tokenizers {
                let vocabulary = try BPEVocabulary.load(path: path, pattern: pattern)
                var evaluation = TokenizerEvaluation(encoder: BPEEncoder(vocabulary: vocabulary))
                try input.read(inputs) { document in
                    evaluation.add(document.text, language: document.metadata[languageField]?.stringValue ?? "")
                }
                var entry = JSONObject()
                entry["path"] = .string(path)
                for e in evaluation.json.objectValue! { entry[e.key] = e.value }
                results.append(.object(entry))
                lines.append("\(path) (vocabulary of \(vocabulary.idCount) ids)")
                lines.append("language        docs        bytes   bytes/token  tokens/word  tokens/char")
                func row(_ name: String, _ t: TokenizerEvaluation.Totals) -> String {
                    name.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(t.documents).leftPadded(8) + String(t.bytes).leftPadded(13)
                        + TokenizerEvaluation.format(t.bytesPerToken, 3).leftPadded(14)
                        + TokenizerEvaluation.format(t.tokensPerWord, 3).leftPadded(13)
                        + TokenizerEvaluation.format(t.tokensPerCharacter, 3).leftPadded(13)
                }
                for language in evaluation.byLanguage.keys.sorted() {
                    lines.append(row(language.isEmpty ? "unknown" : language, evaluation.byLanguage[language]!))
                }
                lines.append(row("all", evaluation.all))
                lines.append("")
            }
            print(lines.joined(separator: "\n"))
            if let json {
                var o = JSONObject()
                o["tokenizers"] = .array(results)
                try JSONWriter.prettyString(.object(o)).write(toFile: json, atomically: true, encoding: .utf8)
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
