import WinnowCore
import WinnowWordRules

/// Computes named document metrics on the UTF-8 bytes, writes them to metadata and optionally filters by
/// bounds, with `<metric>_out_of_bounds` (the first metric out of bounds, in the order of `Metric`).
///
/// Characters are code points (Python `len`); a ratio over nothing (no characters, words or lines) is 0.
/// Words are the other filters' words (`WordSegmenter`: spaCy's English rules, ICU for zh/ja/th/...), so
/// `word_count` and `mean_word_length` equal the numbers `gopher_quality` tests. docs/filters.md defines
/// every metric.
///
/// YAML: `- statistics: {metrics: [digit_ratio, mean_word_length], bounds: {digit_ratio: {max: 0.3}}}`;
/// `min_<metric>` / `max_<metric>` are the flat form of bounds (for `winnow filter --param`).
public struct StatisticsStage: DocumentStage, RegisteredStage {
    public static let stageName = "statistics"
    public static let summary = "document metrics (character classes, words, sentences, lines) to metadata; filter by bounds"

    public enum Metric: String, CaseIterable, Sendable {
        // Characters.
        case chars
        case whitespaceRatio = "whitespace_ratio"
        case digitRatio = "digit_ratio"
        case uppercaseRatio = "uppercase_ratio"
        case nonLetterRatio = "non_letter_ratio"
        case nonAlphaDigitRatio = "non_alpha_digit_ratio"
        case punctuationRatio = "punctuation_ratio"
        case symbolRatio = "symbol_ratio"
        // Words and sentences.
        case wordCount = "word_count"
        case meanWordLength = "mean_word_length"
        case symbolWordRatio = "symbol_word_ratio"
        case alphaWordRatio = "alpha_word_ratio"
        case sentenceCount = "sentence_count"
        case meanSentenceLength = "mean_sentence_length"
        // Lines.
        case lineCount = "line_count"
        case meanLineLength = "mean_line_length"
        case maxLineLength = "max_line_length"
        case shortLineRatio = "short_line_ratio"
        case terminalPunctLineRatio = "terminal_punct_line_ratio"

        var needsWords: Bool {
            switch self {
            case .wordCount, .meanWordLength, .symbolWordRatio, .alphaWordRatio, .sentenceCount, .meanSentenceLength: return true
            default: return false
            }
        }
        var needsLines: Bool {
            switch self {
            case .lineCount, .meanLineLength, .maxLineLength, .shortLineRatio, .terminalPunctLineRatio: return true
            default: return false
            }
        }
    }

    public struct Bound: Sendable, Equatable {
        public var min: Double?
        public var max: Double?
        public init(min: Double? = nil, max: Double? = nil) { self.min = min; self.max = max }
    }

    public struct Config: Sendable {
        /// Metrics to compute and write, in `Metric` order (bounded metrics are always computed).
        public var metrics: [Metric] = Metric.allCases
        public var bounds: [Metric: Bound] = [:]
        /// Write the metrics as one object under `field`, or (when `prefix` is set) as `prefix + name` keys.
        public var annotate = true
        public var field = "stats"
        public var prefix: String?
        public var shortLineLength = 30
        var words = WordSegmenter.Options()
        public init() {}
    }

    let config: Config
    private let computed: [Metric]
    private let written: [Metric]
    private let checks: [(index: Int, bound: Bound, reason: String)]
    private let keys: [String]
    private let needsWords: Bool
    private let needsLines: Bool
    private let segmenter: WordSegmenter
    /// Values of the last document, indexed by `Metric.allCases` position.
    private(set) var values = [Double](repeating: 0, count: Metric.allCases.count)

    public init(_ config: Config = Config()) {
        self.config = config
        let wanted = Set(config.metrics).union(config.bounds.keys)
        computed = Metric.allCases.filter { wanted.contains($0) }
        written = config.annotate ? Metric.allCases.filter { config.metrics.contains($0) } : []
        keys = written.map { (config.prefix ?? "") + $0.rawValue }
        checks = Metric.allCases.enumerated().compactMap { (k, m) in
            config.bounds[m].map { (k, $0, m.rawValue + "_out_of_bounds") }
        }
        needsWords = computed.contains { $0.needsWords }
        needsLines = computed.contains { $0.needsLines }
        segmenter = WordSegmenter(config.words)
    }

