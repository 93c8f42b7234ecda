/// The parameters a pipeline YAML gives one stage, with the line each came from, so that a bad value is
/// reported as `Pipelines/x.yaml:12: stage 'length': min_chars must be an integer`.
///
/// Stages read values with the typed getters; `finish()` then rejects any key nobody read (a typo).
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
    /// Where each value was given, when not on a line of `file` (command-line `--param key=...`).
    private var valueLocations: [String: String] = [:]
    private var used: Set<String> = []

    public init(stageName: String, file: String, line: Int, values: [String: Value]) {
        self.stageName = stageName
        self.file = file
        self.location = "\(file):\(line)"
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

    public func error(_ key: String, _ message: String) -> ConfigurationError {
        if let given = valueLocations[key] {
            return ConfigurationError(location: given, message: "stage '\(stageName)': \(message)")
        }
        let line = values[key]?.line
        return ConfigurationError(location: line.map { "\(file):\($0)" } ?? location,
                                  message: "stage '\(stageName)': \(message)")
    }

    private func take(_ key: String) -> Value? {
        used.insert(key)
        return values[key]
    }

    public func int(_ key: String, default fallback: Int) throws -> Int {
        guard let v = take(key) else { return fallback }
        guard let i = v.value.intValue else { throw error(key, "\(key) must be an integer") }
        return i
    }

    public func double(_ key: String, default fallback: Double) throws -> Double {
        guard let v = take(key) else { return fallback }
        guard let d = v.value.doubleValue else { throw error(key, "\(key) must be a number") }
        return d
    }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = take(key) else { return fallback }
        guard let b = v.value.boolValue else { throw error(key, "\(key) must be true or false") }
        return b
    }

    public func string(_ key: String, default fallback: String) throws -> String {
        guard let v = take(key) else { return fallback }
        guard let s = v.value.stringValue else { throw error(key, "\(key) must be a string") }
        return s
    }

    /// A string restricted to `choices`.
    public func choice(_ key: String, _ choices: [String], default fallback: String) throws -> String {
        let s = try string(key, default: fallback)
        guard choices.contains(s) else {
            throw error(key, "\(key) must be one of \(choices.joined(separator: ", ")), not '\(s)'")
        }
        return s
    }

    public func stringList(_ key: String, default fallback: [String]) throws -> [String] {
        guard let v = take(key) else { return fallback }
        if let s = v.value.stringValue { return [s] }
        guard let a = v.value.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
            throw error(key, "\(key) must be a string or a list of strings")
        }
        return a.map { $0.stringValue! }
    }

    /// The raw value of a parameter (a YAML mapping arrives as `.object`), for stages whose parameters are
    /// nested, such as per-language file maps or per-metric bounds; nil when absent. Marks the key read.
    public func value(_ key: String) -> JSONValue? {
        take(key)?.value
    }

    /// A size in bytes: an integer or a string such as `64MiB`, `1GB`, `512k`.
    public func byteSize(_ key: String, default fallback: Int) throws -> Int {
        guard let v = take(key) else { return fallback }
        if let i = v.value.intValue { return i }
        if let s = v.value.stringValue, let n = ByteSize.parse(s) { return n }
        throw error(key, "\(key) must be a size such as 1048576, 64MiB or 1GB")
    }

    /// Whether the key was given at all (does not mark it read).
    public func has(_ key: String) -> Bool { values[key] != nil }

    /// Rejects keys that no getter asked for.
    public func finish() throws {
        let unknown = values.keys.filter { !used.contains($0) }.sorted()
        if let first = unknown.first {
            throw error(first, "unknown parameter '\(first)'")
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
