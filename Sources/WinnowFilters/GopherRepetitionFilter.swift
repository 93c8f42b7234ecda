import WinnowCore
import WinnowWordRules

/// Gopher's repetition rules (Rae et al. 2021, table A1), exactly as datatrove 0.10.1's `GopherRepetitionFilter`.
///
/// In order, a document is excluded with:
/// - `empty`: no text;
/// - `dup_para_frac` / `dup_para_char_frac`: paragraphs (split at two or more newlines) that repeat an earlier
///   one, as a fraction of paragraphs (0.3) or of characters of the text (0.2);
/// - `dup_line_frac` / `dup_line_char_frac`: the same for lines (split at newlines) (0.3, 0.2);
/// - `top_{n}_gram`: the most frequent word n-gram covers more than a fraction of the characters
///   (`top_2_gram` 0.20, `top_3_gram` 0.18, `top_4_gram` 0.16; datatrove's length × count);
/// - `duplicated_{n}_n_grams`: characters in repeated word n-grams (datatrove's greedy scan that skips a
///   repeated n-gram) above a fraction of the text (n = 5...10: 0.15, 0.14, 0.13, 0.12, 0.11, 0.10).
///
/// Every fraction is a parameter of the same name (`dup_line_frac: 0.3`, `top_2_gram: 0.2`,
/// `duplicated_5_n_grams: 0.15`, ...); 0 switches a rule off.
public struct GopherRepetitionFilter: DocumentStage, RegisteredStage {
    public static let stageName = "gopher_repetition"
    public static let summary = "Gopher repetition rules (duplicate lines, paragraphs and n-grams), datatrove-exact"

