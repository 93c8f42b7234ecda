import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowFastText
import WinnowLangID

/// `winnow langid ...`: language identification tools.
struct LangIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid", abstract: "Language identification tools (fastText-compatible models).",
        subcommands: [LangIDPredictCommand.self, LangIDInfoCommand.self, LangIDTrainCommand.self, LangIDQuantizeCommand.self])
}

struct LangIDPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict languages like `fasttext predict-prob`: one output line per input line.",
        discussion: """
        The input is decompressed by its content (gzip, zstd); `-` is standard input. \
        Plain input: one line of output per line of input, `__label__xx PROB ...`, best first, exactly the format \
        of `fasttext predict-prob MODEL FILE K THRESHOLD`. With --jsonl the input is JSONL (or WARC/WET, \
        optionally .gz/.zst) documents, newlines in the text become spaces as in the language_id stage, and \
        each output line is {"id", "language", "language_script", "language_score", "labels", "probabilities"}.
        """)

    @Option(help: "A fastText model (.bin or .ftz), e.g. lid.176.ftz (default: Winnow's embedded model).")
    var model: String?

    @Option(name: .short, parsing: .unconditional, help: "Labels per line (-1: all).")
    var k: Int = 1

    @Option(help: "Minimum probability of a label.")
    var threshold: Float = 0

    @Flag(help: "Read documents (JSONL, WARC, WET) and write JSON lines; WARC and WET files, and files named .jsonl, are read as documents without it.")
    var jsonl = false

    @Option(help: "JSONL field holding the text (with --jsonl).")
    var textField: String = "text"

    @Argument(help: "Input file, or - for standard input.")
    var file: String

    func validate() throws {
        if k == 0 || k < -1 { throw ValidationError("-k must be positive or -1") }
    }

    func run() throws {
        try reportingErrors {
            let loaded: FastTextModel
            if let model { loaded = try FastTextModel(path: model) } else { loaded = try DefaultLanguageModel.load() }
            guard loaded.header.model == .supervised else { throw FastTextError.notSupervised(loaded.path) }
            if try jsonl || readsDocuments() {
                try predictDocuments(loaded)
            } else {
                let source = try openByteSource(path: file)
                var lines = FastTextLinePredictor(model: loaded, k: k, threshold: threshold)
                try lines.run(read: { try source.read(into: $0) }, output: STDOUT_FILENO)
            }
        }
    }

    /// Whether the input is documents without --jsonl: a WARC or WET file (by name or content), or a file
    /// named .jsonl. Text lines starting with `{` stay text lines.
    private func readsDocuments() throws -> Bool {
        switch InputFormat.recognize(path: file) {
        case .warc?, .wet?: return true
        case .jsonl?: return file.lowercased().contains(".json")
        default: return false
        }
    }

    private func predictDocuments(_ model: FastTextModel) throws {
        let path = file
        var options = ReaderOptions()
        options.textField = textField
        var identifier = LanguageIdentifier(model: model)
        var out: [UInt8] = []
        let stdout = FileHandle.standardOutput
        var stats = StageStats(name: "read")
        try InputFormat.auto.resolve(path: path).reader(options: options).read(
            file: path, stats: &stats,
            problem: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) },
            emit: { document in
                let predictions = identifier.identify(document.text, k: k, threshold: threshold)
                var o = JSONObject()
                o["id"] = .string(document.id)
                if let best = predictions.first {
                    let code = identifier.code(best.label)
                    o["language"] = .string(LanguageCodeStyle.model.write(code))
                    o["language_script"] = code.script.isEmpty ? .null : .string(code.script)
                    o["language_score"] = .number(JSONNumber(uncheckedLiteral: "\(best.probability)"))
                } else {
                    o["language"] = .null
                }
                o["labels"] = .array(predictions.map { .string(model.labels[$0.label]) })
                o["probabilities"] = .array(predictions.map { .number(JSONNumber(uncheckedLiteral: "\($0.probability)")) })
                JSONWriter.appendObject(o, to: &out)
                out.append(0x0A)
                if out.count >= 1 << 16 { stdout.write(Data(out)); out.removeAll(keepingCapacity: true) }
            })
        stdout.write(Data(out))
    }
}

struct LangIDInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print a fastText model's header, dictionary and matrix sizes, and labels.")

    @Argument(help: "A fastText model (.bin or .ftz).")
    var model: String

    func run() throws {
        try reportingErrors {
            print(try FastTextModel(path: model).summary, terminator: "")
        }
    }
}
