import WinnowCore

/// Options every reader understands; set from a pipeline's `input:` block.
public struct ReaderOptions: Sendable {
    /// JSONL: the field holding the text.
    public var textField: String = "text"
    /// JSONL: the field holding the id (a missing id is derived from file and offset).
    public var idField: String = "id"
    /// A line or record larger than this is skipped and reported as `record_too_large`; this bounds memory.
    public var maxRecordBytes: Int = 64 << 20
    /// Stop reading a file after this many decompressed bytes (`decompressed_limit` problem): a guard against
    /// decompression bombs for users who want one. Memory is bounded without it, since all reading streams.
    public var maxDecompressedBytes: Int64 = .max
    /// Parquet: the metadata columns to read (the text and id columns are always read); nil reads all.
    public var columns: [String]?
    /// Parquet: split each file into tasks of this many row groups (`ParquetRowGroupUnits`); 0 = a task per file.
    public var rowGroupsPerTask: Int = 0
    /// Parquet: structs, lists and maps read as JSON metadata (`json`) or skipped with a count (`skip`).
    public var nested: ParquetNestedColumns = .json

    public init() {}
}

/// Reads one input file as a stream of documents. Readers never hold a whole file: memory is bounded by
/// the buffer size and `maxRecordBytes`.
///
/// A defect in the input (malformed line, truncated stream, bad record) is handed to `problem` and
/// reading goes on with the next record; `problem` throws to stop (strict mode). Only an I/O failure that
/// makes the file unreadable (missing file, permission) is thrown by the reader itself.
public protocol DocumentReader: Sendable {
    func read(
        file: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws
}

extension DocumentReader {
    /// Opens `file` (`-` is standard input) for reading. A file that cannot be decompressed from its first
    /// bytes on (named `.zst` but not zstd, an empty `.gz`) is one input problem, and nil is returned;
    /// only a file that cannot be opened throws.
    func openInput(_ file: String, problem: (InputProblem) throws -> Void) throws -> ByteSource? {
        do {
            return try openByteSource(path: file)
        } catch let error as StreamError {
            if case .io = error { throw error }
            try problem(InputProblem(file: file, offset: 0, reason: error.problemReason, detail: error.description))
            return nil
        }
    }
}
