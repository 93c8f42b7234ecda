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

    @Flag(help: "Read documents (JSONL, WARC, WET) and write JSON lines.")
    var jsonl = false

    @Option(help: "JSONL field holding the text (with --jsonl).")
    var textField: String = "text"

    @Argument(help: "Input file, or - for standard input.")
    var file: String

    func validate() throws {
        if k == 0 || k < -1 { throw ValidationError("-k must be positive or -1") }
    }

    func run() throws {
        do {
            let loaded: FastTextModel
            if let model { loaded = try FastTextModel(path: model) } else { loaded = try DefaultLanguageModel.load() }
            guard loaded.header.model == .supervised else { throw FastTextError.notSupervised(loaded.path) }
            if jsonl {
                try predictDocuments(loaded)
            } else {
                let fd = file == "-" ? STDIN_FILENO : open(file, O_RDONLY)
                guard fd >= 0 else { throw LangIDToolError("cannot open \(file): \(String(cString: strerror(errno)))") }
                defer { if fd != STDIN_FILENO { close(fd) } }
                var lines = FastTextLinePredictor(model: loaded, k: k, threshold: threshold)
                try lines.run(input: fd, output: STDOUT_FILENO)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func predictDocuments(_ model: FastTextModel) throws {
        var path = file
        if file == "-" {
            // The readers need a seekable file: spool standard input first.
            path = NSTemporaryDirectory() + "winnow-langid-stdin-\(getpid()).jsonl"
            guard FileManager.default.createFile(atPath: path, contents: FileHandle.standardInput.readDataToEndOfFile()) else {
                throw LangIDToolError("cannot write \(path)")
            }
        }
        defer { if file == "-" { try? FileManager.default.removeItem(atPath: path) } }
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
        do {
            print(try FastTextModel(path: model).summary, terminator: "")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
