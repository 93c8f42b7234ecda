/// Parquet's footer and page headers (parquet.thrift), as far as Winnow reads and writes them: the schema,
/// row groups, column chunks with their statistics, and the page headers of data pages v1/v2 and
/// dictionary pages. Unknown fields are skipped, so files from newer writers still read.

/// Physical types (`Type` in parquet.thrift).
enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

extension ParquetPhysicalType {
    init(thrift r: inout ThriftCompactReader) throws {
        let raw = try r.i32()
        guard let type = ParquetPhysicalType(rawValue: raw) else { throw ParquetFormatError("unknown physical type \(raw)") }
        self = type
    }
}

/// Value encodings (`Encoding`).
enum ParquetEncoding {
    static let plain: Int32 = 0
    static let plainDictionary: Int32 = 2
    static let rle: Int32 = 3
    static let bitPacked: Int32 = 4
    static let deltaBinaryPacked: Int32 = 5
    static let deltaLengthByteArray: Int32 = 6
    static let deltaByteArray: Int32 = 7
    static let rleDictionary: Int32 = 8
    static let byteStreamSplit: Int32 = 9
}

/// Repetition of a schema field.
enum ParquetRepetition {
    static let required: Int32 = 0
    static let optional: Int32 = 1
    static let repeated: Int32 = 2
}

/// Page types (`PageType`).
enum ParquetPageType {
    static let dataPage: Int32 = 0
    static let indexPage: Int32 = 1
    static let dictionaryPage: Int32 = 2
    static let dataPageV2: Int32 = 3
}

/// The logical annotation of a column, from `LogicalType` or the legacy `ConvertedType`.
enum ParquetLogicalType: Sendable, Equatable {
    case string
    case json
    case enumeration
    case date
    /// unit: 1 ms, 2 µs, 3 ns.
    case timestamp(unit: Int, utc: Bool)
    case integer(bits: Int, signed: Bool)
    case decimal
    /// Group annotations: a list (`LIST`) or a map (`MAP`, legacy `MAP_KEY_VALUE`).
    case list
    case map
    case other
}

struct ParquetSchemaElement: Sendable {
    var type: ParquetPhysicalType?
    var typeLength: Int32 = 0
    var repetition: Int32 = ParquetRepetition.required
    var name: String = ""
    var numChildren: Int32 = 0
    var logical: ParquetLogicalType?

    init(type: ParquetPhysicalType?, repetition: Int32, name: String, numChildren: Int32 = 0, logical: ParquetLogicalType? = nil) {
        self.type = type
        self.repetition = repetition
        self.name = name
        self.numChildren = numChildren
        self.logical = logical
    }

    init(thrift r: inout ThriftCompactReader) throws {
        var converted: Int32?
        var logical: ParquetLogicalType?
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, ThriftType.i32): self.type = try ParquetPhysicalType(thrift: &r)
            case (2, ThriftType.i32): typeLength = try r.i32()
            case (3, ThriftType.i32): repetition = try r.i32()
            case (4, ThriftType.binary): name = try r.string()
            case (5, ThriftType.i32): numChildren = try r.i32()
            case (6, ThriftType.i32): converted = try r.i32()
            case (10, ThriftType.struct): logical = try Self.readLogicalType(&r)
            default: try r.skip(type)
            }
        }
        self.logical = logical ?? converted.flatMap(Self.fromConvertedType)
    }

    static func fromConvertedType(_ c: Int32) -> ParquetLogicalType? {
        switch c {
        case 0: .string
        case 1, 2: .map
        case 3: .list
        case 4: .enumeration
        case 5: .decimal
        case 6: .date
        case 9: .timestamp(unit: 1, utc: true)
        case 10: .timestamp(unit: 2, utc: true)
        case 11: .integer(bits: 8, signed: false)
        case 12: .integer(bits: 16, signed: false)
        case 13: .integer(bits: 32, signed: false)
        case 14: .integer(bits: 64, signed: false)
        case 15: .integer(bits: 8, signed: true)
        case 16: .integer(bits: 16, signed: true)
        case 17: .integer(bits: 32, signed: true)
        case 18: .integer(bits: 64, signed: true)
        case 19: .json
        default: .other
        }
    }

    static func readLogicalType(_ r: inout ThriftCompactReader) throws -> ParquetLogicalType {
        var result = ParquetLogicalType.other
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, ThriftType.struct): try r.skip(type); result = .string
            case (2, ThriftType.struct): try r.skip(type); result = .map
            case (3, ThriftType.struct): try r.skip(type); result = .list
            case (4, ThriftType.struct): try r.skip(type); result = .enumeration
            case (5, ThriftType.struct): try r.skip(type); result = .decimal
            case (6, ThriftType.struct): try r.skip(type); result = .date
            case (8, ThriftType.struct):
                var utc = false, unit = 1
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, ThriftType.boolTrue), (1, ThriftType.boolFalse): utc = type == ThriftType.boolTrue
                    case (2, ThriftType.struct):
                        try r.readStruct { r, id, type in
                            unit = Int(id)
                            try r.skip(type)
                        }
                    default: try r.skip(type)
                    }
                }
                result = .timestamp(unit: unit, utc: utc)
            case (10, ThriftType.struct):
                var bits = 64, signed = true
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, ThriftType.byte): bits = Int(Int8(bitPattern: try r.byte()))
                    case (2, ThriftType.boolTrue), (2, ThriftType.boolFalse): signed = type == ThriftType.boolTrue
                    default: try r.skip(type)
                    }
                }
                result = .integer(bits: bits, signed: signed)
            case (12, ThriftType.struct): try r.skip(type); result = .json
            default: try r.skip(type); result = .other
            }
        }
        return result
    }

    func write(to w: inout ThriftCompactWriter) {
        if let type { w.i32(1, type.rawValue) }
        if type != nil || repetition != ParquetRepetition.required || numChildren == 0 { w.i32(3, repetition) }
        w.string(4, name)
        if numChildren > 0 { w.i32(5, numChildren) }
        switch logical {
        case .string:
            w.i32(6, 0)
            w.structField(10) { w in w.structField(1) { _ in } }
        case .json:
            w.i32(6, 19)
            w.structField(10) { w in w.structField(12) { _ in } }
        default: break
        }
    }
}

