/// What one stage (or reader, or writer) did in one task: the numbers behind `stats.json`.
/// Stats of tasks merge by adding, so the merged file is the same whatever the number of workers
/// (apart from the times).
public struct StageStats: Sendable, Equatable {
    public var name: String
    public var documentsIn: Int = 0
    public var documentsOut: Int = 0
    public var bytesIn: Int = 0
    public var bytesOut: Int = 0
    /// Excluded documents per reason.
    public var excluded: [String: Int] = [:]
    /// Anything else a stage wants to count (`replaced_invalid_utf8`, `skipped_record:request`, ...).
    public var counters: [String: Int] = [:]
    /// Wall-clock seconds spent in this stage.
    public var seconds: Double = 0

    public init(name: String) { self.name = name }

    /// Adds `n` to a named counter.
    public mutating func count(_ key: String, _ n: Int = 1) {
        counters[key, default: 0] += n
    }

    public mutating func merge(_ other: StageStats) {
        documentsIn += other.documentsIn
        documentsOut += other.documentsOut
        bytesIn += other.bytesIn
        bytesOut += other.bytesOut
        for (k, v) in other.excluded { excluded[k, default: 0] += v }
        for (k, v) in other.counters { counters[k, default: 0] += v }
        seconds += other.seconds
    }

    public var json: JSONValue {
        var o = JSONObject()
        o["name"] = .string(name)
        o["documents_in"] = .number(JSONNumber(documentsIn))
        o["documents_out"] = .number(JSONNumber(documentsOut))
        o["bytes_in"] = .number(JSONNumber(bytesIn))
        o["bytes_out"] = .number(JSONNumber(bytesOut))
        o["excluded"] = .object(JSONObject(entries: excluded.sorted { $0.key < $1.key }.map {
            .init(key: $0.key, value: .number(JSONNumber($0.value)))
        }))
        o["counters"] = .object(JSONObject(entries: counters.sorted { $0.key < $1.key }.map {
            .init(key: $0.key, value: .number(JSONNumber($0.value)))
        }))
        o["seconds"] = .number(JSONNumber((seconds * 1000).rounded() / 1000))
        return .object(o)
    }

    public init?(json: JSONValue) {
        guard let o = json.objectValue, let name = o["name"]?.stringValue else { return nil }
        self.name = name
        documentsIn = o["documents_in"]?.intValue ?? 0
        documentsOut = o["documents_out"]?.intValue ?? 0
        bytesIn = o["bytes_in"]?.intValue ?? 0
        bytesOut = o["bytes_out"]?.intValue ?? 0
        for e in o["excluded"]?.objectValue ?? [:] { excluded[e.key] = e.value.intValue ?? 0 }
        for e in o["counters"]?.objectValue ?? [:] { counters[e.key] = e.value.intValue ?? 0 }
        seconds = o["seconds"]?.doubleValue ?? 0
    }
}
