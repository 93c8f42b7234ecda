import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO

/// How commands that read documents directly (not through a pipeline) read them: every file (`-` is standard
/// input) decompressed by its content and read in its format (by name, else by content), as `winnow run` does.
struct DocumentInputOptions: ParsableArguments {
    @Option(help: "Input format (auto: by name, else by content).")
    var format: InputFormat = .auto

    @Option(help: "JSONL field holding the text.")
    var textField: String = "text"

    @Option(help: "JSONL field holding the id.")
    var idField: String = "id"

    func inputFormat() throws -> InputFormat { format }

    var readerOptions: ReaderOptions {
        var options = ReaderOptions()
        options.textField = textField
        options.idField = idField
        return options
    }

    /// Reads every document of `files`, in order; input problems are printed as warnings.
    func read(_ files: [String], _ body: (Document) throws -> Void) throws {
        var stats = StageStats(name: "read")
        try inputFormat().readDocuments(files: files, options: readerOptions, stats: &stats,
                                        problem: printWarning, emit: body)
    }
}

extension InputFormat: ExpressibleByArgument {}
extension Compression: ExpressibleByArgument {}

/// Prints an input problem on standard error.
func printWarning(_ problem: InputProblem) {
    FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
}
