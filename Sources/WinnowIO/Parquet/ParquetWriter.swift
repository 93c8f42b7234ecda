import CZlib
import WinnowCore

/// Compression of the pages the Parquet writer emits.
public enum ParquetWriterCompression: String, Sendable, CaseIterable {
    case none, snappy, zstd

    var codec: ParquetCodec {
        switch self {
        case .none: .uncompressed
        case .snappy: .snappy
        case .zstd: .zstd
        }
    }
}

/// Writes documents as Parquet files that pyarrow, DuckDB and HF `datasets` load: columns `text`, `id`
/// (required strings) and one optional column per metadata key, typed as `ParquetWriterSchema` infers
/// from the first row group. Rows are buffered until `rowGroupBytes` of text and metadata, then written as
/// one row group: per column PLAIN data pages v1 of about 1 MiB (definition levels RLE), compressed,
/// with a CRC per page and min/max/null-count statistics per column chunk. Memory is bounded by
/// `rowGroupBytes`.
///
/// Files are `<prefix>.parquet`, or `<prefix>_0000.parquet`, ... when rotation is on: a new file starts
/// after the row group that brings a file to `maxFileBytes` (uncompressed) or `maxDocuments`.
public final class ParquetWriter: DocumentWriter {
    public let directory: String
    public let prefix: String
    public let compression: ParquetWriterCompression
    public let level: Int
    public let rowGroupBytes: Int
    public let maxFileBytes: Int
    public let maxDocuments: Int
    public let textField: String
    public let idField: String

    public private(set) var files: [String] = []
    public private(set) var documentsWritten = 0
    public private(set) var bytesWritten = 0

    /// The default row group size: 128 MiB of text and metadata, close to pyarrow's and Spark's defaults.
    public static let defaultRowGroupBytes = 128 << 20
    static let pageBytes = 1 << 20

    private var schema: ParquetWriterSchema?
    private var pending: [Document] = []
    private var pendingBytes = 0
    private var sink: ByteSink?
    private var fileOffset: Int64 = 0
    private var rowGroups: [ParquetRowGroup] = []
    private var documentsInFile = 0
    private var bytesInFile = 0

    public init(directory: String, prefix: String, compression: ParquetWriterCompression = .zstd, level: Int? = nil,
                rowGroupBytes: Int = ParquetWriter.defaultRowGroupBytes, maxFileBytes: Int = 0, maxDocuments: Int = 0,
                textField: String = "text", idField: String = "id") {
        self.directory = directory
        self.prefix = prefix
        self.compression = compression
        self.level = level ?? 3
        self.rowGroupBytes = max(rowGroupBytes, 1)
        self.maxFileBytes = maxFileBytes
        self.maxDocuments = maxDocuments
        self.textField = textField
        self.idField = idField
    }

    public var rotates: Bool { maxFileBytes > 0 || maxDocuments > 0 }

    public func fileName(part: Int) -> String {
        rotates ? "\(prefix)_\(zeroPadded(part, 4)).parquet" : "\(prefix).parquet"
    }

    public func write(_ document: Document) throws {
        if let schema { try schema.check(document) }
        var size = document.text.count + document.id.utf8.count
        for entry in document.metadata { size += entry.key.utf8.count + Self.approximateSize(entry.value) }
        pending.append(document)
        pendingBytes += size
        documentsWritten += 1
        bytesWritten += size
        if pendingBytes >= rowGroupBytes || (maxDocuments > 0 && documentsInFile + pending.count >= maxDocuments) {
            try flushRowGroup()
        }
    }

    public func close() throws {
        try flushRowGroup()
        try finishFile()
    }

    private static func approximateSize(_ value: JSONValue) -> Int {
        switch value {
        case .string(let s): s.utf8.count
        case .null, .bool: 1
        case .number: 8
        default: JSONWriter.string(value).utf8.count
        }
    }

    // MARK: - Row groups