    public struct Config: Sendable {
        public var dupLineFrac = 0.3
        public var dupParaFrac = 0.3
        public var dupLineCharFrac = 0.2
        public var dupParaCharFrac = 0.2
        /// (n, fraction) pairs, in order.
        public var topNGrams: [(Int, Double)] = [(2, 0.2), (3, 0.18), (4, 0.16)]
        public var dupNGrams: [(Int, Double)] = [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)]
        var words = WordSegmenter.Options()
        public init() {}
    }

    let config: Config
    let segmenter: WordSegmenter
    private var counter = HashCounter()
    private var concatenation = ConcatenationHasher()
    private var wordHashes: [UInt64] = []
    private var wordChars: [Int] = []  // prefix sums of word lengths in characters

    public init(_ config: Config = Config()) {
        self.config = config
        segmenter = WordSegmenter(config.words)
    }

    public static let parameters: [ParameterDeclaration] = {
        let c = Config()
        return [
            .double("dup_line_frac", default: c.dupLineFrac, "exclude when more lines than this share are duplicates"),
            .double("dup_para_frac", default: c.dupParaFrac, "exclude when more paragraphs than this share are duplicates"),
            .double("dup_line_char_frac", default: c.dupLineCharFrac, "exclude when duplicate lines hold more than this share of characters"),
            .double("dup_para_char_frac", default: c.dupParaCharFrac, "exclude when duplicate paragraphs hold more than this share of characters"),
        ] + c.topNGrams.map {
            .double("top_\($0.0)_gram", default: $0.1, "exclude when the most frequent \($0.0)-gram covers more than this share of characters")
        } + c.dupNGrams.map {
            .double("duplicated_\($0.0)_n_grams", default: $0.1, "exclude when duplicated \($0.0)-grams cover more than this share of characters")
        } + WordSegmenter.Options.parameters
    }()

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        c.dupLineFrac = try p.double("dup_line_frac")
        c.dupParaFrac = try p.double("dup_para_frac")
        c.dupLineCharFrac = try p.double("dup_line_char_frac")
        c.dupParaCharFrac = try p.double("dup_para_char_frac")
        c.topNGrams = try c.topNGrams.map { ($0.0, try p.double("top_\($0.0)_gram")) }
        c.dupNGrams = try c.dupNGrams.map { ($0.0, try p.double("duplicated_\($0.0)_n_grams")) }
        c.words = try WordSegmenter.Options.read(p)
        let config = c
        return StageFactory { GopherRepetitionFilter(config) }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        guard !document.text.isEmpty else { return .exclude(reason: "empty") }
        let locale = segmenter.locale(for: document)
        let failure: RuleFailure? = document.text.withUnsafeBufferPointer { buffer in
            decide(buffer.baseAddress!, buffer.count, locale: locale)
        }
        return failure?.exclude(&document) ?? .keep
    }

    /// Splits `p[from..<to]` at runs of at least `minNewlines` newlines (as `re.split("\n{k,}")` does) and
    /// counts the pieces, the pieces seen before, and those repeats' characters (datatrove's
    /// `find_duplicates`).
    private mutating func duplicates(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int, minNewlines: Int)
        -> (pieces: Int, duplicates: Int, duplicateChars: Int)
    {
        counter.reset(expected: 64)
        var pieces = 0, duplicates = 0, duplicateChars = 0
        func add(_ a: Int, _ b: Int) {
            pieces += 1
            if counter.add(hashBytes(p, a, b), position: pieces, length: 0) > 0 {
                duplicates += 1
                duplicateChars += UTF8Scan.scalarCount(p, a, b)
            }
        }
        var start = from, i = from
        while i < to {
            guard p[i] == 0x0A else { i += 1; continue }
            var j = i + 1
            while j < to && p[j] == 0x0A { j += 1 }
            if j - i >= minNewlines {
                add(start, i)
                start = j
            }
            i = j
        }
        add(start, to)
        return (pieces, duplicates, duplicateChars)
    }

    private mutating func decide(_ p: UnsafePointer<UInt8>, _ n: Int, locale: String?) -> RuleFailure? {
        let c = config
        let textChars = Double(UTF8Scan.scalarCount(p, 0, n))

        // Paragraphs: re.split(r"\n{2,}", text.strip()).
        let (s, e) = UTF8Scan.strip(p, 0, n)
        let paragraphs = duplicates(p, s, e, minNewlines: 2)
        let paraFrac = Double(paragraphs.duplicates) / Double(paragraphs.pieces), paraCharFrac = Double(paragraphs.duplicateChars) / textChars
        if c.dupParaFrac != 0 && paraFrac > c.dupParaFrac { return RuleFailure("dup_para_frac", value: paraFrac, threshold: c.dupParaFrac) }
        if c.dupParaCharFrac != 0 && paraCharFrac > c.dupParaCharFrac {
            return RuleFailure("dup_para_char_frac", value: paraCharFrac, threshold: c.dupParaCharFrac)
        }

        // Lines: re.split("\n+", text).
        let lines = duplicates(p, 0, n, minNewlines: 1)
        let lineFrac = Double(lines.duplicates) / Double(lines.pieces), lineCharFrac = Double(lines.duplicateChars) / textChars
        if c.dupLineFrac != 0 && lineFrac > c.dupLineFrac { return RuleFailure("dup_line_frac", value: lineFrac, threshold: c.dupLineFrac) }
        if c.dupLineCharFrac != 0 && lineCharFrac > c.dupLineCharFrac {
            return RuleFailure("dup_line_char_frac", value: lineCharFrac, threshold: c.dupLineCharFrac)
        }

        segmenter.segment(p, 0, n, locale: locale)
        let words = segmenter.words
        let nWords = words.count
        wordHashes.removeAll(keepingCapacity: true)
        wordChars.removeAll(keepingCapacity: true)
        wordChars.append(0)
        for w in words {
            wordHashes.append(hashBytes(p, w.start, w.end))
            wordChars.append(wordChars[wordChars.count - 1] + UTF8Scan.scalarCount(p, w.start, w.end))
        }

        // Top n-grams: " ".join(words[i:i+n]), the most common one's length × count.
        for (size, fraction) in c.topNGrams where nWords >= size {
            counter.reset(expected: nWords)
            for i in 0...(nWords - size) {
                var h: UInt64 = UInt64(size)
                for k in i..<(i + size) { h = (h &* 0x100_0000_01B3) ^ wordHashes[k]; h ^= h >> 29 }
                _ = counter.add(h, position: i, length: wordChars[i + size] - wordChars[i] + size - 1)
            }
            let top = Double(counter.topLengthTimesCount()) / textChars
            if fraction != 0, top > fraction { return RuleFailure("top_\(size)_gram", value: top, threshold: fraction) }
        }

        // Duplicated n-grams: "".join(words[i:i+n]); after a repeat, jump past it.
        if !c.dupNGrams.isEmpty { concatenation.reset(p, words) }
        for (size, fraction) in c.dupNGrams {
            counter.reset(expected: nWords)
            var repeatedChars = 0
            var i = 0
            while i < nWords - size + 1 {
                let h = concatenation.hash(words: i, i + size)
                if counter.contains(h) {
                    repeatedChars += wordChars[i + size] - wordChars[i]
                    i += size
                } else {
                    _ = counter.add(h, position: i, length: 0)
                    i += 1
                }
            }
            let repeated = Double(repeatedChars) / textChars
            if fraction != 0, repeated > fraction { return RuleFailure("duplicated_\(size)_n_grams", value: repeated, threshold: fraction) }
        }
        return nil
    }
}
