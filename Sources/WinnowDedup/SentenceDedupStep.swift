import WinnowCore
import WinnowWordRules

/// `run: {sentence_dedup: {...}}` and `winnow dedup sentences`: C4's and datatrove's `SentenceDedup`. Every
/// span of `n_sentences` (3) consecutive sentences is hashed (xxh64 of the sentences after datatrove's
/// `simplify_text`, joined by spaces); each span that occurs earlier in the dataset, in (file, record, sentence)
/// order, is cut out of the later documents. A changed document is kept only if it still has `min_words` (50)
/// words and `min_sentences` (3) sentences. Phases: `SpanDedupPhases` (hashes, dups, filter). With
/// `near_duplicates: true` a span also goes when it shares a MinHash LSH band of its character n-grams with an
/// earlier span (`NearSpanKeys`, `RepeatPolicy.keepFirstNear`).
public struct SentenceDedupStep: DatasetStep {
    public static let stepName = "sentence_dedup"
    public static let summary = "cut every repeat of an n-sentence span after its first occurrence (C4, datatrove's SentenceDedup)"
    /// The stage name of excluded documents and the prefix of metadata fields.
    static let stage = "sentence_dedup"

    struct Config: Sendable {
        var sentences = 3
        var minWords = 50
        var minSentences = 3
        var splitting = SentenceSplitting.auto
        var language = WordSegmenter.Options()
        var annotate = false
        var memoryBytes = 512 << 20
        var dupsTasks = 4
        var against: [DedupIndex] = []
        /// `near_duplicates`: also spans repeated with small edits (nil: exact spans only).
        var near: NearSpanConfiguration?

        /// What decides the hashes (an index must have been built with the same).
        var hashingSignature: String {
            "sentences n=\(sentences) splitter=\(splitting.rawValue) language=\(language.language) from_metadata=\(language.languageFromMetadata) simplified xxh64"
        }
    }

    let config: Config

    public static let parameters: [ParameterDeclaration] = [
        .int("n_sentences", default: 3, "sentences per hashed span"),
        .int("min_words", default: 50, "a document that lost spans is dropped if fewer words remain (0: off)"),
        .int("min_sentences", default: 3, "a document that lost spans is dropped if fewer sentences remain (0: off)"),
        .choice("sentence_splitter", SentenceSplitting.self, default: .auto,
                "auto (spaCy's rules for English, ICU for other languages), spacy, icu, or lines"),
    ] + WordSegmenter.Options.parameters + [
        .bool("annotate", default: false, "list the removed text spans in metadata sentence_dedup_removed"),
    ] + SpanDedupPhases.declarations + nearDeclarations

    /// The parameters of `near_duplicates` (every one but the switch needs it on).
    static let nearDeclarations: [ParameterDeclaration] = [
        .bool("near_duplicates", default: false,
      "also remove spans repeated with small edits: a span sharing a MinHash LSH band (character n-grams) with an earlier one goes"),
        .int("near_char_ngram", default: 5, "near: characters per shingle of a span's simplified text"),
        .int("near_bands", default: 14, "near: LSH bands; spans sharing all rows of one band are candidates"),
        .int("near_rows", default: 8, "near: MinHash values per band"),
        .double("near_threshold", .absent("none: near_bands and near_rows as given"),
                "near: a Jaccard similarity; bands and rows (of at most 112 values) are chosen for it as datasketch does"),
    ]

    /// `near_duplicates`' settings, nil when it is off.
    static func readNear(_ p: StageParameters) throws -> NearSpanConfiguration? {
        guard try p.bool("near_duplicates") else {
            if let key = nearDeclarations.map(\.name).first(where: { $0 != "near_duplicates" && p.has($0) }) {
                throw p.error(key, "\(key) is a setting of near_duplicates; add near_duplicates: true or remove it")
            }
            return nil
        }
        var n = NearSpanConfiguration()
        n.minHash.ngramSize = try p.int("near_char_ngram")
        guard n.minHash.ngramSize >= 1 else { throw p.error("near_char_ngram", "near_char_ngram must be 1 or more") }
        if p.has("near_threshold") {
            if p.has("near_bands") || p.has("near_rows") {
                throw p.error("near_threshold", "give either near_threshold or near_bands and near_rows, not both")
            }
            let t = try p.double("near_threshold")
            guard t > 0 && t < 1 else { throw p.error("near_threshold", "near_threshold must be between 0 and 1") }
            (n.minHash.bands, n.minHash.rowsPerBand) = LSHParameters.optimal(threshold: t, permutations: 112)
        } else {
            n.minHash.bands = try p.int("near_bands")
            n.minHash.rowsPerBand = try p.int("near_rows")
            guard n.minHash.bands >= 1, n.minHash.rowsPerBand >= 1, n.minHash.permutations <= 1024 else {
                throw p.error("near_bands", "near_bands and near_rows must be 1 or more, with near_bands x near_rows at most 1024")
            }
        }
        return n
    }