    public static let parameters: [ParameterDeclaration] = {
        let c = Config()
        return [
            .stringList("metrics", .absent("all"), "the metrics computed and written (see the table of metrics)"),
            .raw("bounds", shape: "map metric -> {min, max}", .absent("none"), "inclusive bounds; a document outside one is excluded"),
        ] + Metric.allCases.flatMap { m -> [ParameterDeclaration] in [
            .double("min_\(m.rawValue)", .absent("none"), "lower bound of \(m.rawValue), as in bounds"),
            .double("max_\(m.rawValue)", .absent("none"), "upper bound of \(m.rawValue), as in bounds"),
        ] } + [
            .bool("annotate", default: c.annotate, "write the metrics to metadata"),
            .string("field", default: c.field, "the metadata key of the metrics object"),
            .string("prefix", .absent("none (one object under field)"), "write flat metadata keys <prefix><metric> instead"),
            .int("short_line_length", default: c.shortLineLength, "a short line has at most this many characters"),
        ] + WordSegmenter.Options.parameters
    }()

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        func metric(_ name: String, _ key: String) throws -> Metric {
            guard let m = Metric(rawValue: name) else {
                throw p.error(key, "unknown metric '\(name)' (known: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return m
        }
        if let names = try p.optionalStringList("metrics") {
            c.metrics = try names.map { try metric($0, "metrics") }
        }
        if let value = try p.value("bounds") {
            guard let object = value.objectValue else { throw p.error("bounds", "bounds must be a map: {metric: {min: x, max: y}}") }
            for entry in object {
                let m = try metric(entry.key, "bounds")
                guard let limits = entry.value.objectValue else {
                    throw p.error("bounds", "bounds.\(entry.key) must be a map with min and/or max")
                }
                var bound = Bound()
                for limit in limits {
                    guard let x = limit.value.doubleValue else { throw p.error("bounds", "bounds.\(entry.key).\(limit.key) must be a number") }
                    switch limit.key {
                    case "min": bound.min = x
                    case "max": bound.max = x
                    default: throw p.error("bounds", "bounds.\(entry.key): unknown key '\(limit.key)' (min, max)")
                    }
                }
                c.bounds[m] = bound
            }
        }
        for m in Metric.allCases {
            for side in ["min", "max"] {
                guard let x = try p.optionalDouble(side + "_" + m.rawValue) else { continue }
                if side == "min" { c.bounds[m, default: Bound()].min = x } else { c.bounds[m, default: Bound()].max = x }
            }
        }
        for (m, b) in c.bounds {
            if let lo = b.min, let hi = b.max, lo > hi { throw p.error("bounds", "bounds of \(m.rawValue): min \(lo) is above max \(hi)") }
        }
        c.annotate = try p.bool("annotate")
        if p.has("field") && p.has("prefix") { throw p.error("prefix", "give field (one object) or prefix (flat keys), not both") }
        c.field = try p.string("field")
        c.prefix = try p.optionalString("prefix")
        c.shortLineLength = try p.int("short_line_length")
        c.words = try WordSegmenter.Options.read(p)
        let config = c
        return StageFactory { StatisticsStage(config) }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let locale = needsWords ? segmenter.locale(for: document) : nil
        document.text.withUnsafeBufferPointer { b in
            let empty: [UInt8] = [0]
            if let p = b.baseAddress {
                measure(p, b.count, locale: locale)
            } else {
                empty.withUnsafeBufferPointer { measure($0.baseAddress!, 0, locale: nil) }
            }
        }
        if !written.isEmpty {
            if config.prefix != nil {
                for (k, m) in written.enumerated() { document.metadata[keys[k]] = .number(JSONNumber(value(m))) }
            } else {
                var object = JSONObject()
                object.reserveCapacity(written.count)
                for m in written { object.append(key: m.rawValue, value: .number(JSONNumber(value(m)))) }
                document.metadata[config.field] = .object(object)
            }
        }
        for check in checks {
            let x = values[check.index]
            if let lo = check.bound.min, x < lo { return .exclude(reason: check.reason) }
            if let hi = check.bound.max, x > hi { return .exclude(reason: check.reason) }
        }
        return .keep
    }

    /// The last document's value of `metric`.
    func value(_ metric: Metric) -> Double { values[Self.position[metric]!] }

    private static let position: [Metric: Int] = Dictionary(uniqueKeysWithValues: Metric.allCases.enumerated().map { ($1, $0) })

    @inline(__always)
    private mutating func set(_ metric: Metric, _ x: Double) { values[Self.position[metric]!] = x }

    private mutating func measure(_ p: UnsafePointer<UInt8>, _ n: Int, locale: String?) {
        // Characters: one pass; flags from the BMP table, summed without branches.
        var chars = 0, spaces = 0, digits = 0, uppers = 0, letters = 0, punct = 0, symbols = 0
        let table = UnicodeCategoryTable.shared.bmp
        var i = 0
        while i < n {
            let b = p[i]
            let f: UInt8
            if b < 0x80 {
                f = table[Int(b)]
                i += 1
            } else {
                let (cp, len) = UTF8Scan.decode(p, i, n)
                f = cp < 0x10000 ? table[Int(cp)] : UnicodeCategoryTable.compute(cp)
                i += len
            }
            chars &+= 1
            spaces &+= Int(f & 1)
            digits &+= Int(f >> 1 & 1)
            uppers &+= Int(f >> 2 & 1)
            letters &+= Int(f >> 3 & 1)
            punct &+= Int(f >> 4 & 1)
            symbols &+= Int(f >> 5 & 1)
        }
        let nc = Double(chars)
        func ratio(_ a: Int, _ b: Double) -> Double { b > 0 ? Double(a) / b : 0 }
        set(.chars, nc)
        set(.whitespaceRatio, ratio(spaces, nc))
        set(.digitRatio, ratio(digits, nc))
        set(.uppercaseRatio, ratio(uppers, nc))
        set(.nonLetterRatio, ratio(chars - letters, nc))
        // A character that is a digit is not a letter (Nd/No/Nl are not L*), so the two sets are disjoint.
        set(.nonAlphaDigitRatio, ratio(chars - letters - digits, nc))
        set(.punctuationRatio, ratio(punct, nc))
        set(.symbolRatio, ratio(symbols, nc))

        if needsWords { measureWords(p, n, locale: locale) }
        if needsLines { measureLines(p, n) }
    }

    private mutating func measureWords(_ p: UnsafePointer<UInt8>, _ n: Int, locale: String?) {
        segmenter.segment(p, 0, n, locale: locale, spaceTokens: true)
        let t = CharClasses.table
        var tokens = 0, nonSymbol = 0, nonSymbolChars = 0, alphaWords = 0
        // spaCy's sentencizer (as C4QualityFilter counts sentences), over the whole text.
        var sentences = 0, seenPeriod = false
        for w in segmenter.words {
            var symbolOnly = true, hasAlpha = false, isPunct = true, chars = 0
            var i = w.start
            while i < w.end {
                let (cp, len) = UTF8Scan.decode(p, i, w.end)
                let cls = t.classes(cp)
                if !cls.contains(.datatrovePunctuation) { symbolOnly = false }
                if cls.contains(.pyAlpha) { hasAlpha = true }
                if !cls.contains(.unicodeP) { isPunct = false }
                chars += 1
                i += len
            }
            if sentences == 0 { sentences = 1 }
            var inPunctChars = false
            if isPunct {
                let (cp, len) = UTF8Scan.decode(p, w.start, w.end)
                inPunctChars = len == w.end - w.start && t.classes(cp).contains(.sentencePunctuation)
            }
            if seenPeriod && !isPunct && !inPunctChars {
                sentences += 1
                seenPeriod = false
            } else if inPunctChars {
                seenPeriod = true
            }
            if w.space { continue }
            tokens += 1
            if !symbolOnly { nonSymbol += 1; nonSymbolChars += chars }
            if hasAlpha { alphaWords += 1 }
        }
        // Gopher's symbols: "#" and non-overlapping "..." plus "…".
        var symbolCount = 0
        var i = 0
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: "#") { symbolCount += 1 }
            else if b == UInt8(ascii: "."), i + 2 < n, p[i + 1] == b, p[i + 2] == b { symbolCount += 1; i += 3; continue }
            else if b == 0xE2, i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0xA6 { symbolCount += 1; i += 3; continue }
            i += 1
        }
        if tokens == 0 { sentences = 0 }
        set(.wordCount, Double(nonSymbol))
        set(.meanWordLength, nonSymbol > 0 ? Double(nonSymbolChars) / Double(nonSymbol) : 0)
        set(.symbolWordRatio, tokens > 0 ? Double(symbolCount) / Double(tokens) : 0)
        set(.alphaWordRatio, tokens > 0 ? Double(alphaWords) / Double(tokens) : 0)
        set(.sentenceCount, Double(sentences))
        set(.meanSentenceLength, sentences > 0 ? Double(nonSymbol) / Double(sentences) : 0)
    }

    private mutating func measureLines(_ p: UnsafePointer<UInt8>, _ n: Int) {
        let t = CharClasses.table
        let shortLength = config.shortLineLength
        var lines = 0, total = 0, longest = 0, short = 0, terminal = 0
        UTF8Scan.forEachLine(p, n) { s, e in
            let (a, b) = UTF8Scan.strip(p, s, e)
            guard a < b else { return }
            let length = UTF8Scan.scalarCount(p, a, b)
            lines += 1
            total += length
            if length > longest { longest = length }
            if length <= shortLength { short += 1 }
            if t.classes(UTF8Scan.previous(p, b, a)).contains(.terminalPunctuation) { terminal += 1 }
        }
        set(.lineCount, Double(lines))
        set(.meanLineLength, lines > 0 ? Double(total) / Double(lines) : 0)
        set(.maxLineLength, Double(longest))
        set(.shortLineRatio, lines > 0 ? Double(short) / Double(lines) : 0)
        set(.terminalPunctLineRatio, lines > 0 ? Double(terminal) / Double(lines) : 0)
    }
}

