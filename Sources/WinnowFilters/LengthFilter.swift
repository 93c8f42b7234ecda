import WinnowCore

/// Excludes documents whose text is shorter or longer than given bounds, counted in Unicode scalars
/// (Python `len(text)`) or in UTF-8 bytes.
///
/// YAML: `- length: {min_chars: 200, max_chars: 1000000}` or `{min_bytes: ..., max_bytes: ...}`.
/// Reasons: `too_short`, `too_long`.
public struct LengthFilter: DocumentStage, RegisteredStage, Sendable {
    public static let stageName = "length"
    public static let summary = "exclude documents shorter or longer than bounds (characters or bytes)"

    public var minChars = 0
    public var maxChars = Int.max
    public var minBytes = 0
    public var maxBytes = Int.max

    public init(minChars: Int = 0, maxChars: Int = .max, minBytes: Int = 0, maxBytes: Int = .max) {
        self.minChars = minChars
        self.maxChars = maxChars
        self.minBytes = minBytes
        self.maxBytes = maxBytes
    }

    public static let parameters: [ParameterDeclaration] = [
        .int("min_chars", default: 0, "shortest text kept, in characters (code points)"),
        .int("max_chars", .absent("no limit"), "longest text kept, in characters (code points)"),
        .byteSize("min_bytes", default: 0, "shortest text kept, in UTF-8 bytes"),
        .byteSize("max_bytes", .absent("no limit"), "longest text kept, in UTF-8 bytes"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let stage = LengthFilter(
            minChars: try p.int("min_chars"), maxChars: try p.optionalInt("max_chars") ?? .max,
            minBytes: try p.byteSize("min_bytes"), maxBytes: try p.optionalByteSize("max_bytes") ?? .max)
        if stage.minChars > stage.maxChars { throw p.error("max_chars", "max_chars is below min_chars") }
        if stage.minBytes > stage.maxBytes { throw p.error("max_bytes", "max_bytes is below min_bytes") }
        return StageFactory { stage }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let bytes = document.text.count
        if bytes < minBytes { return .exclude(reason: "too_short") }
        if bytes > maxBytes { return .exclude(reason: "too_long") }
        if minChars > 0 || maxChars < .max {
            // A scalar count can only be below the byte count; skip counting when bytes settle it.
            if bytes < minChars { return .exclude(reason: "too_short") }
            let chars = bytes <= maxChars && bytes / 4 >= minChars ? bytes : Self.scalarCount(document.text)
            if chars < minChars { return .exclude(reason: "too_short") }
            if chars > maxChars { return .exclude(reason: "too_long") }
        }
        return .keep
    }

    /// Unicode scalars in valid UTF-8: the bytes that do not continue a sequence.
    static func scalarCount(_ text: [UInt8]) -> Int {
        var n = 0
        for b in text where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
