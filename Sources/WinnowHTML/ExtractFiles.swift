import WinnowCore
import WinnowIO

/// Extraction of whole files, for `winnow extract`: WARC files (through the WARC reader and the
/// `html_extract` stage's rules) and plain HTML files, one JSON object per page.
public struct FileExtraction {
    public var stage: HTMLExtractStage
    /// Pages skipped, per reason (`http_redirect`, `not_html`, ..., `unreadable_file`).
    public private(set) var skipped: [String: Int] = [:]
    public private(set) var extracted = 0

    public init(stage: HTMLExtractStage) { self.stage = stage }

    /// Extracts every page of `path` and hands `emit` one JSON object per extracted page: `url` (WARC) or
    /// `path` (HTML file), `title`, `text`, `charset`, `language` (declared in `<html lang>`), and
    /// `canonical_url`, `date_published` when present. Input problems go to `problem`.
    public mutating func run(path: String, problem: (InputProblem) throws -> Void, emit: (JSONObject) throws -> Void) throws {
        if HTMLFile.isHTMLPath(path) {
            let file: HTMLFile
            do {
                file = try HTMLFile.read(path: path)
            } catch {
                skipped["unreadable_file", default: 0] += 1
                try problem(InputProblem(file: path, offset: 0, reason: "unreadable_file", detail: "\(error)"))
                return
            }
            var metadata = JSONObject()
            if let charset = file.charset { metadata["charset"] = .string(charset) }
            var document = Document(id: path, text: file.text, metadata: metadata)
            try handle(&document, key: "path", value: path, emit: emit)
            return
        }
        var stats = StageStats(name: "read")
        try InputFormat.warc.reader(options: ReaderOptions()).read(file: path, stats: &stats, problem: problem) { document in
            var document = document
            try handle(&document, key: "url", value: document.metadata["url"]?.stringValue ?? "", emit: emit)
        }
        for (key, n) in stats.counters where key.hasPrefix("skipped_") && !key.hasPrefix("skipped_record:") {
            skipped[key, default: 0] += n
        }
    }

    private mutating func handle(_ document: inout Document, key: String, value: String, emit: (JSONObject) throws -> Void) throws {
        var stats = StageStats(name: HTMLExtractStage.stageName)
        switch stage.process(&document, stats: &stats) {
        case .exclude(let reason):
            skipped[reason, default: 0] += 1
        case .keep:
            extracted += 1
            let m = document.metadata
            var line = JSONObject()
            line[key] = .string(value)
            line["title"] = m["title"] ?? .null
            line["text"] = .string(document.textString)
            line["charset"] = m["charset"] ?? .null
            line["language"] = m["html_lang"] ?? .null
            if let url = m["canonical_url"] { line["canonical_url"] = url }
            if let date = m["date_published"] { line["date_published"] = date }
            try emit(line)
        }
    }
}
