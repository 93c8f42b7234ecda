import WinnowCore

/// The type of a metadata column the Parquet writer emits.
public enum ParquetColumnKind: String, Sendable {
    case string, int64, double, boolean

    var physicalType: ParquetPhysicalType {
        switch self {
        case .string: .byteArray
        case .int64: .int64
        case .double: .double
        case .boolean: .boolean
        }
    }
}

/// A metadata value that does not fit the schema the writer fixed from the first row group.
public struct ParquetSchemaMismatch: Error, CustomStringConvertible {
    public let description: String
}

/// The writer's schema: `text` and `id` (required strings), then one optional column per metadata key in
/// order of first appearance in the first row group. Types are inferred from that row group's values:
/// all booleans -> boolean; all integers that fit 64 bits -> int64; all numbers -> double (integers widen);
/// anything else (strings, mixed kinds, arrays, objects, only nulls) -> string, non-string values as their
/// JSON text. Later rows must fit: an int64 column takes integers, a double column any number, a boolean
/// column booleans, a string column anything; a new key or a value that does not fit is refused with a
/// `ParquetSchemaMismatch` naming the document, the key and the column type.
struct ParquetWriterSchema: Sendable {
    var textField: String
    var idField: String
    var columns: [(name: String, kind: ParquetColumnKind)] = []

    init(textField: String, idField: String, inferringFrom documents: [Document]) {
        self.textField = textField
        self.idField = idField
        var order: [String] = []
        var kinds: [String: ParquetColumnKind?] = [:]  // nil inner value: only nulls seen so far
        for document in documents {
            for entry in document.metadata where entry.key != textField && entry.key != idField {
                if kinds[entry.key] == nil {
                    order.append(entry.key)
                    kinds[entry.key] = .some(nil)
                }
                guard let observed = Self.kind(of: entry.value) else { continue }
                let current = kinds[entry.key]!
                kinds[entry.key] = .some(Self.widen(current, observed))
            }
        }
        columns = order.map { ($0, (kinds[$0] ?? nil) ?? .string) }
    }

    /// The natural kind of a value; nil for null.
    static func kind(of value: JSONValue) -> ParquetColumnKind? {
        switch value {
        case .null: nil
        case .bool: .boolean
        case .number(let n): Int64(n.literal) != nil ? .int64 : .double
        default: .string
        }
    }

    static func widen(_ a: ParquetColumnKind?, _ b: ParquetColumnKind) -> ParquetColumnKind {
        guard let a else { return b }
        if a == b { return a }
        if (a == .int64 && b == .double) || (a == .double && b == .int64) { return .double }
        return .string
    }

    /// Whether `value` can be stored in a column of `kind`.
    static func fits(_ value: JSONValue, _ kind: ParquetColumnKind) -> Bool {
        switch (kind, value) {
        case (_, .null), (.string, _), (.boolean, .bool): true
        case (.int64, .number(let n)): Int64(n.literal) != nil
        case (.double, .number): true
        default: false
        }
    }

    /// Throws when `document` has a metadata key or value the schema cannot hold.
    func check(_ document: Document) throws {
        for entry in document.metadata where entry.key != textField && entry.key != idField {
            guard let column = columns.first(where: { $0.name == entry.key }) else {
                throw ParquetSchemaMismatch(description: "Parquet writer: document '\(document.id)' has metadata '\(entry.key)', which the first row group did not have; the schema is fixed by the first row group (columns: \(columns.map(\.name).joined(separator: ", "))). Raise row_group_bytes so the first row group sees every key, or write JSONL")
            }
            guard Self.fits(entry.value, column.kind) else {
                throw ParquetSchemaMismatch(description: "Parquet writer: document '\(document.id)' has metadata '\(entry.key)' = \(JSONWriter.string(entry.value)), which does not fit the \(column.kind.rawValue) column the first row group fixed. Raise row_group_bytes so the first row group sees such values, or write JSONL")
            }
        }
    }
}
