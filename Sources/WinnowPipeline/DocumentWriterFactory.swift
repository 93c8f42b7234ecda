import WinnowIO

/// `writer: {format: parquet, compression: zstd|snappy|none, row_group_bytes: 128MiB}`.
public struct ParquetWriterSettings: Sendable {
    public var compression: ParquetWriterCompression = .zstd
    public var rowGroupBytes: Int = ParquetWriter.defaultRowGroupBytes
    public init() {}
}

extension WriterConfiguration {
    /// The writer of a task's kept documents: JSONL, or Parquet with `format: parquet`. (Excluded
    /// documents are always JSONL.)
    func makeWriter(directory: String, prefix: String) -> any DocumentWriter {
        if let parquet {
            return ParquetWriter(directory: directory, prefix: prefix, compression: parquet.compression, level: level,
                                 rowGroupBytes: parquet.rowGroupBytes, maxFileBytes: maxFileBytes, maxDocuments: maxDocuments)
        }
        return JSONLWriter(directory: directory, prefix: prefix, compression: compression, level: level,
                           maxFileBytes: maxFileBytes, maxDocuments: maxDocuments)
    }
}