/// Min/max and null count of a column chunk or page (the new `min_value`/`max_value` fields).
struct ParquetStatistics: Sendable {
    var min: [UInt8]?
    var max: [UInt8]?
    var nullCount: Int64?

    init(min: [UInt8]? = nil, max: [UInt8]? = nil, nullCount: Int64? = nil) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
    }

    func write(to w: inout ThriftCompactWriter) {
        if let nullCount { w.i64(3, nullCount) }
        if let max { w.binary(5, max) }
        if let min { w.binary(6, min) }
    }
}

struct ParquetColumnMetadata: Sendable {
    var type: ParquetPhysicalType = .byteArray
    var encodings: [Int32] = []
    var path: [String] = []
    var codec: Int32 = 0
    var numValues: Int64 = 0
    var totalUncompressedSize: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
    var statistics: ParquetStatistics?

    init() {}

    init(thrift r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, ThriftType.i32): self.type = try ParquetPhysicalType(thrift: &r)
            case (2, ThriftType.list): encodings = try r.readList { try $0.i32() }
            case (3, ThriftType.list): path = try r.readList { try $0.string() }
            case (4, ThriftType.i32): codec = try r.i32()
            case (5, ThriftType.i64): numValues = try r.i64()
            case (6, ThriftType.i64): totalUncompressedSize = try r.i64()
            case (7, ThriftType.i64): totalCompressedSize = try r.i64()
            case (9, ThriftType.i64): dataPageOffset = try r.i64()
            case (11, ThriftType.i64): dictionaryPageOffset = try r.i64()
            default: try r.skip(type)
            }
        }
    }

    func write(to w: inout ThriftCompactWriter) {
        w.i32(1, type.rawValue)
        w.listField(2, count: encodings.count, elementType: ThriftType.i32)
        for e in encodings { w.writeZigzag(Int64(e)) }
        w.listField(3, count: path.count, elementType: ThriftType.binary)
        for p in path {
            w.writeVarint(UInt64(p.utf8.count))
            w.bytes.append(contentsOf: p.utf8)
        }
        w.i32(4, codec)
        w.i64(5, numValues)
        w.i64(6, totalUncompressedSize)
        w.i64(7, totalCompressedSize)
        w.i64(9, dataPageOffset)
        if let dictionaryPageOffset { w.i64(11, dictionaryPageOffset) }
        if let statistics { w.structField(12) { statistics.write(to: &$0) } }
    }
}

struct ParquetColumnChunk: Sendable {
    var fileOffset: Int64 = 0
    var metadata: ParquetColumnMetadata?

    init(fileOffset: Int64, metadata: ParquetColumnMetadata) {
        self.fileOffset = fileOffset
        self.metadata = metadata
    }

    init(thrift r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (2, ThriftType.i64): fileOffset = try r.i64()
            case (3, ThriftType.struct): metadata = try ParquetColumnMetadata(thrift: &r)
            default: try r.skip(type)
            }
        }
    }
}

struct ParquetRowGroup: Sendable {
    var columns: [ParquetColumnChunk] = []
    var totalByteSize: Int64 = 0
    var numRows: Int64 = 0

    init(columns: [ParquetColumnChunk], totalByteSize: Int64, numRows: Int64) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }

    init(thrift r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, ThriftType.list): columns = try r.readList { try ParquetColumnChunk(thrift: &$0) }
            case (2, ThriftType.i64): totalByteSize = try r.i64()
            case (3, ThriftType.i64): numRows = try r.i64()
            default: try r.skip(type)
            }
        }
    }
}

