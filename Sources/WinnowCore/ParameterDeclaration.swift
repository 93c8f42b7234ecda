/// One parameter that a stage or whole-dataset step accepts, declared once: YAML validation, the typed getters'
/// defaults, `winnow stages NAME` and the parameter tables in docs/ all come from it.
///
/// ```swift
/// static let parameters: [ParameterDeclaration] = [
///     .int("min_chars", default: 0, "shortest text kept, in characters"),
///     .int("max_chars", .absent("no limit"), "longest text kept, in characters"),
/// ]
/// ```
public struct ParameterDeclaration: Sendable, Equatable {
    /// What values the parameter takes.
    public enum Kind: Sendable, Equatable {
        case int
        /// Any number.
        case double
        case bool
        case string
        /// A string out of a fixed list.
        case choice([String])
        /// A list of strings; a single string counts as a list of one.
        case stringList
        /// A size in bytes: an integer or a string such as `64MiB` (see `ByteSize`).
        case byteSize
        /// Any YAML value (a mapping, a list of pairs...); the stage checks its shape. `shape` says what it takes.
        case raw(shape: String)
    }

    /// What an absent parameter means.
    public enum Default: Sendable, Equatable {
        /// The value used when the parameter is not given.
        case value(JSONValue)
        /// The parameter must be given.
        case required
        /// Absent has a meaning that no single value expresses (`no limit`, `the run's workers`); the stage reads
        /// the parameter with an `optional…` getter and decides.
        case absent(String)
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: Default
    /// One line for `winnow stages NAME` and the docs.
    public let summary: String

    public init(name: String, kind: Kind, default defaultValue: Default, summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    public var isRequired: Bool { defaultValue == .required }

    // MARK: Builders

    public static func int(_ name: String, default value: Int, _ summary: String) -> Self {
        Self(name: name, kind: .int, default: .value(.number(JSONNumber(value))), summary: summary)
    }
    public static func int(_ name: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .int, default: absent, summary: summary)
    }
    public static func double(_ name: String, default value: Double, _ summary: String) -> Self {
        Self(name: name, kind: .double, default: .value(.number(JSONNumber(value))), summary: summary)
    }
    public static func double(_ name: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .double, default: absent, summary: summary)
    }
    public static func bool(_ name: String, default value: Bool, _ summary: String) -> Self {
        Self(name: name, kind: .bool, default: .value(.bool(value)), summary: summary)
    }
    public static func bool(_ name: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .bool, default: absent, summary: summary)
    }
    public static func string(_ name: String, default value: String, _ summary: String) -> Self {
        Self(name: name, kind: .string, default: .value(.string(value)), summary: summary)
    }
    public static func string(_ name: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .string, default: absent, summary: summary)
    }
    public static func choice(_ name: String, _ values: [String], default value: String, _ summary: String) -> Self {
        precondition(values.contains(value), "parameter '\(name)': default '\(value)' is not one of \(values)")
        return Self(name: name, kind: .choice(values), default: .value(.string(value)), summary: summary)
    }
    public static func choice(_ name: String, _ values: [String], _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .choice(values), default: absent, summary: summary)
    }
    /// A choice among the raw values of an enumeration.
    public static func choice<E: CaseIterable & RawRepresentable>(_ name: String, _ type: E.Type, default value: E,
                                                                  _ summary: String) -> Self where E.RawValue == String {
        choice(name, E.allCases.map(\.rawValue), default: value.rawValue, summary)
    }
    public static func stringList(_ name: String, default value: [String], _ summary: String) -> Self {
        Self(name: name, kind: .stringList, default: .value(.array(value.map { .string($0) })), summary: summary)
    }
    public static func stringList(_ name: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .stringList, default: absent, summary: summary)
    }
    /// `value` is an integer or a size such as `4GiB`.
    public static func byteSize(_ name: String, default value: JSONValue, _ summary: String) -> Self {
        precondition(value.intValue != nil || value.stringValue.flatMap(ByteSize.parse) != nil, "parameter '\(name)': bad default size")
        return Self(name: name, kind: .byteSize, default: .value(value), summary: summary)
    }
    public static func byteSize(_ name: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .byteSize, default: absent, summary: summary)
    }
    /// A parameter of any shape (a mapping, a list of pairs...), which the stage checks itself.
    public static func raw(_ name: String, shape: String, _ absent: Default, _ summary: String) -> Self {
        Self(name: name, kind: .raw(shape: shape), default: absent, summary: summary)
    }

    // MARK: Checking and describing

    /// Why `value` does not fit this parameter, or nil when it does.
    public func problem(with value: JSONValue) -> String? {
        switch kind {
        case .int:
            return value.intValue == nil ? "\(name) must be an integer" : nil
        case .double:
            return value.doubleValue == nil ? "\(name) must be a number" : nil
        case .bool:
            return value.boolValue == nil ? "\(name) must be true or false" : nil
        case .string:
            return value.stringValue == nil ? "\(name) must be a string" : nil
        case .choice(let values):
            guard let s = value.stringValue, values.contains(s) else {
                return "\(name) must be one of \(values.joined(separator: ", ")), not '\(Self.render(value))'"
            }
            return nil
        case .stringList:
            if value.stringValue != nil { return nil }
            guard let a = value.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
                return "\(name) must be a string or a list of strings"
            }
            return nil
        case .byteSize:
            if value.intValue != nil || value.stringValue.flatMap(ByteSize.parse) != nil { return nil }
            return "\(name) must be a size such as 1048576, 64MiB or 1GB"
        case .raw:
            return nil
        }
    }

    /// The type as `winnow stages NAME` and the docs show it: `int`, `one of: a, b`, `list of strings`...
    public var typeDescription: String {
        switch kind {
        case .int: return "integer"
        case .double: return "number"
        case .bool: return "true/false"
        case .string: return "string"
        case .choice(let values): return values.joined(separator: " | ")
        case .stringList: return "list of strings"
        case .byteSize: return "byte size (4096, 64MiB, 1GB)"
        case .raw(let shape): return shape
        }
    }

    /// The default as the docs show it: the value, `required`, or what absence means.
    public var defaultDescription: String {
        switch defaultValue {
        case .value(let v): return Self.render(v)
        case .required: return "required"
        case .absent(let meaning): return meaning
        }
    }

    /// A value written as in YAML flow style: `0.65`, `en`, `""`, `[the, of]`.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.literal
        case .string(let s): return s.isEmpty ? "\"\"" : s
        case .array(let a): return "[" + a.map(render).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
