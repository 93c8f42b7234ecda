import WinnowCore
import WinnowWordRules

/// Gopher's quality rules (Rae et al. 2021, appendix A), exactly as datatrove 0.10.1's `GopherQualityFilter`.
///
/// Words are datatrove's (spaCy's English rules; ICU for languages without spaces); "non-symbol words" are
/// words with at least one character outside datatrove's punctuation set. In order, a document is excluded with:
/// - `gopher_short_doc` / `gopher_long_doc`: non-symbol words outside `min_doc_words`...`max_doc_words` (50, 100000);
/// - `gopher_below_avg_threshold` / `gopher_above_avg_threshold`: mean length of non-symbol words (in
///   characters) outside `min_avg_word_length`...`max_avg_word_length` (3, 10);
/// - `gopher_too_many_hashes` / `gopher_too_many_ellipsis`: `#`, or `...` plus `…`, per word above
///   `max_symbol_word_ratio` (0.1);
/// - `gopher_too_many_bullets`: more than `max_bullet_lines_ratio` (0.9) of lines start with `•` or `-`;
/// - `gopher_too_many_end_ellipsis`: more than `max_ellipsis_lines_ratio` (0.3) of lines end with `...` or `…`;
/// - `gopher_below_alpha_threshold`: fewer than `max_non_alpha_words_ratio` (0.8; datatrove's name) of words
///   contain a letter;
/// - `gopher_enough_stop_words`: fewer than `min_stop_words` (2) distinct `stop_words` occur (case-sensitive);
///   `stop_words` is one list, or a mapping from language (the document's `metadata.language`) to list with an
///   optional `default`; a language without a list and no default skips this rule.
///
/// As in datatrove, a threshold of 0 switches its rule off.
public struct GopherQualityFilter: DocumentStage, RegisteredStage {
    public static let stageName = "gopher_quality"
    public static let summary = "Gopher quality rules (word count and length, symbols, bullets, stop words), datatrove-exact"

    public struct Config: Sendable {
        public var minDocWords = 50
        public var maxDocWords = 100_000
        public var minAvgWordLength = 3.0
        public var maxAvgWordLength = 10.0
        public var maxSymbolWordRatio = 0.1
        public var maxBulletLinesRatio = 0.9
        public var maxEllipsisLinesRatio = 0.3
        public var maxNonAlphaWordsRatio = 0.8
        public var minStopWords = 2
        public var stopWords = ["the", "be", "to", "of", "and", "that", "have", "with"]
        /// Per-language stop words (keys normalized: `fr`, `fra`, `fra_Latn` are one language); a document uses
        /// the list of its language, else `stopWords` when `stopWordsForAnyLanguage`, else the rule is skipped.
        public var stopWordsByLanguage: [String: [String]] = [:]
        public var stopWordsForAnyLanguage = true
        var words = WordSegmenter.Options()
        public init() {}
    }

    /// One stop-word list, indexed for the scan.
    struct StopWords: Sendable {
        let words: [[UInt8]]
        /// Per first byte: a bit per stop word starting with it (stop word k is bit k).
        let byFirstByte: [UInt64]

        /// Distinct, non-empty, at most 64 (the bit masks); sorted so every task builds the same list.
        init(_ list: [String]) {
            words = Array(Set(list.filter { !$0.isEmpty })).sorted().prefix(64).map { Array($0.utf8) }
            var byFirst = [UInt64](repeating: 0, count: 256)
            for (k, word) in words.enumerated() { byFirst[Int(word[0])] |= 1 << UInt64(k) }
            byFirstByte = byFirst
        }
    }

    let config: Config
    let segmenter: WordSegmenter
    private let anyLanguageStopWords: StopWords?
    private let stopWordsByLanguage: [String: StopWords]
    private var seenStopWords = [Bool](repeating: false, count: 64)

    public init(_ config: Config = Config()) {
        self.config = config
        segmenter = WordSegmenter(config.words)
        anyLanguageStopWords = config.stopWordsForAnyLanguage ? StopWords(config.stopWords) : nil
        var byLanguage: [String: StopWords] = [:]
        for (language, list) in config.stopWordsByLanguage { byLanguage[LanguageKey.normalize(language)] = StopWords(list) }
        stopWordsByLanguage = byLanguage
    }

    /// The stop words for a document: its language's list, else the list for any language (nil: skip the rule).
    func stopWords(for document: Document) -> StopWords? {
        guard !stopWordsByLanguage.isEmpty else { return anyLanguageStopWords }
        let language = config.words.languageFromMetadata ? document.metadata["language"]?.stringValue ?? config.words.language
            : config.words.language
        return stopWordsByLanguage[LanguageKey.normalize(language)] ?? anyLanguageStopWords
    }