/// Per-code-point flags for the statistics, from the Unicode properties of Swift's standard library:
/// Python's `isspace`, `isdigit` (Numeric_Type Digit or Decimal), `isupper` (Uppercase), `isalpha` (L*),
/// and the general categories P* and S*. The Basic Multilingual Plane is tabulated once (64 KiB); other code
/// points are looked up directly.
final class UnicodeCategoryTable: @unchecked Sendable {
    static let space: UInt8 = 1, digit: UInt8 = 2, upper: UInt8 = 4, letter: UInt8 = 8, punctuation: UInt8 = 16, symbol: UInt8 = 32

    static let shared = UnicodeCategoryTable()

    /// Flags of U+0000-U+FFFF: written once in `init`, then only read; never freed (one shared instance).
    let bmp: UnsafePointer<UInt8>

    private init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for cp in 0..<0x10000 { table[cp] = Self.compute(UInt32(cp)) }
        bmp = UnsafePointer(table)
    }

    static func compute(_ cp: UInt32) -> UInt8 {
        guard let s = Unicode.Scalar(cp) else { return 0 }
        var f: UInt8 = 0
        // Python's str.isspace: bidirectional class WS, B or S, or category Zs.
        switch cp {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: f |= space
        default: break
        }
        let props = s.properties
        if let type = props.numericType, type == .decimal || type == .digit { f |= digit }
        if props.isUppercase { f |= upper }
        switch props.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: f |= letter
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: f |= punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: f |= symbol
        default: break
        }
        return f
    }
}
