import WinnowCore

/// Writes a task's documents into files under a directory (`JSONLWriter`, `ParquetWriter`). Files are
/// created on the first document, so a task that keeps nothing writes nothing.
public protocol DocumentWriter: AnyObject {
    /// Names (relative to the directory) of the files written so far, in order.
    var files: [String] { get }
    var documentsWritten: Int { get }
    /// Uncompressed bytes written (JSONL: the lines; Parquet: the documents' text and metadata).
    var bytesWritten: Int { get }
    func write(_ document: Document) throws
    /// Finishes the last file. The writer must not be used afterwards.
    func close() throws
}
