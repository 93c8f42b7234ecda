import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

struct TokenizerExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Learn N more merges from new text on top of a byte-level BPE tokenizer, keeping every existing id.",
        discussion: """
        BASE is a tokenizer.json or a .tiktoken file (with --pattern or a tiktoken.json beside it). NEW_TEXT are \
        documents (JSONL, WARC, WET; plain/.gz/.zst). Writes OUTPUT/tokenizer.json (base tokenizer.json) or \
        OUTPUT/tokenizer.tiktoken and tiktoken.json (base .tiktoken). `winnow tokenizer eval` on held-out text \
        of the new language shows the gain.
        """)

    @Argument(help: "The base tokenizer.")
    var base: String

    @Argument(help: "Documents of the new text.")
    var inputs: [String]

    @Option(help: "Number of merges (new tokens) to learn.")
    var add: Int

    @Option(help: "Minimum count of a pair to be merged.")
    var minFrequency: Int64 = 0

    @Option(help: "Split pattern of a .tiktoken base without tiktoken.json.")
    var pattern: SplitPattern?

    @Option(help: "Threads counting pre-tokens (default: all cores).")
    var threads: Int?

    @Option(help: "Memory for pre-token counts before spilling to OUTPUT/_pretokens.")
    var memory: String = "4G"

    @OptionGroup var input: DocumentInputOptions

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String

    func validate() throws {
        if add < 1 { throw ValidationError("--add must be positive") }
        if ByteSize.parse(memory) == nil { throw ValidationError("--memory must be a size such as 512M or 4G") }
    }

    func run() throws {
        try reportingErrors {
            let vocabulary = try BPEVocabulary.load(path: base, pattern: pattern)
            var counting = ParallelPreTokenCounter.Options(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            counting.pattern = vocabulary.pattern
            counting.normalization = vocabulary.normalization
            counting.memoryBudget = ByteSize.parse(memory)!
            try FileManager.default.createDirectory(atPath: output + "/_pretokens", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: output + "/_pretokens") }
            counting.spillDirectory = output + "/_pretokens"
            let counter = ParallelPreTokenCounter(options: counting)
            try input.read(inputs) { document in try counter.add(document: document.text) }
            let extended = try VocabularyExtension(base: vocabulary, counts: try counter.finish(), add: add, minFrequency: minFrequency)
            let baseBytes = Array(try Data(contentsOf: URL(fileURLWithPath: base)))
            if baseBytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
                try extended.extendedTokenizerJSON(baseBytes).write(toFile: output + "/tokenizer.json", atomically: true, encoding: .utf8)
            } else {
                try Data(extended.extendedTiktoken(baseBytes)).write(to: URL(fileURLWithPath: output + "/tokenizer.tiktoken"))
                var specials = JSONObject()
                for s in vocabulary.specialTokens { specials[s.text] = .number(JSONNumber(Int(s.id))) }
                let config: JSONObject = ["pattern": .string(vocabulary.pattern.rawValue), "pat_str": .string(vocabulary.pattern.regex),
                                          "special_tokens": .object(specials), "ranks_file": "tokenizer.tiktoken"]
                try (JSONWriter.prettyString(.object(config)) + "\n").write(toFile: output + "/tiktoken.json", atomically: true, encoding: .utf8)
            }
            FileHandle.standardError.write(Data("""
                \(counter.documents) documents; \(extended.newTokens.count) new tokens (ids \(vocabulary.idCount)...\
                \(vocabulary.idCount + extended.newTokens.count - 1)) -> \(output)\n
                """.utf8))
        }
    }
}