    private func flushRowGroup() throws {
        guard !pending.isEmpty else { return }
        if schema == nil {
            schema = ParquetWriterSchema(textField: textField, idField: idField, inferringFrom: pending)
        }
        let schema = schema!
        // The first row group fixed the schema from these same rows, so they all fit; later ones were
        // checked in `write`.
        if sink == nil {
            let name = fileName(part: files.count)
            sink = try createByteSink(path: directory + "/" + name, compression: .none)
            files.append(name)
            try write(ParquetFile.magic)
        }
        var chunks: [ParquetColumnChunk] = []
        var totalBytes: Int64 = 0
        let text = pending.map { ParquetCell.bytes($0.text) }
        let ids = pending.map { ParquetCell.bytes(Array($0.id.utf8)) }
        chunks.append(try writeColumn(name: textField, kind: .string, optional: false, cells: text, total: &totalBytes))
        chunks.append(try writeColumn(name: idField, kind: .string, optional: false, cells: ids, total: &totalBytes))
        for column in schema.columns {
            let cells = pending.map { ParquetCell($0.metadata[column.name] ?? .null, kind: column.kind) }
            chunks.append(try writeColumn(name: column.name, kind: column.kind, optional: true, cells: cells, total: &totalBytes))
        }
        rowGroups.append(ParquetRowGroup(columns: chunks, totalByteSize: totalBytes, numRows: Int64(pending.count)))
        documentsInFile += pending.count
        bytesInFile += pendingBytes
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        if (maxFileBytes > 0 && bytesInFile >= maxFileBytes) || (maxDocuments > 0 && documentsInFile >= maxDocuments) {
            try finishFile()
        }
    }

    /// Writes one column chunk as data pages; returns its metadata.
    private func writeColumn(name: String, kind: ParquetColumnKind, optional: Bool, cells: [ParquetCell],
                             total: inout Int64) throws -> ParquetColumnChunk {
        let chunkStart = fileOffset
        var statistics = ParquetColumnStatistics(kind: kind)
        var uncompressedTotal: Int64 = 0
        var values: [UInt8] = []
        var levels: [UInt8] = []
        var pageRows = 0
        var booleanBits = 0
        func flushPage() throws {
            guard pageRows > 0 else { return }
            var body: [UInt8] = []
            if optional {
                var encoded: [UInt8] = []
                RLEBitPackedHybrid.encodeRuns(levels, bitWidth: 1, appendingTo: &encoded)
                let n = UInt32(encoded.count)
                body.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)])
                body.append(contentsOf: encoded)
            }
            body.append(contentsOf: values)
            var compressed: [UInt8] = []
            if compression == .none {
                compressed = body
            } else {
                body.withUnsafeBytes { compression.codec.compress($0, level: level, appendingTo: &compressed) }
            }
            var header = ParquetPageHeader(type: ParquetPageType.dataPage, uncompressedSize: Int32(body.count),
                                           compressedSize: Int32(compressed.count), numValues: Int32(pageRows),
                                           encoding: ParquetEncoding.plain)
            header.crc = compressed.withUnsafeBytes {
                UInt32(crc32(0, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32($0.count)))
            }
            let headerBytes = header.serializedDataPage(statistics: nil)
            try write(headerBytes)
            try write(compressed)
            uncompressedTotal += Int64(headerBytes.count + body.count)
            values.removeAll(keepingCapacity: true)
            levels.removeAll(keepingCapacity: true)
            pageRows = 0
            booleanBits = 0
        }
        for cell in cells {
            switch cell {
            case .null:
                levels.append(0)
                statistics.nulls += 1
            case .bytes(let b):
                levels.append(1)
                let n = UInt32(b.count)
                values.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)])
                values.append(contentsOf: b)
                statistics.observe(bytes: b)
            case .int64(let v):
                levels.append(1)
                withUnsafeBytes(of: v.littleEndian) { values.append(contentsOf: $0) }
                statistics.observe(int: v)
            case .double(let v):
                levels.append(1)
                withUnsafeBytes(of: v.bitPattern.littleEndian) { values.append(contentsOf: $0) }
                statistics.observe(double: v)
            case .bool(let v):
                levels.append(1)
                if booleanBits & 7 == 0 { values.append(0) }
                if v { values[values.count - 1] |= 1 << UInt8(booleanBits & 7) }
                booleanBits += 1
                statistics.observe(bool: v)
            }
            pageRows += 1
            // Booleans are bit-packed per page: a page may only end on a byte boundary of values.
            if values.count >= Self.pageBytes && booleanBits & 7 == 0 { try flushPage() }
        }
        try flushPage()
        var metadata = ParquetColumnMetadata()
        metadata.type = kind.physicalType
        metadata.encodings = optional ? [ParquetEncoding.plain, ParquetEncoding.rle] : [ParquetEncoding.plain]
        metadata.path = [name]
        metadata.codec = compression.codec.rawValue
        metadata.numValues = Int64(cells.count)
        metadata.totalUncompressedSize = uncompressedTotal
        metadata.totalCompressedSize = fileOffset - chunkStart
        metadata.dataPageOffset = chunkStart
        metadata.statistics = statistics.parquet
        total += uncompressedTotal
        return ParquetColumnChunk(fileOffset: chunkStart, metadata: metadata)
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink!.write($0) }
        fileOffset += Int64(bytes.count)
    }

    private func finishFile() throws {
        guard sink != nil, let schema else { return }
        var metadata = ParquetFileMetadata()
        metadata.version = 1
        var elements = [ParquetSchemaElement(type: nil, repetition: ParquetRepetition.required, name: "schema",
                                             numChildren: Int32(2 + schema.columns.count))]
        elements.append(ParquetSchemaElement(type: .byteArray, repetition: ParquetRepetition.required, name: textField, logical: .string))
        elements.append(ParquetSchemaElement(type: .byteArray, repetition: ParquetRepetition.required, name: idField, logical: .string))
        for column in schema.columns {
            elements.append(ParquetSchemaElement(type: column.kind.physicalType, repetition: ParquetRepetition.optional,
                                                 name: column.name, logical: column.kind == .string ? .string : nil))
        }
        metadata.schema = elements
        metadata.rowGroups = rowGroups
        metadata.numRows = rowGroups.reduce(0) { $0 + $1.numRows }
        metadata.createdBy = "winnow"
        metadata.columnOrders = 2 + schema.columns.count
        let footer = metadata.serialized()
        try write(footer)
        let n = UInt32(footer.count)
        try write([UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)] + ParquetFile.magic)
        try sink?.close()
        sink = nil
        fileOffset = 0
        rowGroups = []
        documentsInFile = 0
        bytesInFile = 0
    }
}