/// The file footer.
struct ParquetFileMetadata: Sendable {
    var version: Int32 = 1
    var schema: [ParquetSchemaElement] = []
    var numRows: Int64 = 0
    var rowGroups: [ParquetRowGroup] = []
    var keyValues: [(key: String, value: String)] = []
    var createdBy: String?
    /// Writer only: how many leaf columns get a TypeDefinedOrder (needed for readers to trust min/max).
    var columnOrders = 0

    init() {}

    init(thrift r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, ThriftType.i32): version = try r.i32()
            case (2, ThriftType.list): schema = try r.readList { try ParquetSchemaElement(thrift: &$0) }
            case (3, ThriftType.i64): numRows = try r.i64()
            case (4, ThriftType.list): rowGroups = try r.readList { try ParquetRowGroup(thrift: &$0) }
            case (6, ThriftType.binary): createdBy = try r.string()
            default: try r.skip(type)
            }
        }
    }

    func serialized() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.i32(1, version)
        w.listField(2, count: schema.count, elementType: ThriftType.struct)
        for element in schema { w.structElement { element.write(to: &$0) } }
        w.i64(3, numRows)
        w.listField(4, count: rowGroups.count, elementType: ThriftType.struct)
        for group in rowGroups {
            w.structElement { w in
                w.listField(1, count: group.columns.count, elementType: ThriftType.struct)
                for column in group.columns {
                    w.structElement { w in
                        w.i64(2, column.fileOffset)
                        if let metadata = column.metadata { w.structField(3) { metadata.write(to: &$0) } }
                    }
                }
                w.i64(2, group.totalByteSize)
                w.i64(3, group.numRows)
            }
        }
        if !keyValues.isEmpty {
            w.listField(5, count: keyValues.count, elementType: ThriftType.struct)
            for kv in keyValues {
                w.structElement { w in
                    w.string(1, kv.key)
                    w.string(2, kv.value)
                }
            }
        }
        if let createdBy { w.string(6, createdBy) }
        if columnOrders > 0 {
            w.listField(7, count: columnOrders, elementType: ThriftType.struct)
            for _ in 0..<columnOrders { w.structElement { w in w.structField(1) { _ in } } }
        }
        w.endStruct()
        return w.bytes
    }
}

/// A page header: sizes, optional CRC, and the header of its kind.
struct ParquetPageHeader: Sendable {
    var type: Int32 = 0
    var uncompressedSize: Int32 = 0
    var compressedSize: Int32 = 0
    var crc: UInt32?
    /// Data pages (v1 and v2) and dictionary pages.
    var numValues: Int32 = 0
    var encoding: Int32 = 0
    /// Data page v2 only.
    var numNulls: Int32 = 0
    var definitionLevelsLength: Int32 = 0
    var repetitionLevelsLength: Int32 = 0
    var isCompressed = true

    init(type: Int32, uncompressedSize: Int32, compressedSize: Int32, numValues: Int32, encoding: Int32) {
        self.type = type
        self.uncompressedSize = uncompressedSize
        self.compressedSize = compressedSize
        self.numValues = numValues
        self.encoding = encoding
    }

    init(thrift r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, ThriftType.i32): self.type = try r.i32()
            case (2, ThriftType.i32): uncompressedSize = try r.i32()
            case (3, ThriftType.i32): compressedSize = try r.i32()
            case (4, ThriftType.i32): crc = UInt32(bitPattern: try r.i32())
            case (5, ThriftType.struct), (7, ThriftType.struct):
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, ThriftType.i32): numValues = try r.i32()
                    case (2, ThriftType.i32): encoding = try r.i32()
                    default: try r.skip(type)
                    }
                }
            case (8, ThriftType.struct):
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, ThriftType.i32): numValues = try r.i32()
                    case (2, ThriftType.i32): numNulls = try r.i32()
                    case (4, ThriftType.i32): encoding = try r.i32()
                    case (5, ThriftType.i32): definitionLevelsLength = try r.i32()
                    case (6, ThriftType.i32): repetitionLevelsLength = try r.i32()
                    case (7, ThriftType.boolTrue), (7, ThriftType.boolFalse): isCompressed = type == ThriftType.boolTrue
                    default: try r.skip(type)
                    }
                }
            default: try r.skip(type)
            }
        }
        guard uncompressedSize >= 0, compressedSize >= 0, numValues >= 0 else {
            throw ParquetFormatError("page header with a negative size or value count")
        }
    }

    /// A data page v1 header (the only kind the writer emits), with a CRC of the page data.
    func serializedDataPage(statistics: ParquetStatistics?) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.i32(1, type)
        w.i32(2, uncompressedSize)
        w.i32(3, compressedSize)
        if let crc { w.i32(4, Int32(bitPattern: crc)) }
        w.structField(5) { w in
            w.i32(1, numValues)
            w.i32(2, encoding)
            w.i32(3, ParquetEncoding.rle)
            w.i32(4, ParquetEncoding.rle)
            if let statistics { w.structField(5) { statistics.write(to: &$0) } }
        }
        w.endStruct()
        return w.bytes
    }
}
