/// The parameters a pipeline YAML gives one stage, with the line each came from, so that a bad value is
/// reported as `Pipelines/x.yaml:12: stage 'length': min_chars must be an integer`.
///
/// `validate(against:)` checks the given values against the stage's `ParameterDeclaration`s (unknown keys,
/// missing required ones, wrong types); the typed getters then return the given value or the declared default.
/// Reading a key the stage did not declare is a bug in the stage, reported by the getter or by `finish()`.
public final class StageParameters: @unchecked Sendable {
    public struct Value: Sendable {
        public var value: JSONValue
        public var line: Int
        public init(value: JSONValue, line: Int) { self.value = value; self.line = line }
    }

    public let stageName: String
    /// Where the stage itself is declared: `file:line`.
    public let location: String
    public let file: String
    private let values: [String: Value]
    private var declarations: [String: ParameterDeclaration]?
    /// Every key the stage asked about (getters, `has`, `value`), declared or not.
    public private(set) var readKeys: Set<String> = []
    /// Where each value was given, when not on a line of `file` (command-line `--param key=...`).
    private var valueLocations: [String: String] = [:]

    public init(stageName: String, file: String, line: Int, values: [String: Value]) {
        self.stageName = stageName
        self.file = file
        self.location = line > 0 ? "\(file):\(line)" : file
        self.values = values
    }

    /// Parameters given in code (tests, library use).
    public convenience init(stageName: String, _ values: [String: JSONValue] = [:]) {
        self.init(stageName: stageName, file: "<code>", line: 0, values: values.mapValues { Value(value: $0, line: 0) })
    }

    /// Parameters given on the command line as `--param key=value`: errors name the option.
    public convenience init(stageName: String, commandLine values: [String: JSONValue]) {
        self.init(stageName: stageName, file: "command line", line: 0, values: values.mapValues { Value(value: $0, line: 0) })
        for key in values.keys { valueLocations[key] = "--param \(key)" }
    }

    /// Parameters a command built from its own options (`winnow dedup minhash --threshold 2`): errors name the
    /// command line and the option a key comes from: `optionNames[key]`, else the key with dashes
    /// (`threshold` -> `--threshold`, `ngram_size` -> `--ngram-size`).
    public convenience init(stageName: String, commandOptions values: [String: JSONValue], optionNames: [String: String] = [:]) {
        self.init(stageName: stageName, file: "command line", line: 0, values: values.mapValues { Value(value: $0, line: 0) })
        for key in values.keys {
            let option = optionNames[key] ?? "--" + String(key.map { $0 == "_" ? "-" : $0 })
            valueLocations[key] = "command line (\(option))"
        }
    }

    /// A configuration error about `key`, located at its line (or the stage's when the key has no line).
    public func error(_ key: String, _ message: String) -> ConfigurationError {
        if let given = valueLocations[key] {
            return ConfigurationError(location: given, message: "stage '\(stageName)': \(message)")
        }
        let line = values[key]?.line ?? 0
        return ConfigurationError(location: line > 0 ? "\(file):\(line)" : location,
                                  message: "stage '\(stageName)': \(message)")
    }

    /// Checks the given values against the declarations and keeps them for the getters' defaults: an unknown key
    /// (reported at its line, with the valid keys), a missing required key or a value of the wrong type throws.
    public func validate(against declared: [ParameterDeclaration]) throws {
        let byName = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        declarations = byName
        let unknown = values.filter { byName[$0.key] == nil }.sorted { ($0.value.line, $0.key) < ($1.value.line, $1.key) }
        if let (key, _) = unknown.first {
            let valid = declared.isEmpty ? "it takes no parameters" : "valid: \(declared.map(\.name).sorted().joined(separator: ", "))"
            throw error(key, "unknown parameter '\(key)' (\(valid))")
        }
        for declaration in declared {
            if let given = values[declaration.name] {
                if let problem = declaration.problem(with: given.value) { throw error(declaration.name, problem) }
            } else if declaration.isRequired {
                throw error(declaration.name, "needs '\(declaration.name)': \(declaration.summary)")
            }
        }
    }

    /// The given value, else the declared default (nil when the declaration has none). Records the read.
    private func resolve(_ key: String) throws -> Value? {
        readKeys.insert(key)
        guard let declarations else {
            throw error(key, "reads '\(key)' before its parameters were validated against the stage's declarations (a bug in the stage)")
        }
        guard let declaration = declarations[key] else {
            throw error(key, "reads parameter '\(key)', which it does not declare (a bug in the stage)")
        }
        if let given = values[key] { return given }
        switch declaration.defaultValue {
        case .value(let v): return Value(value: v, line: 0)
        case .required: throw error(key, "needs '\(key)': \(declaration.summary)")
        case .absent: return nil
        }
    }

    /// The value of a parameter declared with a default (or required).
    private func resolveRequired(_ key: String) throws -> Value {
        guard let v = try resolve(key) else {
            throw error(key, "reads '\(key)' as always present, but it is declared without a default (a bug in the stage: use an optional getter)")
        }
        return v
    }