/// One value of a column about to be written.
enum ParquetCell {
    case null
    case bytes([UInt8])
    case int64(Int64)
    case double(Double)
    case bool(Bool)

    /// `value` as a cell of a column of `kind` (the schema has checked that it fits).
    init(_ value: JSONValue, kind: ParquetColumnKind) {
        switch (kind, value) {
        case (_, .null): self = .null
        case (.string, .string(let s)): self = .bytes(Array(s.utf8))
        case (.string, _): self = .bytes(Array(JSONWriter.string(value).utf8))
        case (.int64, .number(let n)): self = .int64(Int64(n.literal) ?? 0)
        case (.double, .number(let n)): self = .double(n.doubleValue)
        case (.boolean, .bool(let b)): self = .bool(b)
        default: self = .null
        }
    }
}

/// Min, max and null count of a column chunk, in Parquet's sort order for the type (strings: unsigned
/// bytewise). String min/max longer than 4 KiB are left out, as Arrow does.
struct ParquetColumnStatistics {
    let kind: ParquetColumnKind
    var nulls: Int64 = 0
    var minBytes: [UInt8]?
    var maxBytes: [UInt8]?
    var minInt = Int64.max, maxInt = Int64.min
    var minDouble = Double.infinity, maxDouble = -Double.infinity
    var sawTrue = false, sawFalse = false, sawValue = false

    init(kind: ParquetColumnKind) { self.kind = kind }

    mutating func observe(bytes: [UInt8]) {
        sawValue = true
        if minBytes == nil || bytes.lexicographicallyPrecedes(minBytes!) { minBytes = bytes }
        if maxBytes == nil || maxBytes!.lexicographicallyPrecedes(bytes) { maxBytes = bytes }
    }

    mutating func observe(int: Int64) {
        sawValue = true
        minInt = min(minInt, int)
        maxInt = max(maxInt, int)
    }

    mutating func observe(double: Double) {
        sawValue = true
        if double.isNaN { return }
        minDouble = min(minDouble, double)
        maxDouble = max(maxDouble, double)
    }

    mutating func observe(bool: Bool) {
        sawValue = true
        if bool { sawTrue = true } else { sawFalse = true }
    }

    var parquet: ParquetStatistics {
        var stats = ParquetStatistics(nullCount: nulls)
        guard sawValue else { return stats }
        switch kind {
        case .string:
            if let minBytes, let maxBytes, minBytes.count <= 4096, maxBytes.count <= 4096 {
                stats.min = minBytes
                stats.max = maxBytes
            }
        case .int64:
            stats.min = withUnsafeBytes(of: minInt.littleEndian) { Array($0) }
            stats.max = withUnsafeBytes(of: maxInt.littleEndian) { Array($0) }
        case .double:
            if minDouble <= maxDouble {
                // -0.0 as the minimum and +0.0 as the maximum, as the format asks.
                let lo = minDouble == 0 ? -0.0 : minDouble, hi = maxDouble == 0 ? 0.0 : maxDouble
                stats.min = withUnsafeBytes(of: lo.bitPattern.littleEndian) { Array($0) }
                stats.max = withUnsafeBytes(of: hi.bitPattern.littleEndian) { Array($0) }
            }
        case .boolean:
            stats.min = [sawFalse ? 0 : 1]
            stats.max = [sawTrue ? 1 : 0]
        }
        return stats
    }
}
