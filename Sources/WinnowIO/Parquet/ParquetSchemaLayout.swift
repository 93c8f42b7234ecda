/// The columns of a Parquet schema as Winnow sees them, in schema order: top-level leaves of simple types,
/// groups without repeated fields (structs, such as datatrove's `metadata` column), read as JSON objects,
/// lists and maps of simple types, lists of such structs and lists of lists of simple types, read as JSON
/// arrays and objects. Other nesting (structs holding lists, maps of lists...) and types without a
/// document-metadata form (decimal, fixed-length binary) are listed as skipped.
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
            if let field = try Self.repeatedField(schema, at: &index, leafIndex: &leafCount) {
                fields.append(field)
                continue
            }
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
        // datatrove's ParquetWriter layout (text, id, media, a `metadata` struct): its reader keeps `media`
        // (a list of media objects) out of the metadata; so does this one.
        if fields.contains(where: { if case .structure("metadata", _) = $0 { true } else { false } }),
           let media = fields.firstIndex(where: { $0.name == "media" }) {
            fields.remove(at: media)
            skipped.append(("media", "nested"))
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

    /// A top-level list or map of simple types, or list of structs, recognised by its shape (LogicalTypes.md):
    /// a repeated primitive field; `<opt> group (LIST) { repeated <type> element }` (two levels) or
    /// `{ repeated group list { <opt> <type> element } }` (three levels); `<opt> group (MAP) { repeated group
    /// key_value { required key; <opt> value } }`. On a match, `index` and `leafIndex` move past the field;
    /// otherwise nothing moves and nil is returned.
    private static func repeatedField(_ schema: [ParquetSchemaElement], at index: inout Int, leafIndex: inout Int) throws -> ParquetField? {
        let element = schema[index]
        func leaf(_ at: Int, maxDefinition: Int) -> ParquetLeafColumn? {
            guard at < schema.count else { return nil }
            let e = schema[at]
            guard e.numChildren == 0, let type = e.type, e.logical != .decimal,
                  type != .fixedLenByteArray || (e.logical == .string && e.typeLength > 0) else { return nil }
            return ParquetLeafColumn(name: e.name, leafIndex: leafIndex,
                                     type: type, typeLength: Int(e.typeLength), maxDefinition: maxDefinition, maxRepetition: 1,
                                     logical: e.logical)
        }
        func optional(_ e: ParquetSchemaElement) -> Int { e.repetition == ParquetRepetition.optional ? 1 : 0 }
        if element.repetition == ParquetRepetition.repeated {
            // A repeated primitive at the top: a list that is never null (no entries: empty).
            guard element.numChildren == 0, var column = leaf(index, maxDefinition: 1) else { return nil }
            column.leafIndex = leafIndex
            index += 1
            leafIndex += 1
            return .list(name: element.name, element: column, presentLevel: 0, entryLevel: 1)
        }
        guard element.numChildren == 1, index + 1 < schema.count else { return nil }
        let repeated = schema[index + 1]
        guard repeated.repetition == ParquetRepetition.repeated else { return nil }
        let present = optional(element), entry = present + 1
        switch repeated.numChildren {
        case 0:
            guard var column = leaf(index + 1, maxDefinition: entry) else { return nil }
            column.leafIndex = leafIndex
            index += 2
            leafIndex += 1
            return .list(name: element.name, element: column, presentLevel: present, entryLevel: entry)
        case 1:
            if index + 4 < schema.count, schema[index + 2].logical == .list, schema[index + 2].numChildren == 1,
               schema[index + 2].repetition != ParquetRepetition.repeated, schema[index + 3].repetition == ParquetRepetition.repeated,
               schema[index + 3].numChildren == 1, schema[index + 4].repetition != ParquetRepetition.repeated {
                // A list of lists of simple values: `{ repeated group list { <opt> group element (LIST) { repeated
                // group list { <opt> <type> element } } } }`.
                let innerPresent = entry + optional(schema[index + 2]), innerEntry = innerPresent + 1
                guard var column = leaf(index + 4, maxDefinition: innerEntry + optional(schema[index + 4])) else { return nil }
                column.maxRepetition = 2
                column.leafIndex = leafIndex
                index += 5
                leafIndex += 1
                return .nestedList(name: element.name, element: column, presentLevel: present, entryLevel: entry,
                                   innerPresentLevel: innerPresent, innerEntryLevel: innerEntry)
            }
            if index + 2 < schema.count, schema[index + 2].numChildren > 0, schema[index + 2].repetition != ParquetRepetition.repeated {
                // A list of structs: `{ repeated group list { <opt> group element { fields } } }`, the fields
                // without repetition of their own.
                var at = index + 2, leafAt = leafIndex
                var leaves: [ParquetLeafColumn] = []
                var readable = true
                try walk(schema, at: &at, path: [], ancestors: [], definition: entry, depth: 1, leafIndex: &leafAt,
                         leaves: &leaves, readable: &readable)
                guard readable, !leaves.isEmpty else { return nil }
                for k in leaves.indices { leaves[k].maxRepetition = 1 }
                index = at
                leafIndex = leafAt
                return .structList(name: element.name, leaves: leaves, presentLevel: present, entryLevel: entry)
            }
            guard index + 2 < schema.count, schema[index + 2].repetition != ParquetRepetition.repeated,
                  var column = leaf(index + 2, maxDefinition: entry + optional(schema[index + 2])) else { return nil }
            column.leafIndex = leafIndex
            index += 3
            leafIndex += 1
            return .list(name: element.name, element: column, presentLevel: present, entryLevel: entry)
        case 2:
            guard element.logical == .map || repeated.logical == .map, index + 3 < schema.count,
                  schema[index + 2].repetition != ParquetRepetition.repeated, schema[index + 3].repetition != ParquetRepetition.repeated,
                  var key = leaf(index + 2, maxDefinition: entry + optional(schema[index + 2])),
                  var value = leaf(index + 3, maxDefinition: entry + optional(schema[index + 3])) else { return nil }
            key.leafIndex = leafIndex
            value.leafIndex = leafIndex + 1
            index += 4
            leafIndex += 2
            return .map(name: element.name, key: key, value: value, presentLevel: present, entryLevel: entry)
        default:
            return nil
        }
    }
}

