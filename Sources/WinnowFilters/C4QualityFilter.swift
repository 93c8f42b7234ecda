import WinnowCore
import WinnowWordRules

/// C4's line and page rules (Raffel et al. 2020), exactly as datatrove 0.10.1's `C4QualityFilter` with
/// `split_paragraph=True`. Each line (Python `splitlines`, stripped) is dropped when a word is longer than
/// `max_word_length` (1000), when it does not end in terminal punctuation (`.?!"'`, not `...`;
/// `filter_no_terminal_punct`), when it has fewer than `min_words_per_line` (3) words, mentions `javascript`
/// (`filter_javascript`) or a cookie/terms-of-use phrase (`filter_policy`). Wikipedia-style citations (`[1]`,
/// `[edit]`, `[citation needed]`) are removed first (`remove_citations`). The page is excluded with
/// `lorem_ipsum` (`filter_lorem_ipsum`) or `curly_bracket` (`filter_curly_bracket`) if a kept line has them, and
/// with `too_few_sentences` if the kept lines hold fewer than `min_num_sentences` (5) sentences, counted as
/// spaCy's sentencizer does. A kept document's text becomes its kept lines joined by newlines.
///
/// FineWeb's settings: `filter_no_terminal_punct: false`. As in datatrove, -1 switches off
/// `min_num_sentences`, `min_words_per_line` and `max_word_length`.
public struct C4QualityFilter: DocumentStage, RegisteredStage {
    public static let stageName = "c4_quality"
    public static let summary = "C4 line and page rules (punctuation, javascript, policy, lorem ipsum, braces, sentences), datatrove-exact"

    public struct Config: Sendable {
        public var removeCitations = true
        public var filterNoTerminalPunct = true
        public var minNumSentences = 5
        public var minWordsPerLine = 3
        public var maxWordLength = 1000
        public var filterLoremIpsum = true
        public var filterJavascript = true
        public var filterCurlyBracket = true
        public var filterPolicy = true
        var words = WordSegmenter.Options()
        public init() {}
    }

    let config: Config
    let segmenter: WordSegmenter
    private var output: [UInt8] = []
    private var line: [UInt8] = []

    public init(_ config: Config = Config()) {
        self.config = config
        segmenter = WordSegmenter(config.words)
    }