    private func asInt(_ key: String, _ v: Value) throws -> Int {
        guard let i = v.value.intValue else { throw error(key, "\(key) must be an integer") }
        return i
    }
    private func asDouble(_ key: String, _ v: Value) throws -> Double {
        guard let d = v.value.doubleValue else { throw error(key, "\(key) must be a number") }
        return d
    }
    private func asBool(_ key: String, _ v: Value) throws -> Bool {
        guard let b = v.value.boolValue else { throw error(key, "\(key) must be true or false") }
        return b
    }
    private func asString(_ key: String, _ v: Value) throws -> String {
        guard let s = v.value.stringValue else { throw error(key, "\(key) must be a string") }
        if case .choice(let choices)? = declarations?[key]?.kind, !choices.contains(s) {
            throw error(key, "\(key) must be one of \(choices.joined(separator: ", ")), not '\(s)'")
        }
        return s
    }
    private func asStringList(_ key: String, _ v: Value) throws -> [String] {
        if let s = v.value.stringValue { return [s] }
        guard let a = v.value.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
            throw error(key, "\(key) must be a string or a list of strings")
        }
        return a.map { $0.stringValue! }
    }
    private func asByteSize(_ key: String, _ v: Value) throws -> Int {
        if let i = v.value.intValue { return i }
        if let s = v.value.stringValue, let n = ByteSize.parse(s) { return n }
        throw error(key, "\(key) must be a size such as 1048576, 64MiB or 1GB")
    }

    public func int(_ key: String) throws -> Int { try asInt(key, try resolveRequired(key)) }
    public func double(_ key: String) throws -> Double { try asDouble(key, try resolveRequired(key)) }
    public func bool(_ key: String) throws -> Bool { try asBool(key, try resolveRequired(key)) }
    public func string(_ key: String) throws -> String { try asString(key, try resolveRequired(key)) }
    /// A string parameter declared as a choice (checked against its values).
    public func choice(_ key: String) throws -> String { try asString(key, try resolveRequired(key)) }
    /// A choice parameter as the enumeration whose raw values it lists.
    public func choice<E: RawRepresentable>(_ key: String, as type: E.Type) throws -> E where E.RawValue == String {
        let s = try choice(key)
        guard let e = E(rawValue: s) else { throw error(key, "\(key): '\(s)' is not a valid value") }
        return e
    }
    public func stringList(_ key: String) throws -> [String] { try asStringList(key, try resolveRequired(key)) }
    /// A size in bytes: an integer or a string such as `64MiB`, `1GB`, `512k`.
    public func byteSize(_ key: String) throws -> Int { try asByteSize(key, try resolveRequired(key)) }

    // Parameters declared with `.absent(...)`: nil when not given.
    public func optionalInt(_ key: String) throws -> Int? { try resolve(key).map { try asInt(key, $0) } }
    public func optionalDouble(_ key: String) throws -> Double? { try resolve(key).map { try asDouble(key, $0) } }
    public func optionalBool(_ key: String) throws -> Bool? { try resolve(key).map { try asBool(key, $0) } }
    public func optionalString(_ key: String) throws -> String? { try resolve(key).map { try asString(key, $0) } }
    public func optionalChoice(_ key: String) throws -> String? { try resolve(key).map { try asString(key, $0) } }
    public func optionalStringList(_ key: String) throws -> [String]? { try resolve(key).map { try asStringList(key, $0) } }
    public func optionalByteSize(_ key: String) throws -> Int? { try resolve(key).map { try asByteSize(key, $0) } }

    /// The raw value of a parameter (a YAML mapping arrives as `.object`), for parameters declared `.raw`, such as
    /// per-language file maps or per-metric bounds: the given value, else the declared default, else nil.
    public func value(_ key: String) throws -> JSONValue? {
        try resolve(key)?.value
    }

    /// Whether the key was given at all.
    public func has(_ key: String) -> Bool {
        readKeys.insert(key)
        return values[key] != nil
    }

    /// The keys the stage asked about without declaring them (empty for a correct stage).
    public var undeclaredReads: [String] {
        guard let declarations else { return readKeys.sorted() }
        return readKeys.filter { declarations[$0] == nil }.sorted()
    }

    /// Checks, once the stage has read its parameters, that it only read declared ones.
    public func finish() throws {
        if let first = undeclaredReads.first {
            throw error(first, "reads parameter '\(first)', which it does not declare (a bug in the stage)")
        }
    }
}

/// A problem in a pipeline file or its parameters, found before any work starts.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    public let location: String
    public let message: String
    public init(location: String, message: String) { self.location = location; self.message = message }
    public var description: String { "\(location): \(message)" }
}

/// Parses human sizes: `4096`, `64KiB`, `64k`, `1.5MB`, `2GiB`. Decimal units (kB, MB, GB) are powers of
/// 1000, binary ones (KiB, MiB, GiB) and bare letters (k, m, g) powers of 1024.
public enum ByteSize {
    public static func parse(_ text: String) -> Int? {
        let s = text.trimmingWhitespace()
        var numberEnd = s.startIndex
        while numberEnd < s.endIndex, s[numberEnd].isNumber || s[numberEnd] == "." { numberEnd = s.index(after: numberEnd) }
        guard let number = Double(s[s.startIndex..<numberEnd]), number >= 0 else { return nil }
        let unit = s[numberEnd...].trimmingWhitespace().lowercased()
        let multiplier: Double
        switch unit {
        case "", "b": multiplier = 1
        case "k", "kib": multiplier = 1024
        case "kb": multiplier = 1000
        case "m", "mib": multiplier = 1_048_576
        case "mb": multiplier = 1e6
        case "g", "gib": multiplier = 1_073_741_824
        case "gb": multiplier = 1e9
        case "t", "tib": multiplier = 1_099_511_627_776
        case "tb": multiplier = 1e12
        default: return nil
        }
        let value = number * multiplier
        return value < 9e18 ? Int(value) : nil
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var a = startIndex, b = endIndex
        while a < b, self[a].isWhitespace { a = index(after: a) }
        while b > a, self[index(before: b)].isWhitespace { b = index(before: b) }
        return String(self[a..<b])
    }
}