/// A readable top-level field: a simple column, a struct whose leaves are assembled into a JSON object, or a
/// list or map of simple values (a JSON array, a JSON object). For lists and maps, a row whose first definition
/// level is below `presentLevel` is null, below `entryLevel` an empty list or map.
enum ParquetField: Sendable {
    case simple(ParquetLeafColumn)
    case structure(name: String, leaves: [ParquetLeafColumn])
    case list(name: String, element: ParquetLeafColumn, presentLevel: Int, entryLevel: Int)
    case map(name: String, key: ParquetLeafColumn, value: ParquetLeafColumn, presentLevel: Int, entryLevel: Int)
    /// A list of structs (a JSON array of objects): each leaf's `path` is below the list's element, and its
    /// first `ancestorDefinitions` entry the level at which the element is present (below it: a null element).
    case structList(name: String, leaves: [ParquetLeafColumn], presentLevel: Int, entryLevel: Int)
    /// A list of lists of simple values (a JSON array of arrays): an outer element whose definition level is
    /// below `innerPresentLevel` is null, below `innerEntryLevel` an empty list.
    case nestedList(name: String, element: ParquetLeafColumn, presentLevel: Int, entryLevel: Int, innerPresentLevel: Int, innerEntryLevel: Int)

    var name: String {
        switch self {
        case .simple(let c): c.name
        case .structure(let name, _), .list(let name, _, _, _), .map(let name, _, _, _, _), .structList(let name, _, _, _),
             .nestedList(let name, _, _, _, _, _): name
        }
    }

    var leaves: [ParquetLeafColumn] {
        switch self {
        case .simple(let c): [c]
        case .structure(_, let leaves): leaves
        case .list(_, let element, _, _), .nestedList(_, let element, _, _, _, _): [element]
        case .map(_, let key, let value, _, _): [key, value]
        case .structList(_, let leaves, _, _): leaves
        }
    }
}
