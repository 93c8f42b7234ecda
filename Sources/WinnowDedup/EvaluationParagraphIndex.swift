import CXXHash
import WinnowCore
import WinnowText
import WinnowWordRules

/// The paragraphs of evaluation sets, for `decontaminate` with `mode: paragraphs` (dolma's paragraph
/// decontamination, as used for Paloma): each item of the sets (`EvaluationNGramIndex.forEachItem`) is split on
/// `\n`; a paragraph of at least `minWords` words goes into the index by the xxh3-64 hash of its exact bytes (no
/// normalization: dolma hashes the paragraph string as it is). Words are counted as dolma's `tokenize`: UAX #29
/// word-boundary segments (here ICU's) holding a non-whitespace character, so punctuation marks count too.
/// About 16 bytes per distinct paragraph of the evaluation sets.
final class EvaluationParagraphIndex: @unchecked Sendable {
    let minWords: Int
    private(set) var sources: [EvaluationNGramIndex.Source] = []
    private var paragraphs: [UInt64: Int32] = [:]
    var count: Int { paragraphs.count }

    init(paths: [String], fields: [String], minWords: Int) throws {
        self.minWords = minWords
        guard let breaker = WordBreaker(locale: "root") else { throw DedupIOError("ICU has no word break rules (its data is missing)") }
        try EvaluationNGramIndex.forEachItem(paths: paths, fields: fields) { text, set, item in
            var source: Int32 = -1
            Self.forEachParagraph(text) { start, end in
                guard Self.wordCount(text, start, end, breaker, atLeast: minWords) >= minWords else { return }
                let h = Self.hash(text, start, end)
                guard paragraphs[h] == nil else { return }
                if source < 0 {
                    sources.append(.init(set: set, item: item))
                    source = Int32(sources.count - 1)
                }
                paragraphs[h] = source
            }
        }
    }

    /// The item a paragraph (bytes `[start, end)` of `text`) is a paragraph of, or nil.
    func lookup(_ text: [UInt8], _ start: Int, _ end: Int) -> EvaluationNGramIndex.Source? {
        paragraphs[Self.hash(text, start, end)].map { sources[Int($0)] }
    }

    /// Calls `body(start, end)` with the byte range of each `\n`-separated paragraph of `text` (Rust's
    /// `split("\n")`: n separators make n + 1 paragraphs, empty ones included).
    static func forEachParagraph(_ text: [UInt8], _ body: (Int, Int) -> Void) {
        var start = 0
        for i in 0..<text.count where text[i] == 0x0A {
            body(start, i)
            start = i + 1
        }
        body(start, text.count)
    }

    static func hash(_ text: [UInt8], _ start: Int, _ end: Int) -> UInt64 {
        text.withUnsafeBytes { XXH3_64bits($0.baseAddress.map { $0 + start }, end - start) }
    }

    /// Word-boundary segments of `[start, end)` holding a non-whitespace character, counted up to `atLeast`.
    static func wordCount(_ text: [UInt8], _ start: Int, _ end: Int, _ breaker: WordBreaker, atLeast: Int) -> Int {
        var n = 0
        text.withUnsafeBufferPointer { b in
            let slice = UnsafeBufferPointer(rebasing: b[start..<end])
            breaker.forEachSegment(slice) { s, e in
                guard n < atLeast else { return }
                if !isWhitespace(slice, s, e) { n += 1 }
            }
        }
        return n
    }

    /// Whether bytes `[s, e)` are all whitespace (ASCII and Unicode `White_Space`).
    static func isWhitespace(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            let (cp, length) = UTF8Scan.decode(p.baseAddress!, i, e)
            guard DedupTextSimplifier.isUnicodeSpace(cp) || cp == 0x09 || cp == 0x0A || cp == 0x0B || cp == 0x0C || cp == 0x0D || cp == 0x20 else { return false }
            i += length
        }
        return true
    }
}

extension DecontaminationStage {
    /// `mode: paragraphs`: the document is excluded when one of its `\n`-separated paragraphs that is not blank
    /// is, byte for byte, a paragraph of an evaluation item (dolma's `skip_empty` paragraph dedupe against the
    /// evaluation Bloom filter, then its mixer's exclusion of documents with a contaminated paragraph).
    func processParagraphs(_ index: EvaluationParagraphIndex, _ document: inout Document, stats: inout StageStats) -> StageDecision {
        let text = document.text
        var found: (source: EvaluationNGramIndex.Source, start: Int, end: Int)? = nil
        var checked = 0
        text.withUnsafeBufferPointer { b in
            EvaluationParagraphIndex.forEachParagraph(text) { start, end in
                guard found == nil, !EvaluationParagraphIndex.isWhitespace(b, start, end) else { return }
                checked += 1
                if let source = index.lookup(text, start, end) { found = (source, start, end) }
            }
        }
        stats.count("paragraphs_checked", checked)
        guard let m = found else { return .keep }
        stats.count("contaminated_documents")
        let paragraph = String(decoding: text[m.start..<m.end], as: UTF8.self)
        let character = text.withUnsafeBufferPointer { UTF8Scan.scalarCount($0.baseAddress!, 0, m.start) }
        document.metadata["decontaminate_set"] = .string(m.source.set)
        document.metadata["decontaminate_item"] = .string(m.source.item)
        document.metadata["decontaminate_paragraph"] = .string(paragraph)
        document.metadata["decontaminate_position"] = .number(JSONNumber(character))
        return .exclude(reason: "paragraph at character \(character) is a paragraph of \(m.source.set) item \(m.source.item)")
    }
}