    public static func make(parameters p: StageParameters) throws -> SentenceDedupStep {
        try p.validate(against: parameters)
        var c = Config()
        c.sentences = try p.int("n_sentences")
        guard c.sentences >= 1 else { throw p.error("n_sentences", "n_sentences must be 1 or more") }
        c.minWords = try p.int("min_words")
        c.minSentences = try p.int("min_sentences")
        c.splitting = try p.choice("sentence_splitter", as: SentenceSplitting.self)
        c.language = try WordSegmenter.Options.read(p)
        c.annotate = try p.bool("annotate")
        (c.memoryBytes, c.dupsTasks) = try SpanDedupPhases.readTasks(p)
        c.against = try SpanDedupPhases.readAgainst(p, method: "sentences", signature: c.hashingSignature)
        c.near = try readNear(p)
        if c.near != nil && !c.against.isEmpty {
            throw p.error("against", "against: is not available with near_duplicates (an index holds exact span hashes only)")
        }
        try p.finish()
        return SentenceDedupStep(config: c)
    }

    public var phases: [DatasetPhase] {
        let c = config
        return SpanDedupPhases(stage: Self.stage, unit: "sentence", policy: c.near == nil ? .keepFirst : .keepFirstNear(apart: c.sentences),
                               annotate: c.annotate, memoryBytes: c.memoryBytes, dupsTasks: c.dupsTasks, against: c.against,
                               makeWorker: { SentenceDedupWorker(config: c) }).phases
    }
}

/// `sentence_dedup`'s work on one document, per task.
final class SentenceDedupWorker: SpanDedupWorker {
    let config: SentenceDedupStep.Config
    let splitter: SentenceSplitter
    let hasher: SpanHasher
    let remover: SpanRemover
    /// With `near_duplicates`: the exact and band keys of each span.
    let nearKeys: NearSpanKeys?

    init(config: SentenceDedupStep.Config) {
        self.config = config
        splitter = SentenceSplitter(splitting: config.splitting, language: config.language)
        hasher = SpanHasher(sentences: config.sentences)
        remover = SpanRemover(sentences: config.sentences)
        nearKeys = config.near.map { NearSpanKeys(configuration: $0) }
    }

    func forEachHash(_ document: Document, _ body: (Int, UInt64) throws -> Void) throws {
        let language = splitter.language(of: document)
        try document.text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            splitter.split(p, buffer.count, language: language)
            if let nearKeys {
                try hasher.forEachWindow(p, splitter.spans) { i, joined in try nearKeys.forEachKey(joined) { try body(i, $0) } }
            } else {
                try hasher.forEachSpan(p, splitter.spans, body)
            }
        }
    }

    func remove(_ document: Document, duplicates: [Int]) -> SpanRemoval {
        let language = splitter.language(of: document)
        var result = document.text.withUnsafeBufferPointer { buffer -> SpanRemoval in
            splitter.split(buffer.baseAddress!, buffer.count, language: language)
            return remover.remove(buffer, splitter.spans, duplicates: duplicates, joinLines: splitter.method(for: language) == .lines)
        }
        result.rejection = rejection(result.text, language: language, original: document.text, removedSentences: result.removedUnits)
        return result
    }

    /// Why a changed document is dropped (datatrove's rule: empty, or fewer than `min_words` words or
    /// `min_sentences` sentences), or nil to keep it.
    func rejection(_ text: [UInt8], language: String, original: [UInt8], removedSentences: Int) -> String? {
        if text.isEmpty { return "every sentence was a duplicate (\(removedSentences) removed)" }
        if text == original { return nil }
        return text.withUnsafeBufferPointer { buffer -> String? in
            let p = buffer.baseAddress!
            if config.minWords > 0 {
                let words = splitter.wordCount(p, buffer.count, language: language)
                if words < config.minWords {
                    return "\(words) words left after removing \(removedSentences) duplicate sentences (min_words \(config.minWords))"
                }
            }
            if config.minSentences > 0 {
                splitter.split(p, buffer.count, language: language)
                // datatrove's split_into_sentences gives one part for a text without sentences.
                let sentences = max(1, splitter.spans.count)
                if sentences < config.minSentences {
                    return "\(sentences) sentences left after removing \(removedSentences) duplicate sentences (min_sentences \(config.minSentences))"
                }
            }
            return nil
        }
    }
}
