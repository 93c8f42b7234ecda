/// A JSON value, as kept in document metadata and stage parameters.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var intValue: Int? { if case .number(let n) = self { return n.intValue } else { return nil } }
    public var doubleValue: Double? { if case .number(let n) = self { return n.doubleValue } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

/// A JSON number kept as its literal text, so numbers pass through a pipeline exactly as they came
/// (a 64-bit id or `1.50` is not reformatted by a round trip through `Double`). Numbers made from an `Int`
/// or a `Double` keep the value and format it only when `literal` is asked for (a reader of typed columns
/// does not format every value of every row); equality and hashing follow the literal.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    private enum Storage: Sendable {
        case literal(String)
        case integer(Int)
        /// A finite value that is not an integer below 1e15 (those are kept as `integer`).
        case double(Double)
    }

    private let storage: Storage

    /// The number as written, valid JSON number grammar.
    public var literal: String {
        switch storage {
        case .literal(let text): text
        case .integer(let value): String(value)
        case .double(let value): value.description
        }
    }

    /// Wraps a literal that the caller has already checked against the JSON number grammar.
    public init(uncheckedLiteral literal: String) { storage = .literal(literal) }

    public init(_ value: Int) { storage = .integer(value) }

    /// Non-finite values have no JSON form and become 0; integral values below 1e15 are written as integers.
    public init(_ value: Double) {
        if !value.isFinite {
            storage = .integer(0)
        } else if value == value.rounded(), abs(value) < 1e15 {
            storage = .integer(Int(value))
        } else {
            storage = .double(value)
        }
    }

    public var doubleValue: Double {
        switch storage {
        case .literal(let text): Double(text) ?? 0
        case .integer(let value): Double(value)
        case .double(let value): value
        }
    }

    /// The value as an integer when the literal is one (no fraction or exponent) and fits.
    public var intValue: Int? {
        switch storage {
        case .integer(let value): return value
        case .double(let value): return value == value.rounded() && abs(value) < 9e15 ? Int(value) : nil
        case .literal(let text): return Int(text) ?? (Double(text).flatMap { $0 == $0.rounded() && abs($0) < 9e15 ? Int($0) : nil })
        }
    }

    public var description: String { literal }

    public static func == (a: JSONNumber, b: JSONNumber) -> Bool {
        switch (a.storage, b.storage) {
        case (.integer(let x), .integer(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        default: a.literal == b.literal
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(literal) }
}

/// A JSON object that keeps its keys in insertion order, so output matches input field order.
/// Lookups are linear: metadata objects are small.
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral, RandomAccessCollection {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) { self.key = key; self.value = value }
    }

    public private(set) var entries: [Entry]

    public init() { entries = [] }
    public init(entries: [Entry]) { self.entries = entries }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }

    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> Entry { entries[position] }

    /// The value for `key`; setting `nil` removes the key, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Appends without checking for an existing key (parsers use this; JSON allows duplicate keys).
    public mutating func append(key: String, value: consuming JSONValue) {
        entries.append(Entry(key: key, value: value))
    }

    /// Replaces the value of the entry at `position`, keeping its key and place.
    public mutating func replaceValue(at position: Int, with value: JSONValue) {
        entries[position].value = value
    }

    public mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }
}
