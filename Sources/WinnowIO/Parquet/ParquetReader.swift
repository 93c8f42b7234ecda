import WinnowCore

/// Reads Parquet files, one row group at a time: one document per row, the text from the
/// `options.textField` column and the id from `options.idField` (a missing or null id becomes
/// `<file>/<row index>`), every other readable column as metadata in schema order (or only those in
/// `options.columns`: projection, the other chunks are not even read).
///
/// Memory is bounded by the largest row group: the chunks of the needed columns are read with `pread`
/// and decoded one row group at a time. Bad input is reported, never thrown: an unreadable footer
/// (`corrupt_parquet_footer`) loses the file; a column chunk that fails to decode (`corrupt_parquet_page`:
/// page past its chunk, bad dictionary index, CRC mismatch, snappy or zstd data that does not decode...)
/// loses its row group, with file, row group, column and page in the detail, and the other row groups
/// still read. A row whose text is null is a `missing_text` problem. `provenance.offset` is the row's
/// index in the file.
public struct ParquetReader: DocumentReader {
    public var options: ReaderOptions
    /// Only these row groups (by index); nil reads all.
    public var rowGroups: Range<Int>?

    public init(options: ReaderOptions = ReaderOptions(), rowGroups: Range<Int>? = nil) {
        self.options = options
        self.rowGroups = rowGroups
    }

    /// The number of row groups of a file (for splitting one file across tasks).
    public static func rowGroupCount(file: String) throws -> Int {
        try ParquetFile(path: file).readFooter().rowGroups.count
    }

