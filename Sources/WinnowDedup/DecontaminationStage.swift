import WinnowCore
import WinnowWordRules

/// The document stages of WinnowDedup (the pipeline's stage registry lists them).
public enum DedupStages {
    public static let all: [any RegisteredStage.Type] = [DecontaminationStage.self]
}

/// `- decontaminate: {eval_sets: [...]}` and `winnow dedup decontaminate`: removes evaluation data from training
/// data by word n-gram overlap (GPT-3's method; default 13-grams, datatrove uses 12). Words are compared after
/// normalization (`OverlapWordScanner`: lowercase, punctuation removed, digits -> 0, accents dropped).
///
/// - `mode: drop`: a document sharing any n-gram with an evaluation item is excluded; the reason names the set,
///   the item, the n-gram and its character position, also written to metadata `decontaminate_set`,
///   `decontaminate_item`, `decontaminate_ngram`, `decontaminate_position`.
/// - `mode: cut` (GPT-3): each matched n-gram is cut out with `margin` (200) characters on both sides; the rest
///   falls into pieces; a document split into more than `max_pieces` (10) pieces is excluded, pieces shorter
///   than `min_piece_chars` (200) are dropped, and the kept pieces are joined by line breaks (none left:
///   excluded). The matches are listed in `decontaminate_matches` (set, item, ngram, position; the first 20).
/// - `mode: paragraphs` (dolma's): a document with a paragraph that is exactly a paragraph of at least
///   `min_paragraph_words` words of an evaluation item is excluded (`EvaluationParagraphIndex.swift`).
public struct DecontaminationStage: RegisteredStage, DocumentStage {
    public static let stageName = "decontaminate"
    public static let summary = "remove documents (or cut spans) sharing word n-grams with evaluation sets (GPT-3-style decontamination)"

    public enum Mode: String, Sendable, CaseIterable { case drop, cut, paragraphs }

    struct Config: Sendable {
        var mode = Mode.drop
        var margin = 200
        var maxPieces = 10
        var minPieceChars = 200
    }

