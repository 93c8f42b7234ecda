import WinnowCore
import WinnowWordRules

/// FineWeb's own quality rules, exactly as datatrove 0.10.1's `FineWebQualityFilter`. Over the non-blank lines
/// (split at `\n`), in order, a document is excluded with:
/// - `empty`: no non-blank line;
/// - `line_punct_ratio`: fewer than `line_punct_thr` (0.12) of lines end with terminal punctuation
///   (`stop_chars`, default datatrove's `TERMINAL_PUNCTUATION`), unless the ratio is 0 and
///   `line_punct_exclude_zero` is set;
/// - `short_line_ratio`: more than `short_line_thr` (0.67) of lines have at most `short_line_length` (30)
///   characters;
/// - `char_dup_ratio`: characters of lines repeating an earlier line, over the characters of the text without
///   newlines, above `char_duplicates_ratio` (0.01);
/// - `list_ratio`: newlines per word above `new_line_ratio` (0.3).
public struct FineWebQualityFilter: DocumentStage, RegisteredStage {
    public static let stageName = "fineweb_quality"
    public static let summary = "FineWeb quality rules (terminal punctuation, short lines, duplicate lines, list-like), datatrove-exact"

    public struct Config: Sendable {
        public var linePunctThr = 0.12
        public var linePunctExcludeZero = false
        /// nil: datatrove's terminal punctuation set.
        public var stopChars: [[UInt8]]? = nil
        public var shortLineThr = 0.67
        public var shortLineLength = 30
        public var charDuplicatesRatio = 0.01
        public var newLineRatio = 0.3
        var words = WordSegmenter.Options()
        public init() {}
    }

    let config: Config
    let segmenter: WordSegmenter
    private var counter = HashCounter()

    public init(_ config: Config = Config()) {
        self.config = config
        segmenter = WordSegmenter(config.words)
    }

    public static let parameters: [ParameterDeclaration] = {
        let c = Config()
        return [
            .double("line_punct_thr", default: c.linePunctThr, "exclude when fewer than this share of lines end in stop_chars (0: off)"),
            .bool("line_punct_exclude_zero", default: c.linePunctExcludeZero, "do not exclude documents where no line ends in stop_chars"),
            .stringList("stop_chars", .absent("datatrove's TERMINAL_PUNCTUATION"), "the line endings that count as punctuation"),
            .double("short_line_thr", default: c.shortLineThr, "exclude when more than this share of lines is short (0: off)"),
            .int("short_line_length", default: c.shortLineLength, "a short line has at most this many characters"),
            .double("char_duplicates_ratio", default: c.charDuplicatesRatio, "exclude when duplicated lines hold more than this share of characters (0: off)"),
            .double("new_line_ratio", default: c.newLineRatio, "exclude when line breaks per word exceed this (0: off)"),
        ] + WordSegmenter.Options.parameters
    }()

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        c.linePunctThr = try p.double("line_punct_thr")
        c.linePunctExcludeZero = try p.bool("line_punct_exclude_zero")
        if let stopChars = try p.optionalStringList("stop_chars") { c.stopChars = stopChars.map { Array($0.utf8) } }
        c.shortLineThr = try p.double("short_line_thr")
        c.shortLineLength = try p.int("short_line_length")
        c.charDuplicatesRatio = try p.double("char_duplicates_ratio")
        c.newLineRatio = try p.double("new_line_ratio")
        c.words = try WordSegmenter.Options.read(p)
        let config = c
        return StageFactory { FineWebQualityFilter(config) }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let locale = segmenter.locale(for: document)
        let failure: RuleFailure? = document.text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return RuleFailure("empty", value: 0, threshold: 1) }
            return decide(p, buffer.count, locale: locale)
        }
        return failure?.exclude(&document) ?? .keep
    }

    @inline(__always)
    private func endsWithStopChar(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e > s else { return false }
        if let stops = config.stopChars {
            for stop in stops where stop.count <= e - s {
                var same = true
                for k in 0..<stop.count where p[e - stop.count + k] != stop[k] { same = false; break }
                if same { return true }
            }
            return false
        }
        let last = UTF8Scan.previous(p, e, s)
        return CharClasses.classes(last).contains(.terminalPunctuation)
    }

    private mutating func decide(_ p: UnsafePointer<UInt8>, _ n: Int, locale: String?) -> RuleFailure? {
        let c = config
        var lines = 0, punctuated = 0, short = 0, duplicateChars = 0, newlines = 0
        counter.reset(expected: 64)
        var start = 0
        var i = 0
        while i <= n {
            if i < n && p[i] != 0x0A { i += 1; continue }
            if i < n { newlines += 1 }
            let (a, b) = UTF8Scan.strip(p, start, i)
            if a < b {
                lines += 1
                if endsWithStopChar(p, start, i) { punctuated += 1 }
                let chars = UTF8Scan.scalarCount(p, start, i)
                if chars <= c.shortLineLength { short += 1 }
                if counter.add(hashBytes(p, start, i), position: lines, length: 0) > 0 { duplicateChars += chars }
            }
            i += 1
            start = i
        }
        if lines == 0 { return RuleFailure("empty", value: 0, threshold: 1) }
        let punctRatio = Double(punctuated) / Double(lines)
        if punctRatio < c.linePunctThr && !(punctRatio == 0 && c.linePunctExcludeZero) {
            return RuleFailure("line_punct_ratio", value: punctRatio, threshold: c.linePunctThr)
        }
        let shortRatio = Double(short) / Double(lines)
        if shortRatio > c.shortLineThr { return RuleFailure("short_line_ratio", value: shortRatio, threshold: c.shortLineThr) }
        let charsWithoutNewlines = UTF8Scan.scalarCount(p, 0, n) - newlines
        let duplicateRatio = Double(duplicateChars) / Double(charsWithoutNewlines)
        if duplicateRatio > c.charDuplicatesRatio { return RuleFailure("char_dup_ratio", value: duplicateRatio, threshold: c.charDuplicatesRatio) }
        segmenter.segment(p, 0, n, locale: locale)
        let listRatio = Double(newlines) / Double(segmenter.words.count)
        if listRatio > c.newLineRatio { return RuleFailure("list_ratio", value: listRatio, threshold: c.newLineRatio) }
        return nil
    }
}