    public func read(
        file: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws {
        let parquet = try ParquetFile(path: file)
        let metadata: ParquetFileMetadata
        let layout: ParquetSchemaLayout
        do {
            metadata = try parquet.readFooter()
            layout = try ParquetSchemaLayout(schema: metadata.schema)
        } catch let error as ParquetFormatError {
            try problem(InputProblem(file: file, offset: parquet.size, reason: "corrupt_parquet_footer", detail: error.detail))
            return
        }
        guard let textColumn = layout.column(named: options.textField), textColumn.type == .byteArray else {
            try problem(InputProblem(file: file, offset: 0, reason: "missing_text",
                                     detail: "no string column '\(options.textField)' (text_field); columns: \(layout.columns.map(\.name).joined(separator: ", "))"))
            return
        }
        let idColumn = layout.column(named: options.idField)
        var wanted = layout.columns.filter { $0.name != options.textField && $0.name != options.idField }
        if let projection = options.columns { wanted = wanted.filter { projection.contains($0.name) } }
        if options.columns == nil, !layout.skipped.isEmpty {
            for (_, reason) in layout.skipped { stats.count("parquet_skipped_columns_\(reason)") }
        }

        var firstRow: Int64 = 0
        let groups = metadata.rowGroups.indices.clamped(to: rowGroups ?? metadata.rowGroups.indices)
        for g in metadata.rowGroups.indices where g < groups.lowerBound { firstRow += metadata.rowGroups[g].numRows }
        var replacements = 0
        for g in groups {
            let group = metadata.rowGroups[g]
            defer { firstRow += group.numRows }
            stats.count("parquet_row_groups")
            let rows = Int(group.numRows)
            func decode(_ column: ParquetLeafColumn) throws -> ParquetColumnData? {
                do {
                    return try decodeChunk(column, group: group, parquet: parquet, rows: rows)
                } catch let failure as ParquetPageFailure {
                    try problem(InputProblem(file: file, offset: failure.offset, reason: "corrupt_parquet_page",
                                             detail: "row group \(g), column '\(column.name)', page \(failure.page): \(failure.detail); its \(rows) rows are skipped"))
                } catch let error as ParquetFormatError {
                    try problem(InputProblem(file: file, offset: 0, reason: "corrupt_parquet_page",
                                             detail: "row group \(g), column '\(column.name)': \(error.detail); its \(rows) rows are skipped"))
                }
                return nil
            }
            guard let text = try decode(textColumn) else { continue }
            var id: ParquetColumnData?
            if let idColumn {
                guard let decoded = try decode(idColumn) else { continue }
                id = decoded
            }
            var others: [ParquetColumnData] = []
            var failed = false
            for column in wanted {
                guard let decoded = try decode(column) else { failed = true; break }
                others.append(decoded)
            }
            if failed { continue }
            try emitRows(rows, firstRow: firstRow, file: file, text: text, id: id, idColumn: idColumn, others: others,
                         columns: wanted, replacements: &replacements, problem: problem, emit: emit)
        }
        if replacements > 0 { stats.count("replaced_invalid_utf8", replacements) }
    }

    private func decodeChunk(_ column: ParquetLeafColumn, group: ParquetRowGroup, parquet: ParquetFile, rows: Int) throws -> ParquetColumnData {
        guard column.leafIndex < group.columns.count, let meta = group.columns[column.leafIndex].metadata else {
            throw ParquetFormatError("the row group has no metadata for this column")
        }
        guard let codec = ParquetCodec(rawValue: meta.codec), codec.isSupported else {
            throw ParquetFormatError("compression codec \(meta.codec) is not supported (Winnow reads none, snappy, gzip, zstd)")
        }
        guard meta.numValues == Int64(rows) else {
            throw ParquetFormatError("the chunk holds \(meta.numValues) values for \(rows) rows")
        }
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        guard start >= 4, meta.totalCompressedSize >= 0, start + meta.totalCompressedSize <= parquet.footerStart else {
            throw ParquetFormatError("column chunk at bytes \(start)..<\(start + meta.totalCompressedSize) lies outside the data of the \(parquet.size)-byte file")
        }
        let chunk = try parquet.read(offset: start, count: Int(meta.totalCompressedSize))
        var decoder = ParquetColumnChunkDecoder(column: column, codec: codec)
        return try decoder.decode(chunk: chunk, chunkOffset: start, numValues: rows)
    }

    private func emitRows(_ rows: Int, firstRow: Int64, file: String, text: ParquetColumnData, id: ParquetColumnData?,
                          idColumn: ParquetLeafColumn?, others: [ParquetColumnData], columns: [ParquetLeafColumn],
                          replacements: inout Int, problem: (InputProblem) throws -> Void, emit: (Document) throws -> Void) throws {
        guard case .bytes(let texts) = text.values else { return }
        var textIndex = 0
        var idIndex = 0
        var otherIndex = [Int](repeating: 0, count: others.count)
        for r in 0..<rows {
            let row = firstRow + Int64(r)
            var documentID = ""
            if let id {
                if id.defined?[r] ?? true {
                    let value = ParquetMetadataValues.value(id.values, at: idIndex, logical: idColumn?.logical, replacements: &replacements)
                    documentID = value.stringValue ?? (value.intValue.map { String($0) } ?? "")
                    if case .number(let n) = value { documentID = n.literal }
                    idIndex += 1
                }
            }
            if documentID.isEmpty { documentID = "\(file)/\(row)" }
            var metadata = JSONObject()
            for (c, data) in others.enumerated() {
                if data.defined?[r] ?? true {
                    metadata[columns[c].name] = ParquetMetadataValues.value(data.values, at: otherIndex[c], logical: columns[c].logical,
                                                                            replacements: &replacements)
                    otherIndex[c] += 1
                } else {
                    metadata[columns[c].name] = .null
                }
            }
            guard text.defined?[r] ?? true else {
                try problem(InputProblem(file: file, offset: row, reason: "missing_text",
                                         detail: "row \(row): the text column '\(options.textField)' is null"))
                continue
            }
            let bytes = ParquetMetadataValues.bytes(texts, at: textIndex, replacements: &replacements)
            textIndex += 1
            try emit(Document(id: documentID, text: bytes, metadata: metadata, provenance: Provenance(file: file, offset: row)))
        }
    }
}
