/// The columns of a Parquet schema as Winnow sees them: top-level leaves of simple types are readable;
/// groups (structs, lists, maps), repeated fields and types without a document-metadata form (decimal,
/// fixed-length binary) are listed as skipped.
struct ParquetSchemaLayout: Sendable {
    var columns: [ParquetLeafColumn] = []
    /// Top-level fields Winnow does not read, with the reason.
    var skipped: [(name: String, reason: String)] = []
    /// The number of leaf columns (column chunks per row group).
    var leafCount = 0

    init(schema: [ParquetSchemaElement]) throws {
        guard let root = schema.first else { throw ParquetFormatError("the footer has an empty schema") }
        var index = 1
        for _ in 0..<Int(max(root.numChildren, 0)) {
            guard index < schema.count else { throw ParquetFormatError("the schema lists fewer fields than its root declares") }
            let element = schema[index]
            if element.numChildren > 0 {
                let leaves = try Self.skipSubtree(schema, at: &index, depth: 0)
                skipped.append((element.name, "nested"))
                leafCount += leaves
                continue
            }
            index += 1
            defer { leafCount += 1 }
            guard let type = element.type else { throw ParquetFormatError("schema field '\(element.name)' has no type") }
            if element.repetition == ParquetRepetition.repeated {
                skipped.append((element.name, "nested"))
                continue
            }
            if element.logical == .decimal || (type == .fixedLenByteArray && (element.logical != .string || element.typeLength <= 0)) {
                skipped.append((element.name, "unsupported_type"))
                continue
            }
            columns.append(ParquetLeafColumn(name: element.name, leafIndex: leafCount, type: type, typeLength: Int(element.typeLength),
                                             optional: element.repetition == ParquetRepetition.optional, logical: element.logical))
        }
    }

    /// Moves `index` past the subtree rooted there; returns its number of leaves.
    private static func skipSubtree(_ schema: [ParquetSchemaElement], at index: inout Int, depth: Int) throws -> Int {
        guard index < schema.count else { throw ParquetFormatError("the schema ends inside a group") }
        guard depth < 256 else { throw ParquetFormatError("the schema nests groups more than 256 deep") }
        let element = schema[index]
        index += 1
        if element.numChildren <= 0 { return 1 }
        var leaves = 0
        for _ in 0..<Int(element.numChildren) { leaves += try skipSubtree(schema, at: &index, depth: depth + 1) }
        return leaves
    }

    func column(named name: String) -> ParquetLeafColumn? { columns.first { $0.name == name } }
}