    public static let parameters: [ParameterDeclaration] = {
        let c = Config()
        return [
            .bool("remove_citations", default: c.removeCitations, "remove Wikipedia-style citations such as [1] and [edit]"),
            .bool("filter_no_terminal_punct", default: c.filterNoTerminalPunct, "drop lines that do not end in terminal punctuation (FineWeb: false)"),
            .int("min_num_sentences", default: c.minNumSentences, "exclude documents with fewer sentences (-1: off)"),
            .int("min_words_per_line", default: c.minWordsPerLine, "drop lines with fewer words (-1: off)"),
            .int("max_word_length", default: c.maxWordLength, "drop lines with a longer word, in characters (-1: off)"),
            .bool("filter_lorem_ipsum", default: c.filterLoremIpsum, "exclude documents containing \"lorem ipsum\""),
            .bool("filter_javascript", default: c.filterJavascript, "drop lines mentioning javascript"),
            .bool("filter_curly_bracket", default: c.filterCurlyBracket, "exclude documents containing a curly bracket"),
            .bool("filter_policy", default: c.filterPolicy, "drop lines with policy phrases (terms of use, cookies...)"),
        ] + WordSegmenter.Options.parameters
    }()

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        c.removeCitations = try p.bool("remove_citations")
        c.filterNoTerminalPunct = try p.bool("filter_no_terminal_punct")
        c.minNumSentences = try p.int("min_num_sentences")
        c.minWordsPerLine = try p.int("min_words_per_line")
        c.maxWordLength = try p.int("max_word_length")
        c.filterLoremIpsum = try p.bool("filter_lorem_ipsum")
        c.filterJavascript = try p.bool("filter_javascript")
        c.filterCurlyBracket = try p.bool("filter_curly_bracket")
        c.filterPolicy = try p.bool("filter_policy")
        c.words = try WordSegmenter.Options.read(p)
        let config = c
        return StageFactory { C4QualityFilter(config) }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let locale = segmenter.locale(for: document)
        output.removeAll(keepingCapacity: true)
        let reason: String? = document.text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return config.minNumSentences > 0 ? "too_few_sentences" : nil }
            return decide(p, buffer.count, locale: locale, stats: &stats)
        }
        if let reason { return .exclude(reason: reason) }
        if output != document.text { document.text = output }
        return .keep
    }

    static let policies: [StaticString] = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"]

    private mutating func decide(_ p: UnsafePointer<UInt8>, _ n: Int, locale: String?, stats: inout StageStats) -> String? {
        let c = config
        var sentences = 0
        var kept = 0
        var result: String? = nil
        UTF8Scan.forEachLine(p, n) { ls, le in
            guard result == nil else { return }
            let (s, e) = UTF8Scan.strip(p, ls, le)
            // words = line.split(): count them and find the longest.
            var words = 0, longest = 0
            var i = s
            while i < e {
                while i < e { let k = UTF8Scan.spaceLength(p, i, e); if k == 0 { break }; i += k }
                guard i < e else { break }
                var chars = 0
                while i < e && UTF8Scan.spaceLength(p, i, e) == 0 {
                    i += p[i] < 0x80 ? 1 : UTF8Scan.decode(p, i, e).1
                    chars += 1
                }
                words += 1
                longest = max(longest, chars)
            }
            if c.maxWordLength != -1 && longest > c.maxWordLength { stats.count("line-filter-too_long_word"); return }
            // The line after citation removal.
            line.removeAll(keepingCapacity: true)
            if c.removeCitations { Self.removeCitations(p, s, e, into: &line) } else { line.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s)) }
            let l = line
            let keep: Bool = l.withUnsafeBufferPointer { lb in
                let q = lb.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let m = lb.count
                if c.filterNoTerminalPunct {
                    let last = m > 0 ? q[m - 1] : 0
                    let terminal = last == UInt8(ascii: ".") || last == UInt8(ascii: "?") || last == UInt8(ascii: "!")
                        || last == UInt8(ascii: "\"") || last == UInt8(ascii: "'")
                    if !terminal || UTF8Scan.hasSuffix(q, 0, m, "...") { stats.count("line-filter-no_terminal_punc"); return false }
                }
                if words < c.minWordsPerLine { stats.count("line-filter-too_few_words"); return false }
                if c.filterLoremIpsum && Self.containsLowercased(q, m, "lorem ipsum") { result = "lorem_ipsum"; return false }
                if c.filterJavascript && Self.containsLowercased(q, m, "javascript") { stats.count("line-filter-javascript"); return false }
                if c.filterCurlyBracket && memchrByte(q, m, UInt8(ascii: "{")) { result = "curly_bracket"; return false }
                if c.filterPolicy && Self.mentionsPolicy(q, m) {
                    stats.count("line-filter-policy"); return false
                }
                if c.minNumSentences != -1 { sentences += countSentences(q, m, locale: locale) }
                return true
            }
            guard keep else { return }
            if kept > 0 { output.append(0x0A) }
            output.append(contentsOf: l)
            kept += 1
        }
        if let result { return result }
        if sentences < c.minNumSentences { return "too_few_sentences" }
        // "\n".join(kept_lines).strip()
        let total = output.count
        let (a, b) = output.withUnsafeBufferPointer { ob in
            ob.baseAddress.map { UTF8Scan.strip($0, 0, total) } ?? (0, 0)
        }
        if a > 0 || b < total { output = Array(output[a..<b]) }
        return nil
    }

    /// Sentences of a line as datatrove counts them: spaCy's sentencizer over the line's tokens (at least one).
    private func countSentences(_ q: UnsafePointer<UInt8>, _ m: Int, locale: String?) -> Int {
        segmenter.segment(q, 0, m, locale: locale, spaceTokens: true)
        var sentencizer = SpacySentencizer()
        var sentences = 1
        for t in segmenter.words where sentencizer.startsSentence(q, t) { sentences += 1 }
        return sentences
    }

    /// CITATION_REGEX = `\[\d*]|\[edit]|\[citation needed]` removed from bytes `[s, e)`.
    static func removeCitations(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, into out: inout [UInt8]) {
        var i = s
        while i < e {
            if p[i] == UInt8(ascii: "[") {
                var j = i + 1
                while j < e {
                    let (cp, len) = UTF8Scan.decode(p, j, e)
                    if cp < 0x80 ? (cp >= 0x30 && cp <= 0x39) : (Unicode.Scalar(cp)?.properties.numericType == .decimal) { j += len } else { break }
                }
                if j < e && p[j] == UInt8(ascii: "]") { i = j + 1; continue }
                if UTF8Scan.hasPrefix(p, i, e, "[edit]") { i += 6; continue }
                if UTF8Scan.hasPrefix(p, i, e, "[citation needed]") { i += 17; continue }
            }
            out.append(p[i])
            i += 1
        }
    }

    /// Whether one of `policies` occurs in the lowercased line. Each phrase but "terms of use" contains
    /// "policy" or "cookie", so most lines are rejected after three scans instead of six.
    static func mentionsPolicy(_ q: UnsafePointer<UInt8>, _ m: Int) -> Bool {
        if containsLowercased(q, m, "terms of use") { return true }
        if containsLowercased(q, m, "policy"),
           containsLowercased(q, m, "privacy policy") || containsLowercased(q, m, "cookie policy") { return true }
        if containsLowercased(q, m, "cookie"),
           containsLowercased(q, m, "uses cookies") || containsLowercased(q, m, "use of cookies")
            || containsLowercased(q, m, "use cookies") { return true }
        return false
    }

    /// Whether `needle` (lowercase ASCII) occurs in Python's `lower()` of the bytes. For these ASCII phrases,
    /// ASCII case folding gives the same answer: no other character lowercases to a plain ASCII letter of them
    /// without also adding a combining mark.
    static func containsLowercased(_ q: UnsafePointer<UInt8>, _ m: Int, _ needle: StaticString) -> Bool {
        let k = needle.utf8CodeUnitCount
        guard m >= k else { return false }
        let nd = needle.utf8Start
        let first = nd[0]
        var i = 0
        while i <= m - k {
            if q[i] | 0x20 == first {
                var same = true
                for j in 1..<k {
                    let b = q[i + j]
                    let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    if lower != nd[j] { same = false; break }
                }
                if same { return true }
            }
            i += 1
        }
        return false
    }
}

@inline(__always)
func memchrByte(_ q: UnsafePointer<UInt8>, _ m: Int, _ byte: UInt8) -> Bool {
    for i in 0..<m where q[i] == byte { return true }
    return false
}
