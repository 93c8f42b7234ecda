import Foundation
import CXXHash
import WinnowCore
import WinnowWordRules

/// `run: {sentence_dedup: {...}}` and `winnow dedup sentences`: C4's and datatrove's `SentenceDedup`. Every
/// span of `n_sentences` (3) consecutive sentences is hashed (xxh64 of the sentences after datatrove's
/// `simplify_text`, joined by spaces); each span that occurs earlier in the dataset, in (file, record, sentence)
/// order, is cut out of the later documents. A changed document is kept only if it still has `min_words` (50)
/// words and `min_sentences` (3) sentences. Phases:
///
/// 1. `hashes` (one task per slice of the input): per hash range, a sorted file of (hash, position, sentence
///    index) records `hashes/range-XXX/<task>.bin`, spilled to sorted runs past `memory`;
/// 2. `dups` (`dups_tasks` tasks, one per hash range): merges the range's files and writes every occurrence
///    after the first, as (position, sentence index) sorted, to `dups/<task>.bin`;
/// 3. `filter` (one task per slice of the input): removes those spans and writes `documents/`, or
///    `excluded/sentence_dedup/` for a document left too short.
///
/// The files depend only on the input, so the output is the same for any number of tasks or workers.
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
        .byteSize("memory", default: "512MiB", "hash records buffered per task before they spill to sorted runs"),
        .int("dups_tasks", default: 4, "tasks of the dups phase, each over a range of span hashes"),
    ]

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
        c.memoryBytes = try p.byteSize("memory")
        c.dupsTasks = try p.int("dups_tasks")
        guard c.dupsTasks >= 1 && c.dupsTasks <= 1000 else { throw p.error("dups_tasks", "dups_tasks must be between 1 and 1000") }
        try p.finish()
        return SentenceDedupStep(config: c)
    }

    public var phases: [DatasetPhase] {
        [DatasetPhase(name: "hashes", tasks: .inputFiles) { try hashes($0) },
         DatasetPhase(name: "dups", tasks: .fixed(config.dupsTasks)) { try dups($0) },
         DatasetPhase(name: "filter", tasks: .inputFiles, writes: ["documents", "excluded"]) { try filter($0) }]
    }

    func rangeDirectory(_ r: Int) -> String { "hashes/range-" + String(format: "%03d", r) }

    /// The hash range (`dups` task) of a span hash.
    func range(of hash: UInt64) -> Int { Int(hash.multipliedFullWidth(by: UInt64(config.dupsTasks)).high) }

    // MARK: 1. hashes

    func hashes(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "hashes")
        let splitter = SentenceSplitter(splitting: config.splitting, language: config.language)
        let hasher = SpanHasher(sentences: config.sentences)
        let writers = try (0..<config.dupsTasks).map {
            SortedRecordWriter(path: try context.taskFile(in: rangeDirectory($0), suffix: ".bin"),
                               memoryBytes: config.memoryBytes / config.dupsTasks)
        }
        var spans = 0
        try context.forEachDocument { document, position in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            let packed = DedupRecord.pack(file: position.file, record: position.record)
            let language = splitter.language(of: document)
            try document.text.withUnsafeBufferPointer { buffer in
                guard let p = buffer.baseAddress else { return }
                splitter.split(p, buffer.count, language: language)
                try hasher.forEachSpan(p, splitter.spans) { index, hash in
                    spans += 1
                    try writers[range(of: hash)].append(DedupRecord(key: hash, position: packed, rank: UInt64(index)))
                }
            }
        }
        var runs = 0
        for w in writers { runs += w.spilledRuns; try w.finish() }
        stats.documentsOut = stats.documentsIn
        stats.bytesOut = stats.bytesIn
        stats.count("spans", spans)
        stats.count("spilled_runs", runs)
        return stats
    }

    // MARK: 2. dups

    /// Every record of a hash group but the first in (position, sentence index) order is a duplicate. Records
    /// sort by (hash, position) only, so the few records of the group's first document are gathered and the
    /// smallest sentence index among them is the one kept.
    func dups(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "dups")
        let files = try context.files(in: rangeDirectory(context.task)).filter { $0.hasSuffix(".bin") }
        let output = SortedRecordWriter(path: try context.taskFile(in: "dups", suffix: ".bin"), memoryBytes: config.memoryBytes)
        var duplicates = 0
        var first: [DedupRecord] = []
        func emit(_ r: DedupRecord) throws {
            try output.append(DedupRecord(key: r.position, position: r.rank, rank: 0))
            duplicates += 1
        }
        func closeGroup() throws {
            guard first.count > 1 else { return }
            let kept = first.indices.min { first[$0].rank < first[$1].rank }!
            for (i, r) in first.enumerated() where i != kept { try emit(r) }
        }
        try SortedRecordMerge(paths: files).forEach { r in
            stats.documentsIn += 1
            if let f = first.first, f.key == r.key {
                if r.position == f.position { first.append(r) } else { try emit(r) }
            } else {
                try closeGroup()
                first.removeAll(keepingCapacity: true)
                first.append(r)
            }
        }
        try closeGroup()
        try output.finish()
        stats.count("duplicate_spans", duplicates)
        stats.count("spilled_runs", output.spilledRuns)
        return stats
    }

    // MARK: 3. filter

    func filter(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "filter")
        let splitter = SentenceSplitter(splitting: config.splitting, language: config.language)
        let remover = SpanRemover(sentences: config.sentences)
        let duplicates = try SortedRecordStream(paths: try context.files(in: "dups").filter { $0.hasSuffix(".bin") })
        var indices: [Int] = []
        try context.forEachDocument { document, position in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            let packed = DedupRecord.pack(file: position.file, record: position.record)
            indices.removeAll(keepingCapacity: true)
            while let d = duplicates.peek, d.key <= packed {
                _ = try duplicates.next()
                if d.key == packed { indices.append(Int(d.position)) }
            }
            guard !indices.isEmpty else {
                try context.write(document)
                stats.documentsOut += 1
                stats.bytesOut += document.text.count
                return
            }
            let language = splitter.language(of: document)
            let result = document.text.withUnsafeBufferPointer { buffer -> SpanRemover.Result in
                splitter.split(buffer.baseAddress!, buffer.count, language: language)
                return remover.remove(buffer, splitter.spans, duplicates: indices, joinLines: splitter.method(for: language) == .lines)
            }
            stats.count("documents_changed")
            stats.count("sentences", splitter.spans.count)
            stats.count("removed_sentences", result.removedSentences)
            stats.count("removed_spans", result.removed.count)
            var doc = document
            if config.annotate {
                doc.metadata[Self.stage + "_removed"] = .array(result.removed.map { .string(String(decoding: $0, as: UTF8.self)) })
            }
            if let reason = rejection(result.text, language: language, splitter: splitter, original: document.text,
                                      removedSentences: result.removedSentences) {
                try context.exclude(doc, stage: Self.stage, reason: reason)
                stats.excluded[Self.stage, default: 0] += 1
                return
            }
            doc.text = result.text
            try context.write(doc)
            stats.documentsOut += 1
            stats.bytesOut += doc.text.count
        }
        return stats
    }

    /// Why a changed document is dropped (datatrove's rule: empty, or fewer than `min_words` words or
    /// `min_sentences` sentences), or nil to keep it.
    func rejection(_ text: [UInt8], language: String, splitter: SentenceSplitter, original: [UInt8], removedSentences: Int) -> String? {
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