    public static let parameters: [ParameterDeclaration] = {
        let c = Config()
        return [
            .int("min_doc_words", default: c.minDocWords, "exclude documents with fewer non-symbol words"),
            .int("max_doc_words", default: c.maxDocWords, "exclude documents with more non-symbol words"),
            .double("min_avg_word_length", default: c.minAvgWordLength, "exclude when the mean non-symbol word length (characters) is below"),
            .double("max_avg_word_length", default: c.maxAvgWordLength, "exclude when the mean non-symbol word length (characters) is above"),
            .double("max_symbol_word_ratio", default: c.maxSymbolWordRatio, "exclude when `#`, or `...` plus `…`, per word is above"),
            .double("max_bullet_lines_ratio", default: c.maxBulletLinesRatio, "exclude when more lines than this share start with a bullet"),
            .double("max_ellipsis_lines_ratio", default: c.maxEllipsisLinesRatio, "exclude when more lines than this share end with an ellipsis"),
            .double("max_non_alpha_words_ratio", default: c.maxNonAlphaWordsRatio, "exclude when fewer words than this share contain a letter (datatrove's name)"),
            .int("min_stop_words", default: c.minStopWords, "exclude when fewer distinct stop words occur"),
            .raw("stop_words", shape: "list of words, or map language -> list (optional `default`)",
                 .value(.array(c.stopWords.map { .string($0) })), "the stop words, case-sensitive (at most 64 per list)"),
        ] + WordSegmenter.Options.parameters
    }()

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        c.minDocWords = try p.int("min_doc_words")
        c.maxDocWords = try p.int("max_doc_words")
        c.minAvgWordLength = try p.double("min_avg_word_length")
        c.maxAvgWordLength = try p.double("max_avg_word_length")
        c.maxSymbolWordRatio = try p.double("max_symbol_word_ratio")
        c.maxBulletLinesRatio = try p.double("max_bullet_lines_ratio")
        c.maxEllipsisLinesRatio = try p.double("max_ellipsis_lines_ratio")
        c.maxNonAlphaWordsRatio = try p.double("max_non_alpha_words_ratio")
        c.minStopWords = try p.int("min_stop_words")
        switch try p.value("stop_words") {
        case .object(let byLanguage)?:
            // {en: [the, ...], fr: [le, ...], default: [...]}: lists per document language.
            c.stopWordsForAnyLanguage = false
            for entry in byLanguage {
                guard let list = entry.value.arrayValue?.compactMap(\.stringValue) ?? entry.value.stringValue.map({ $0.split(separator: ",").map(String.init) }) else {
                    throw p.error("stop_words", "stop_words.\(entry.key) must be a list of words")
                }
                if entry.key == "default" { c.stopWords = list; c.stopWordsForAnyLanguage = true } else { c.stopWordsByLanguage[entry.key] = list }
            }
        case .string(let word)?:
            c.stopWords = [word]
        case let value?:
            guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count else {
                throw p.error("stop_words", "stop_words must be a list of words or a map from language to lists")
            }
            c.stopWords = list
        case nil:
            break
        }
        for list in [c.stopWords] + Array(c.stopWordsByLanguage.values) where Set(list).count > 64 {
            throw p.error("stop_words", "at most 64 distinct stop words per list")
        }
        c.words = try WordSegmenter.Options.read(p)
        let config = c
        return StageFactory { GopherQualityFilter(config) }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let locale = segmenter.locale(for: document)
        let stops = stopWords(for: document)
        let failure: RuleFailure? = document.text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else {
                return config.minDocWords > 0 ? RuleFailure("gopher_short_doc", value: 0, threshold: config.minDocWords) : nil
            }
            return decide(p, buffer.count, locale: locale, stopWords: stops)
        }
        return failure?.exclude(&document) ?? .keep
    }

    /// The two classes the word loop needs, for ASCII bytes (taken from the character table).
    private static let notPunctuation: UInt8 = 1, alpha: UInt8 = 2
    private static let asciiFlags: [UInt8] = (0..<128).map { b in
        let cls = CharClasses.table.classes(UInt32(b))
        return (cls.contains(.datatrovePunctuation) ? 0 : notPunctuation) | (cls.contains(.pyAlpha) ? alpha : 0)
    }

    private mutating func decide(_ p: UnsafePointer<UInt8>, _ n: Int, locale: String?, stopWords: StopWords?) -> RuleFailure? {
        let c = config
        segmenter.segment(p, 0, n, locale: locale)
        let t = CharClasses.table
        let words = segmenter.words
        let nWords = words.count

        var nonSymbol = 0, nonSymbolChars = 0, alphaWords = 0
        Self.asciiFlags.withUnsafeBufferPointer { ascii in
            for w in words {
                var symbolOnly = true, hasAlpha = false, chars = 0
                var i = w.start
                while i < w.end {
                    let b = p[i]
                    if b < 0x80 {
                        let f = ascii[Int(b)]
                        if f & Self.notPunctuation != 0 { symbolOnly = false }
                        if f & Self.alpha != 0 { hasAlpha = true }
                        chars += 1
                        i += 1
                        continue
                    }
                    let (cp, len) = UTF8Scan.decode(p, i, w.end)
                    let cls = t.classes(cp)
                    if !cls.contains(.datatrovePunctuation) { symbolOnly = false }
                    if cls.contains(.pyAlpha) { hasAlpha = true }
                    chars += 1
                    i += len
                }
                if !symbolOnly { nonSymbol += 1; nonSymbolChars += chars }
                if hasAlpha { alphaWords += 1 }
            }
        }
        if c.minDocWords != 0 && nonSymbol < c.minDocWords { return RuleFailure("gopher_short_doc", value: nonSymbol, threshold: c.minDocWords) }
        if c.maxDocWords != 0 && nonSymbol > c.maxDocWords { return RuleFailure("gopher_long_doc", value: nonSymbol, threshold: c.maxDocWords) }
        // numpy's mean of no words is NaN: no comparison holds.
        if nonSymbol > 0 {
            let mean = Double(nonSymbolChars) / Double(nonSymbol)
            if c.minAvgWordLength != 0 && mean < c.minAvgWordLength { return RuleFailure("gopher_below_avg_threshold", value: mean, threshold: c.minAvgWordLength) }
            if c.maxAvgWordLength != 0 && mean > c.maxAvgWordLength { return RuleFailure("gopher_above_avg_threshold", value: mean, threshold: c.maxAvgWordLength) }
        }
        guard nWords > 0 else { return nil }  // datatrove divides by zero here

        if c.maxSymbolWordRatio != 0 {
            var hashes = 0, ellipses = 0
            var i = 0
            while i < n {
                // Skip 8 bytes at a time while none is `#`, `.` or the lead byte of `…`.
                while i + 8 <= n {
                    let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    if SWAR.hasByte(x, 0x23) || SWAR.hasByte(x, 0x2E) || SWAR.hasByte(x, 0xE2) { break }
                    i += 8
                }
                guard i < n else { break }
                let b = p[i]
                if b == UInt8(ascii: "#") { hashes += 1 }
                else if b == UInt8(ascii: "."), i + 2 < n, p[i + 1] == b, p[i + 2] == b { ellipses += 1; i += 3; continue }
                else if b == 0xE2, i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0xA6 { ellipses += 1; i += 3; continue }
                i += 1
            }
            let hashRatio = Double(hashes) / Double(nWords), ellipsisRatio = Double(ellipses) / Double(nWords)
            if hashRatio > c.maxSymbolWordRatio { return RuleFailure("gopher_too_many_hashes", value: hashRatio, threshold: c.maxSymbolWordRatio) }
            if ellipsisRatio > c.maxSymbolWordRatio {
                return RuleFailure("gopher_too_many_ellipsis", value: ellipsisRatio, threshold: c.maxSymbolWordRatio)
            }
        }

        var lines = 0, bullets = 0, endEllipsis = 0
        UTF8Scan.forEachLine(p, n) { s, e in
            lines += 1
            let (a, b) = UTF8Scan.strip(p, s, e)
            // lstrip().startswith / rstrip().endswith: stripping both sides changes neither test on a non-empty line.
            if a < b {
                if p[a] == UInt8(ascii: "-") || UTF8Scan.hasPrefix(p, a, b, "•") { bullets += 1 }
                if UTF8Scan.hasSuffix(p, a, b, "...") || UTF8Scan.hasSuffix(p, a, b, "…") { endEllipsis += 1 }
            }
        }
        if lines > 0 {
            let bulletRatio = Double(bullets) / Double(lines), endEllipsisRatio = Double(endEllipsis) / Double(lines)
            if c.maxBulletLinesRatio != 0 && bulletRatio > c.maxBulletLinesRatio {
                return RuleFailure("gopher_too_many_bullets", value: bulletRatio, threshold: c.maxBulletLinesRatio)
            }
            if c.maxEllipsisLinesRatio != 0 && endEllipsisRatio > c.maxEllipsisLinesRatio {
                return RuleFailure("gopher_too_many_end_ellipsis", value: endEllipsisRatio, threshold: c.maxEllipsisLinesRatio)
            }
        }
        if c.maxNonAlphaWordsRatio != 0 && Double(alphaWords) / Double(nWords) < c.maxNonAlphaWordsRatio {
            return RuleFailure("gopher_below_alpha_threshold", value: Double(alphaWords) / Double(nWords), threshold: c.maxNonAlphaWordsRatio)
        }
        if c.minStopWords != 0, let stopWords {
            for k in seenStopWords.indices { seenStopWords[k] = false }
            var found = 0
            stopWords.words.withUnsafeBufferPointer { stops in
                stopWords.byFirstByte.withUnsafeBufferPointer { byFirst in
                    for w in words where w.end > w.start {
                        // Only the stop words starting with the word's first byte (none, for most words of
                        // other languages).
                        var candidates = byFirst[Int(p[w.start])]
                        let len = w.end - w.start
                        while candidates != 0 {
                            let k = candidates.trailingZeroBitCount
                            candidates &= candidates - 1
                            guard !seenStopWords[k], stops[k].count == len else { continue }
                            var same = true
                            for j in 1..<len where stops[k][j] != p[w.start + j] { same = false; break }
                            if same { seenStopWords[k] = true; found += 1 }
                        }
                        if found >= c.minStopWords { break }
                    }
                }
            }
            if found < c.minStopWords { return RuleFailure("gopher_enough_stop_words", value: found, threshold: c.minStopWords) }
        }
        return nil
    }
}
