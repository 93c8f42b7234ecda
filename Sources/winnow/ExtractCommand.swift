import ArgumentParser
import Foundation
import WinnowCore
import WinnowHTML
import WinnowIO

/// `winnow extract FILE...`: the main text of every HTML page in WARC files and plain HTML files.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the main text of HTML pages: one JSON line per page.",
        discussion: """
        FILE is a WARC file (.warc, .warc.gz, .warc.zst) or a plain HTML file (.html, .htm, optionally .gz or \
        .zst). Each line is {"url" or "path", "title", "text", "charset", "language"} plus "canonical_url" and \
        "date_published" when the page has them. WARC pages are filtered as the html_extract stage does \
        (HTTP 200, HTML content type, not truncated); skipped pages are counted on standard error.
        """)

    @Option(help: "precision, balanced, recall or whole_page.")
    var mode: String = "balanced"

    @Option(help: "text or markdown.")
    var format: String = "text"

    @Argument(help: "WARC or HTML files.")
    var files: [String]

    func run() throws {
        guard let mode = ExtractionMode(rawValue: mode) else {
            throw ValidationError("unknown mode '\(self.mode)': use precision, balanced, recall or whole_page")
        }
        guard let format = ExtractionFormat(rawValue: format) else {
            throw ValidationError("unknown format '\(self.format)': use text or markdown")
        }
        var extraction = FileExtraction(stage: HTMLExtractStage(options: HTMLExtractionOptions(mode: mode, format: format)))
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        let stdout = FileHandle.standardOutput
        for file in files {
            do {
                try extraction.run(path: file, problem: printWarning) { line in
                    JSONWriter.appendObject(line, to: &out)
                    out.append(0x0A)
                    if out.count > 1 << 16 { stdout.write(Data(out)); out.removeAll(keepingCapacity: true) }
                }
            } catch {
                stdout.write(Data(out))
                FileHandle.standardError.write(Data("error: \(file): \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        stdout.write(Data(out))
        let skipped = extraction.skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("extracted \(extraction.extracted) pages\(skipped.isEmpty ? "" : "; skipped \(skipped)")\n".utf8))
    }
}
