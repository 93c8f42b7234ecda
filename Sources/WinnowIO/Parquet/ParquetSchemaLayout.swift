/// The columns of a Parquet schema as Winnow sees them, in schema order: top-level leaves of simple types,
/// and groups without repeated fields (structs, such as datatrove's `metadata` column), read as JSON
/// objects. Lists, maps, repeated fields and types without a document-metadata form (decimal,
/// fixed-length binary) are listed as skipped.
struct ParquetSchemaLayout: Sendable {
    /// The readable top-level fields, in schema order.
    var fields: [ParquetField] = []
    /// Top-level fields Winnow does not read, with the reason.
    var skipped: [(name: String, reason: String)] = []
    /// The number of leaf columns (column chunks per row group).
    var leafCount = 0

    /// The top-level simple columns.
    var columns: [ParquetLeafColumn] {
        fields.compactMap { if case .simple(let c) = $0 { c } else { nil } }
    }

    init(schema: [ParquetSchemaElement]) throws {
        guard let root = schema.first else { throw ParquetFormatError("the footer has an empty schema") }
        var index = 1
        for _ in 0..<Int(max(root.numChildren, 0)) {
            guard index < schema.count else { throw ParquetFormatError("the schema lists fewer fields than its root declares") }
            let element = schema[index]
            let firstLeaf = leafCount
            var leaves: [ParquetLeafColumn] = []
            var readable = true
            try Self.walk(schema, at: &index, path: [], ancestors: [], definition: 0, depth: 0,
                          leafIndex: &leafCount, leaves: &leaves, readable: &readable)
            if !readable || leaves.isEmpty {
                skipped.append((element.name, element.numChildren > 0 || element.repetition == ParquetRepetition.repeated ? "nested" : "unsupported_type"))
            } else if element.numChildren > 0 {
                fields.append(.structure(name: element.name, leaves: leaves))
            } else {
                fields.append(.simple(leaves[0]))
            }
            _ = firstLeaf
        }
    }

    /// Walks the subtree at `index`: collects its leaves (with their path below the top-level field, the
    /// definition level at which each enclosing group is present, and their maximum definition level), and
    /// clears `readable` when it holds a repeated field or a leaf type Winnow does not read.
    private static func walk(_ schema: [ParquetSchemaElement], at index: inout Int, path: [String], ancestors: [Int],
                             definition: Int, depth: Int, leafIndex: inout Int, leaves: inout [ParquetLeafColumn],
                             readable: inout Bool) throws {
        guard index < schema.count else { throw ParquetFormatError("the schema ends inside a group") }
        guard depth < 200 else { throw ParquetFormatError("the schema nests groups more than 200 deep") }
        let element = schema[index]
        index += 1
        if element.repetition == ParquetRepetition.repeated { readable = false }
        let level = definition + (element.repetition == ParquetRepetition.optional ? 1 : 0)
        if element.numChildren > 0 {
            for _ in 0..<Int(element.numChildren) {
                try walk(schema, at: &index, path: path + [element.name], ancestors: ancestors + [level], definition: level,
                         depth: depth + 1, leafIndex: &leafIndex, leaves: &leaves, readable: &readable)
            }
            return
        }
        defer { leafIndex += 1 }
        guard let type = element.type else { throw ParquetFormatError("schema field '\(element.name)' has no type") }
        if element.logical == .decimal || (type == .fixedLenByteArray && (element.logical != .string || element.typeLength <= 0)) {
            readable = false
            return
        }
        leaves.append(ParquetLeafColumn(name: element.name, leafIndex: leafIndex, type: type, typeLength: Int(element.typeLength),
                                        maxDefinition: level, logical: element.logical, path: Array(path.dropFirst()) + [element.name],
                                        ancestorDefinitions: ancestors))
    }

    func column(named name: String) -> ParquetLeafColumn? { columns.first { $0.name == name } }
}

/// A readable top-level field: a simple column, or a struct whose leaves are assembled into a JSON object.
enum ParquetField: Sendable {
    case simple(ParquetLeafColumn)
    case structure(name: String, leaves: [ParquetLeafColumn])

    var name: String {
        switch self {
        case .simple(let c): c.name
        case .structure(let name, _): name
        }
    }

    var leaves: [ParquetLeafColumn] {
        switch self {
        case .simple(let c): [c]
        case .structure(_, let leaves): leaves
        }
    }
}
