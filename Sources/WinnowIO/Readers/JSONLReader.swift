import WinnowCore

/// Reads JSON Lines files, plain, gzip or zstd (detected from the first bytes), one document per line.
///
/// A UTF-8 byte order mark at the start of a line is dropped. Blank lines are skipped and counted. A line that is not a JSON object, has no string text field, or is
/// longer than `maxRecordBytes` is reported as an input problem and skipped; invalid UTF-8 inside strings is
/// replaced with U+FFFD and counted. A document without an id gets `<file>/<line index>`, as datatrove does.
public struct JSONLReader: DocumentReader {
    public var options: ReaderOptions

    public init(options: ReaderOptions = ReaderOptions()) {
        self.options = options
    }

    public func read(
        file: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws {
        try read(file: file, stats: &stats, problem: problem) { document, _ in try emit(document) }
    }

    /// As `read`, also handing over the line each document was decoded from, valid only during the call: a
    /// writer can copy it when it writes the document unchanged (`JSONLWriter.write(_:sourceLine:)`).
    public func read(
        file: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emitWithLine emit: (Document, JSONLSourceLine) throws -> Void
    ) throws {
        guard let source = try openInput(file, problem: problem) else { return }
        let reader = BufferedByteReader(source: source)
        var decoder = JSONLDocumentDecoder(textField: options.textField, idField: options.idField)
        var lineIndex = 0
        while true {
            let next: BufferedByteReader.Line?
            do {
                next = try reader.nextLine(maxBytes: options.maxRecordBytes)
            } catch let error as StreamError {
                try problem(InputProblem(file: file, offset: reader.offset, reason: error.problemReason, detail: error.description))
                return
            }
            guard let next else { return }
            defer { lineIndex += 1 }
            switch next {
            case .tooLong(let offset, let length):
                try problem(InputProblem(file: file, offset: offset, reason: "record_too_large",
                                         detail: "line of \(length) bytes exceeds max_record_bytes \(options.maxRecordBytes)"))
            case .line(let line, let offset):
                let bytes = Self.droppingByteOrderMark(line)
                if Self.isBlank(bytes) {
                    stats.count("blank_lines")
                    continue
                }
                var replacements = 0
                let decoded: Document
                do throws(JSONLDocumentDecoder.Failure) {
                    decoded = try decoder.decode(bytes, replacements: &replacements)
                } catch {
                    let (reason, detail): (String, String) = switch error {
                    case .malformed(let e): ("malformed_json", e.description)
                    case .notAnObject: ("malformed_json", "line is not a JSON object")
                    case .missingText: ("missing_text", "no string field '\(options.textField)'")
                    }
                    try problem(InputProblem(file: file, offset: offset, reason: reason, detail: "line \(lineIndex + 1): \(detail)"))
                    continue
                }
                var document = decoded
                if document.id.isEmpty { document.id = "\(file)/\(lineIndex)" }
                document.provenance = Provenance(file: file, offset: offset)
                if replacements > 0 { stats.count("replaced_invalid_utf8", replacements) }
                try emit(document, JSONLSourceLine(bytes: bytes, verbatimText: decoder.verbatimText))
            }
            if reader.offset > options.maxDecompressedBytes {
                try problem(InputProblem(file: file, offset: reader.offset, reason: "decompressed_limit",
                                         detail: "stopped after max_decompressed_bytes \(options.maxDecompressedBytes)"))
                return
            }
        }
    }

    /// The line without a UTF-8 byte order mark at its start (editors on Windows write one).
    static func droppingByteOrderMark(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF else { return line }
        return UnsafeRawBufferPointer(rebasing: line[3...])
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for c in bytes where !(c == 0x20 || c == 0x09 || c == 0x0D) { return false }
        return true
    }
}

extension StreamError {
    /// The stats key for a stream that could not be read to its end.
    public var problemReason: String {
        switch self {
        case .truncated: "truncated_stream"
        case .corrupt: "corrupt_stream"
        case .io: "read_error"
        }
    }
}