    public static let parameters: [ParameterDeclaration] = [
        .stringList("eval_sets", .required, "evaluation sets: JSONL (string fields are items) or text (a line is an item), optionally .gz/.zst"),
        .stringList("fields", default: [], "JSONL fields whose strings are items (empty: every field but id)"),
        .int("ngram_size", default: 13, "words per n-gram (GPT-3: 13, datatrove: 12)"),
        .choice("mode", Mode.self, default: .drop, "drop the document, or cut the matched spans with a margin (GPT-3)"),
        .int("margin", default: 200, "cut: characters removed on each side of a matched n-gram"),
        .int("max_pieces", default: 10, "cut: a document split into more pieces is excluded"),
        .int("min_piece_chars", default: 200, "cut: shorter pieces are dropped"),
        .choice("words", OverlapWordScanner.Words.self, default: .words,
                "words: split at whitespace and punctuation, each word normalized; datatrove: simplify_text then spaCy's English rules (NGramsDecontFilter's n-grams)"),
        .int("min_paragraph_words", default: 13, "paragraphs: evaluation paragraphs with fewer words (dolma's uniseg tokens) are not indexed"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        let size = try p.int("ngram_size")
        guard size >= 1 else { throw p.error("ngram_size", "ngram_size must be 1 or more") }
        c.mode = try p.choice("mode", as: Mode.self)
        c.margin = try p.int("margin")
        c.maxPieces = try p.int("max_pieces")
        c.minPieceChars = try p.int("min_piece_chars")
        let paths = try p.stringList("eval_sets")
        guard !paths.isEmpty else { throw p.error("eval_sets", "eval_sets needs at least one file") }
        let index: EvaluationNGramIndex
        let words = try p.choice("words", as: OverlapWordScanner.Words.self)
        let minParagraphWords = try p.int("min_paragraph_words")
        var paragraphs: EvaluationParagraphIndex? = nil
        do {
            if c.mode == .paragraphs {
                paragraphs = try EvaluationParagraphIndex(paths: paths, fields: try p.stringList("fields"), minWords: minParagraphWords)
            }
            index = try EvaluationNGramIndex(paths: c.mode == .paragraphs ? [] : paths, fields: try p.stringList("fields"), size: size, words: words)
        } catch {
            throw p.error("eval_sets", "cannot read the evaluation sets: \(error)")
        }
        let (config, paragraphIndex) = (c, paragraphs)
        return StageFactory { DecontaminationStage(index: index, config: config, paragraphs: paragraphIndex) }
    }

    let index: EvaluationNGramIndex
    let config: Config
    private let scanner: OverlapWordScanner
    /// The evaluation paragraphs of `mode: paragraphs`.
    var paragraphs: EvaluationParagraphIndex? = nil

    init(index: EvaluationNGramIndex, config: Config, paragraphs: EvaluationParagraphIndex? = nil) {
        self.index = index
        self.config = config
        scanner = OverlapWordScanner(mode: index.words)
        self.paragraphs = paragraphs
    }

    struct Match { var source: EvaluationNGramIndex.Source; var first: Int; var start: Int; var end: Int; var character: Int }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        if let paragraphs { return processParagraphs(paragraphs, &document, stats: &stats) }
        let size = index.size
        // Word hashes alone first: most documents match nothing and need no word positions.
        var firstMatch = -1
        document.text.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            scanner.scanHashes(p, b.count)
            scanner.forEachNGramHash(size: size) { i, hash in
                if index.contains(hash) { firstMatch = i }
                return firstMatch < 0
            }
        }
        guard firstMatch >= 0 else { return .keep }
        // Now with word positions: up to the first match to drop, all words to cut.
        let wordLimit = config.mode == .drop ? firstMatch + size : .max
        var matches: [Match] = []
        document.text.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            scanner.scan(p, b.count, wordLimit: wordLimit)
            let words = scanner.words
            let drop = config.mode == .drop
            scanner.forEachNGramHash(size: size) { i, hash in
                guard let source = index.lookup(hash) else { return true }
                matches.append(Match(source: source, first: i, start: words[i].start, end: words[i + size - 1].end, character: words[i].character))
                return !drop
            }
        }
        guard !matches.isEmpty else { return .keep }
        stats.count("contaminated_documents")
        stats.count("matched_ngrams", matches.count)
        func ngram(_ m: Match) -> String { String(decoding: document.text[m.start..<m.end], as: UTF8.self) }
        switch config.mode {
        case .drop, .paragraphs:
            let m = matches[0]
            document.metadata["decontaminate_set"] = .string(m.source.set)
            document.metadata["decontaminate_item"] = .string(m.source.item)
            document.metadata["decontaminate_ngram"] = .string(ngram(m))
            document.metadata["decontaminate_position"] = .number(JSONNumber(m.character))
            return .exclude(reason: "\(size)-gram \"\(ngram(m))\" of \(m.source.set) item \(m.source.item) at character \(m.character)")
        case .cut:
            document.metadata["decontaminate_matches"] = .array(matches.prefix(20).map { m in
                .object(["set": .string(m.source.set), "item": .string(m.source.item), "ngram": .string(ngram(m)),
                         "position": .number(JSONNumber(m.character))])
            })
            return cut(&document, matches, stats: &stats)
        }
    }

    /// GPT-3's cut: matched n-grams plus `margin` characters each side go; the pieces between decide.
    private func cut(_ document: inout Document, _ matches: [Match], stats: inout StageStats) -> StageDecision {
        let text = document.text
        var pieces: [Range<Int>] = []
        var output: [UInt8] = []
        var kept = 0, total = 0
        text.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            // Removed ranges, widened by the margin (in characters) and merged; matches are in text order.
            var removed: [Range<Int>] = []
            for m in matches {
                var s = m.start, e = m.end
                for _ in 0..<config.margin where s > 0 { s = UTF8Scan.previousStart(p, s, 0) }
                for _ in 0..<config.margin where e < b.count { e += UTF8Scan.decode(p, e, b.count).1 }
                if let last = removed.last, s <= last.upperBound { removed[removed.count - 1] = last.lowerBound..<max(last.upperBound, e) }
                else { removed.append(s..<e) }
            }
            var start = 0
            for r in removed {
                if r.lowerBound > start { pieces.append(start..<r.lowerBound) }
                start = r.upperBound
            }
            if start < b.count { pieces.append(start..<b.count) }
            pieces = pieces.filter { let (s, e) = UTF8Scan.strip(p, $0.lowerBound, $0.upperBound); return s < e }
            total = pieces.count
            for piece in pieces {
                let (s, e) = UTF8Scan.strip(p, piece.lowerBound, piece.upperBound)
                guard UTF8Scan.scalarCount(p, s, e) >= config.minPieceChars else { continue }
                if kept > 0 { output.append(0x0A) }
                output.append(contentsOf: b[s..<e])
                kept += 1
            }
        }
        if total > config.maxPieces {
            return .exclude(reason: "split into \(total) pieces by \(matches.count) matched \(index.size)-grams (max_pieces \(config.maxPieces))")
        }
        if kept == 0 {
            return .exclude(reason: "no piece of \(config.minPieceChars) characters left after cutting \(matches.count) matched \(index.size)-grams")
        }
        stats.count("cut_documents")
        document.text = output
        return .keep
    }
}
