import WinnowCore

/// How the Parquet reader treats structs, lists and maps (`input: nested:`).
public enum ParquetNestedColumns: String, Sendable, CaseIterable {
    /// Read as JSON metadata: a struct as an object, a list as an array, a map as an object.
    case json
    /// Left out of the metadata, counted as `parquet_skipped_columns_nested` (a `metadata` struct, datatrove's
    /// layout for a document's metadata, is still read).
    case skip
}

/// Reads Parquet files, one row group at a time: one document per row, the text from the
/// `options.textField` column and the id from `options.idField` (a missing or null id becomes
/// `<file>/<row index>`), every other readable column as metadata in schema order (or only those in
/// `options.columns`: projection, the other chunks are not even read).
///
/// Memory is bounded by the pages, not the row groups: each needed column is read and decoded one page at a
/// time with `pread`. Bad input is reported, never thrown: an unreadable footer
/// (`corrupt_parquet_footer`) loses the file; a column chunk that fails to decode (`corrupt_parquet_page`:
/// page past its chunk, bad dictionary index, CRC mismatch, snappy or zstd data that does not decode...)
/// loses the rest of its row group, with file, row group, column and page in the detail, and the other row groups
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
        file unit: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws {
        // A unit `path#row_groups=A-B` (ParquetRowGroupUnits) reads row groups A..<B of `path`.
        let (file, unitRowGroups) = ParquetRowGroupUnits.parse(unit)
        let rowGroups = unitRowGroups ?? self.rowGroups
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
        var wanted = layout.fields.filter { $0.name != options.textField && $0.name != options.idField }
        if let projection = options.columns { wanted = wanted.filter { projection.contains($0.name) } }
        if options.columns == nil, !layout.skipped.isEmpty {
            for (_, reason) in layout.skipped { stats.count("parquet_skipped_columns_\(reason)") }
        }
        if options.nested == .skip {
            // Structs, lists and maps are left out (and counted), except datatrove's `metadata` struct, whose
            // fields are the document's metadata.
            let before = wanted.count
            wanted = wanted.filter { field in
                switch field {
                case .simple: true
                case .structure(let name, _): name == "metadata"
                case .list, .map, .structList, .nestedList: false
                }
            }
            if wanted.count < before { stats.count("parquet_skipped_columns_nested", before - wanted.count) }
        }

        let plan = FieldPlan(wanted)
        var firstRow: Int64 = 0
        let groups = metadata.rowGroups.indices.clamped(to: rowGroups ?? metadata.rowGroups.indices)
        for g in metadata.rowGroups.indices where g < groups.lowerBound { firstRow &+= metadata.rowGroups[g].numRows }
        var replacements = 0
        for g in groups {
            let group = metadata.rowGroups[g]
            defer { firstRow &+= group.numRows }
            stats.count("parquet_row_groups")
            let rows = Int(group.numRows)
            // The chunks of every needed column are checked first; a chunk that cannot be read loses the row group.
            var cursors: [ParquetColumnCursor] = []
            var unreadable = false
            for column in [textColumn] + (idColumn.map { [$0] } ?? []) + wanted.flatMap(\.leaves) {
                do {
                    cursors.append(ParquetColumnCursor(try openChunk(column, group: group, parquet: parquet, rows: rows)))
                } catch let error as ParquetFormatError {
                    try problem(InputProblem(file: file, offset: 0, reason: "corrupt_parquet_page",
                                             detail: "row group \(g), column '\(column.name)': \(error.detail); its \(rows) rows are skipped"))
                    unreadable = true
                    break
                }
            }
            if unreadable { continue }
            var r = 0
            do {
                // The row loop reaches the cursors through a buffer pointer: no uniqueness or exclusivity check of
                // the array per row and column.
                try cursors.withUnsafeMutableBufferPointer { cursors in
                    while r < rows {
                        try emitRow(firstRow &+ Int64(r), cursors: cursors, hasID: idColumn != nil, fields: wanted, plan: plan, file: file,
                                    replacements: &replacements, problem: problem, emit: emit)
                        r += 1
                    }
                }
            } catch let error as ParquetPageFailure {
                try problem(InputProblem(file: file, offset: error.offset, reason: "corrupt_parquet_page",
                                         detail: "row group \(g), column '\(error.column)', page \(error.page): \(error.detail); rows \(r)..<\(rows) of the row group are skipped"))
            }
        }
        if replacements > 0 { stats.count("replaced_invalid_utf8", replacements) }
    }

    /// Checks a column chunk of a row group and returns its page decoder (which reads its pages one at a time).
    private func openChunk(_ column: ParquetLeafColumn, group: ParquetRowGroup, parquet: ParquetFile, rows: Int) throws -> ParquetColumnChunkDecoder {
        guard column.leafIndex < group.columns.count, let meta = group.columns[column.leafIndex].metadata else {
            throw ParquetFormatError("the row group has no metadata for this column")
        }
        guard let codec = ParquetCodec(rawValue: meta.codec), codec.isSupported else {
            throw ParquetFormatError("compression codec \(meta.codec) is not supported (Winnow reads none, snappy, gzip, zstd)")
        }
        // A repeated column has an entry per list element (and per empty or null list): at least one per row.
        guard column.maxRepetition > 0 ? meta.numValues >= Int64(rows) : meta.numValues == Int64(rows) else {
            throw ParquetFormatError("the chunk holds \(meta.numValues) values for \(rows) rows")
        }
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        guard start >= 4, start <= parquet.footerStart, meta.totalCompressedSize >= 0,
              meta.totalCompressedSize <= parquet.footerStart - start else {
            throw ParquetFormatError("column chunk of \(meta.totalCompressedSize) bytes at byte \(start) lies outside the data of the \(parquet.size)-byte file")
        }
        return ParquetColumnChunkDecoder(column: column, codec: codec, maxPageBytes: options.maxRecordBytes, file: parquet,
                                         chunkOffset: start, chunkSize: Int(meta.totalCompressedSize), numValues: Int(meta.numValues))
    }

    /// Builds and emits the document of one row, pulling one value from every cursor (text, id when
    /// present, then the metadata columns).
    private func emitRow(_ row: Int64, cursors: UnsafeMutableBufferPointer<ParquetColumnCursor>, hasID: Bool, fields: [ParquetField], plan: FieldPlan, file: String,
                         replacements: inout Int, problem: (InputProblem) throws -> Void,
                         emit: (Document) throws -> Void) throws {
        let textIndex = try cursors[0].next()
        var documentID = ""
        if hasID, let i = try cursors[1].next() {
            switch cursors[1].metadataValue(at: i, logical: cursors[1].decoder.column.logical, replacements: &replacements) {
            case .string(let s): documentID = s
            case .number(let n): documentID = n.literal
            case let other: documentID = JSONWriter.string(other)
            }
        }
        if documentID.isEmpty { documentID = "\(file)/\(row)" }
        var c = hasID ? 2 : 1
        var metadata = JSONObject()
        metadata.reserveCapacity(fields.count)
        for k in fields.indices {
            // Simple columns (most of them) from the plan, without copying the field description per row.
            if plan.simple[k] {
                let value: JSONValue
                if let i = try cursors[c].next() {
                    value = cursors[c].metadataValue(at: i, logical: plan.logical[k], replacements: &replacements)
                } else {
                    value = .null
                }
                if plan.namesAreUnique { metadata.append(key: plan.names[k], value: value) } else { metadata[plan.names[k]] = value }
                c += 1
                continue
            }
            switch fields[k] {
            case .simple:
                break
            case .structure(let name, let leaves):
                var object = JSONObject()
                var present = true
                for leaf in leaves {
                    let index = try cursors[c].next()
                    let level = cursors[c].level
                    let value = index.map {
                        ParquetMetadataValues.value(cursors[c].decoder.values, at: $0, logical: leaf.logical, replacements: &replacements)
                    } ?? .null
                    c += 1
                    if level < leaf.ancestorDefinitions[0] {
                        present = false
                        continue
                    }
                    Self.insert(value, level: level, path: leaf.path[...], ancestors: leaf.ancestorDefinitions.dropFirst(), into: &object)
                }
                if name == "metadata" {
                    // datatrove's ParquetWriter nests a document's metadata in a `metadata` struct; its reader,
                    // like this one, puts the fields back at the top level.
                    for entry in object { metadata[entry.key] = entry.value }
                } else {
                    metadata[name] = present ? .object(object) : .null
                }
            case .list(let name, let element, let presentLevel, let entryLevel):
                var items: [JSONValue] = []
                var isNull = false
                try cursors[c].nextRow { level, _, values, index in
                    if level < presentLevel { isNull = true } else if level >= entryLevel {
                        items.append(index.map { ParquetMetadataValues.value(values, at: $0, logical: element.logical, replacements: &replacements) } ?? .null)
                    }
                }
                c += 1
                metadata[name] = isNull ? .null : .array(items)
            case .structList(let name, let leaves, let presentLevel, let entryLevel):
                // Every leaf has an entry per list element (or one for a null or empty list): the k-th entries
                // of the leaves make the k-th element.
                var elements: [JSONObject?] = []
                var isNull = false, isEmpty = false
                for (l, leaf) in leaves.enumerated() {
                    var k = 0, mismatch = false
                    try cursors[c + l].nextRow { level, _, values, index in
                        if l == 0 {
                            if level < presentLevel { isNull = true } else if level < entryLevel { isEmpty = true }
                            if level >= entryLevel { elements.append(level >= leaf.ancestorDefinitions[0] ? JSONObject() : nil) }
                        }
                        guard level >= entryLevel else { return }
                        guard k < elements.count else {
                            mismatch = true
                            return
                        }
                        if var object = elements[k] {
                            let value = index.map { ParquetMetadataValues.value(values, at: $0, logical: leaf.logical, replacements: &replacements) } ?? .null
                            Self.insert(value, level: level, path: leaf.path[...], ancestors: leaf.ancestorDefinitions.dropFirst(), into: &object)
                            elements[k] = object
                        }
                        k += 1
                    }
                    guard !mismatch, k == elements.count else {
                        throw ParquetPageFailure(page: cursors[c + l].decoder.page - 1, offset: cursors[c + l].decoder.chunkOffset,
                                                 detail: "row \(row): the list's fields hold different numbers of entries", column: name)
                    }
                }
                c += leaves.count
                metadata[name] = isNull ? .null : isEmpty ? .array([]) : .array(elements.map { $0.map(JSONValue.object) ?? .null })
            case .nestedList(let name, let element, let presentLevel, let entryLevel, let innerPresentLevel, let innerEntryLevel):
                // An entry with repetition level 0 or 1 starts an outer element, one with level 2 continues its
                // inner list.
                var outer: [JSONValue] = []
                var inner: [JSONValue]? = nil
                var started = false, isNull = false
                try cursors[c].nextRow { level, repetition, values, index in
                    if level < presentLevel { isNull = true }
                    guard level >= entryLevel else { return }
                    if repetition < 2 || !started {
                        if started { outer.append(inner.map(JSONValue.array) ?? .null) }
                        started = true
                        inner = level < innerPresentLevel ? nil : []
                    }
                    guard level >= innerEntryLevel, inner != nil else { return }
                    inner!.append(index.map {
                        ParquetMetadataValues.value(values, at: $0, logical: element.logical, replacements: &replacements)
                    } ?? .null)
                }
                if started { outer.append(inner.map(JSONValue.array) ?? .null) }
                c += 1
                metadata[name] = isNull ? .null : .array(outer)
            case .map(let name, let key, let value, let presentLevel, let entryLevel):
                var keys: [String] = [], items: [JSONValue] = []
                var isNull = false
                try cursors[c].nextRow { level, _, values, index in
                    if level < presentLevel { isNull = true } else if level >= entryLevel {
                        switch index.map({ ParquetMetadataValues.value(values, at: $0, logical: key.logical, replacements: &replacements) }) ?? .null {
                        case .string(let s): keys.append(s)
                        case .number(let n): keys.append(n.literal)
                        case let other: keys.append(JSONWriter.string(other))
                        }
                    }
                }
                try cursors[c + 1].nextRow { level, _, values, index in
                    if level >= entryLevel {
                        items.append(index.map { ParquetMetadataValues.value(values, at: $0, logical: value.logical, replacements: &replacements) } ?? .null)
                    }
                }
                guard keys.count == items.count else {
                    throw ParquetPageFailure(page: cursors[c].decoder.page - 1, offset: cursors[c].decoder.chunkOffset,
                                             detail: "map row \(row) has \(keys.count) keys and \(items.count) values", column: name)
                }
                c += 2
                var object = JSONObject()
                for (k, v) in zip(keys, items) { object[k] = v }
                metadata[name] = isNull ? .null : .object(object)
            }
        }
        guard let textIndex else {
            try problem(InputProblem(file: file, offset: row, reason: "missing_text",
                                     detail: "row \(row): the text column '\(options.textField)' is null"))
            return
        }
        guard let bytes = cursors[0].bytes(at: textIndex, replacements: &replacements) else { return }
        try emit(Document(id: documentID, text: bytes, metadata: metadata, provenance: Provenance(file: file, offset: row)))
    }

    /// Puts a struct leaf's value at `path` in `object`, creating the enclosing objects; an enclosing group
    /// absent at this definition `level` becomes null.
    private static func insert(_ value: JSONValue, level: Int, path: ArraySlice<String>, ancestors: ArraySlice<Int>,
                               into object: inout JSONObject) {
        guard let key = path.first else { return }
        guard path.count > 1, let groupLevel = ancestors.first else {
            object[key] = value
            return
        }
        if level < groupLevel {
            object[key] = .null
            return
        }
        var child = object[key]?.objectValue ?? JSONObject()
        insert(value, level: level, path: path.dropFirst(), ancestors: ancestors.dropFirst(), into: &child)
        object[key] = .object(child)
    }
}

/// Per metadata field of a row: whether it is a simple column, its name and logical type, read in the row loop
/// without copying the field's description (names, paths) for every row.
private struct FieldPlan {
    let simple: [Bool]
    let names: [String]
    let logical: [ParquetLogicalType?]
    /// No `metadata` struct puts its fields beside the columns, so a column's name is new in the row's metadata.
    let namesAreUnique: Bool

    init(_ fields: [ParquetField]) {
        namesAreUnique = !fields.contains { if case .structure("metadata", _) = $0 { true } else { false } }
        simple = fields.map { if case .simple = $0 { true } else { false } }
        names = fields.map(\.name)
        logical = fields.map { if case .simple(let c) = $0 { c.logical } else { nil } }
    }
}
