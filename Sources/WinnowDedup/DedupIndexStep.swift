import Foundation
import WinnowCore
import WinnowIO
import WinnowWordRules

/// `run: {dedup_index: {...}}` and `winnow dedup index`: the index of a dataset (`DedupIndex`) for `against:` of
/// `line_dedup`, `sentence_dedup` (`method: lines | sentences`), `minhash_dedup` or `exact_dedup`
/// (`method: minhash | exact`), each key with the document it came from. Phases: the keys phase of the method's
/// step (`hashes` or `signatures`, per task and key index sorted records, plus the list of the task's
/// documents) and `index` (one task: per key index, the merge into distinct keys with their first document,
/// `output/keys-XXX.bin`; the documents table; `output/index.json`).
public struct DedupIndexStep: DatasetStep {
    public static let stepName = "dedup_index"
    public static let summary = "write an index of a dataset's line, sentence-span, MinHash band or exact hashes with their documents, for against: of the dedup steps"

    public enum Method: String, Sendable, CaseIterable { case lines, sentences, minhash, exact }

    public static let parameters: [ParameterDeclaration] = [
        .choice("method", Method.self, default: .lines,
                "which keys: lines (line_dedup's), sentences (sentence_dedup's), minhash (minhash_dedup's bands) or exact (exact_dedup's hash)"),
        .int("n_sentences", default: 3, "sentences: sentences per span"),
        .choice("sentence_splitter", SentenceSplitting.self, default: .auto, "sentences: auto, spacy, icu or lines"),
        .choice("unit", LineDedupStep.Unit.self, default: .line, "lines: line or paragraph"),
        .int("min_line_length", default: 1, "lines: shorter units are not indexed"),
    ] + WordSegmenter.Options.parameters
        + MinHashDedupStep.configurationParameters.map { $0.described("minhash: ") }
        + [ExactDedupStep.normalizeParameter.described("exact: "),
           .byteSize("memory", default: "512MiB", "key records buffered per task before they spill to sorted runs"),
           .double("bloom_false_positive_rate", .absent("a sorted index with document ids"),
                   "lines, sentences, exact: write a Bloom filter with this false-positive rate instead (dolma's desired_false_positive_rate)"),
           .int("bloom_expected_items", .absent("required with bloom_false_positive_rate"),
                "the distinct keys the Bloom filter is sized for (dolma's estimated_doc_count)")]

    let method: Method
    let signature: String
    /// The keys phase and the directories of its sorted files, one per key index.
    let keysPhase: DatasetPhase
    let keyDirectories: [String]
    /// A Bloom-filter index: its shape, and per task a function giving a document's keys.
    let bloom: BloomFilterShape?
    let bloomKeys: @Sendable () -> (Document, (UInt64) -> Void) throws -> Void

    public static func make(parameters p: StageParameters) throws -> DedupIndexStep {
        try p.validate(against: parameters)
        let method = try p.choice("method", as: Method.self)
        var sentences = SentenceDedupStep.Config()
        sentences.sentences = try p.int("n_sentences")
        sentences.splitting = try p.choice("sentence_splitter", as: SentenceSplitting.self)
        sentences.language = try WordSegmenter.Options.read(p)
        var lines = LineDedupStep.Config()
        lines.unit = try p.choice("unit", as: LineDedupStep.Unit.self)
        lines.minLineLength = try p.int("min_line_length")
        let minhash = try MinHashDedupStep.readConfiguration(p)
        let normalize = try p.bool("normalize")
        let memory = try p.byteSize("memory")
        var bloom: BloomFilterShape? = nil
        if let rate = try p.optionalDouble("bloom_false_positive_rate") {
            guard rate > 0 && rate < 1 else { throw p.error("bloom_false_positive_rate", "bloom_false_positive_rate must be between 0 and 1") }
            guard let items = try p.optionalInt("bloom_expected_items"), items >= 1 else {
                throw p.error("bloom_false_positive_rate", "give bloom_expected_items (the number of distinct keys to size the filter for, 1 or more) with bloom_false_positive_rate")
            }
            guard method != .minhash else { throw p.error("bloom_false_positive_rate", "a Bloom-filter index holds lines, sentences or exact keys, not minhash bands") }
            bloom = BloomFilterShape(expectedItems: items, falsePositiveRate: rate)
        } else if p.has("bloom_expected_items") {
            throw p.error("bloom_expected_items", "bloom_expected_items sizes a Bloom filter: give bloom_false_positive_rate too")
        }
        try p.finish()
        let (lineConfig, sentenceConfig) = (lines, sentences)
        var options = DedupOptions()
        options.memoryBytes = memory
        options.clusterTasks = 1
        func spans(_ unit: String, _ worker: @escaping @Sendable () -> any SpanDedupWorker) -> (DatasetPhase, [String]) {
            let phases = SpanDedupPhases(stage: "dedup_index", unit: unit, policy: .keepFirst, annotate: false, memoryBytes: memory,
                                         dupsTasks: 1, makeWorker: worker)
            return (DatasetPhase(name: "hashes", tasks: .inputFiles) { try phases.hashes($0) }, [phases.rangeDirectory(0)])
        }
        func documents(_ dedup: DedupPhases) -> (DatasetPhase, [String]) {
            (DatasetPhase(name: dedup.method.keysPhase, tasks: .inputFiles) { try dedup.keys($0) },
             (0..<dedup.method.keyCount).map { dedup.keyDirectory($0) })
        }
        func spanKeys(_ worker: @escaping @Sendable () -> any SpanDedupWorker) -> @Sendable () -> (Document, (UInt64) -> Void) throws -> Void {
            { let w = worker(); return { document, insert in try w.forEachHash(document) { _, h in insert(h) } } }
        }
        let signature: String, phase: (DatasetPhase, [String])
        let keys: @Sendable () -> (Document, (UInt64) -> Void) throws -> Void
        switch method {
        case .lines:
            signature = lines.hashingSignature
            phase = spans("line") { LineDedupWorker(config: lineConfig) }
            keys = spanKeys { LineDedupWorker(config: lineConfig) }
        case .sentences:
            signature = sentences.hashingSignature
            phase = spans("sentence") { SentenceDedupWorker(config: sentenceConfig) }
            keys = spanKeys { SentenceDedupWorker(config: sentenceConfig) }
        case .minhash:
            signature = minhash.indexSignature
            phase = documents(MinHashDedupStep(configuration: minhash, options: options).dedup)
            keys = { { _, _ in } }
        case .exact:
            signature = ExactDedupStep.indexSignature(normalize: normalize)
            let dedup = ExactDedupStep(normalize: normalize, options: options).dedup
            phase = documents(dedup)
            keys = {
                let keyer = dedup.method.makeKeyer()
                var k = DedupKeys(keys: [0], shingles: nil)
                return { document, insert in if keyer(document, &k) != nil { insert(k.keys[0]) } }
            }
        }
        return DedupIndexStep(method: method, signature: signature, keysPhase: phase.0, keyDirectories: phase.1, bloom: bloom, bloomKeys: keys)
    }

    public var phases: [DatasetPhase] {
        if let bloom { return bloomPhases(bloom) }
        let keys = keysPhase, directories = keyDirectories, method = method, signature = signature
        let recorded = DatasetPhase(name: keys.name, tasks: keys.tasks) { context in
            let recorder = try IndexDocumentRecorder(context, phase: keys.name)
            let stats = try keys.run(recorder)
            try recorder.finish()
            return stats
        }
        return [recorded, DatasetPhase(name: "index", tasks: .fixed(1), writes: ["output"]) { context in
            var stats = StageStats(name: "index")
            var distinct = 0
            for (k, directory) in directories.enumerated() {
                let files = try context.files(in: directory).filter { $0.hasSuffix(".bin") }
                let output = try RecordFileOutput(path: try context.outputFile(in: "output", name: DedupIndex.keysFile(k)))
                // Records come sorted by (key, position): the first of a key is its first document.
                var current: DedupRecord? = nil
                var lastPosition: UInt64 = 0
                try SortedRecordMerge(paths: files).forEach { r in
                    stats.documentsIn += 1
                    defer { lastPosition = r.position }
                    if var c = current, c.key == r.key {
                        if r.position != lastPosition { c.rank += 1 }
                        current = c
                        return
                    }
                    if let c = current { try output.write(DedupRecord(key: c.key, position: c.position, rank: c.rank)) }
                    current = DedupRecord(key: r.key, position: r.position, rank: 1)
                    distinct += 1
                }
                if let c = current { try output.write(c) }
                try output.close()
            }
            let documents = try IndexDocumentTable.merge(context, phase: keys.name,
                                                         table: try context.outputFile(in: "output", name: DedupIndex.documentsTable),
                                                         records: try context.outputFile(in: "output", name: DedupIndex.documentsRecords))
            let manifest: JSONValue = .object([
                "format": .number(JSONNumber(DedupIndex.format)), "method": .string(method.rawValue), "hashing": .string(signature),
                "key_files": .number(JSONNumber(directories.count)), "keys": .number(JSONNumber(distinct)),
                "documents": .number(JSONNumber(documents)),
            ])
            try Data(JSONWriter.string(manifest).utf8).write(to: URL(fileURLWithPath: try context.outputFile(in: "output", name: DedupIndex.manifestFile)))
            stats.count("distinct_keys", distinct)
            stats.count("documents", documents)
            return stats
        }]
    }
}

extension DedupIndexStep {
    /// A Bloom-filter index: `bloom` (one task per slice of the input: the task's filter, `bloom/<task>.bin`) and
    /// `index` (one task: the OR of the tasks' filters, `output/bloom.bin`, and `output/index.json`). Each task
    /// holds one filter of the configured size; nothing is sorted.
    func bloomPhases(_ shape: BloomFilterShape) -> [DatasetPhase] {
        let makeKeys = bloomKeys, method = method, signature = signature
        return [DatasetPhase(name: "bloom", tasks: .inputFiles) { context in
            var stats = StageStats(name: "bloom")
            let filter = BloomFilterBuilder(shape: shape)
            let keys = makeKeys()
            var inserted = 0
            try context.forEachDocument { document, _ in
                stats.documentsIn += 1
                stats.bytesIn += document.text.count
                try keys(document) { filter.insert($0); inserted += 1 }
            }
            try filter.write(path: try context.taskFile(in: "bloom", suffix: ".bin"))
            stats.documentsOut = stats.documentsIn
            stats.bytesOut = stats.bytesIn
            stats.count("keys", inserted)
            return stats
        }, DatasetPhase(name: "index", tasks: .fixed(1), writes: ["output"]) { context in
            var stats = StageStats(name: "index")
            let filter = BloomFilterBuilder(shape: shape)
            for path in try context.files(in: "bloom").filter({ $0.hasSuffix(".bin") }) { try filter.merge(path: path) }
            try filter.write(path: try context.outputFile(in: "output", name: DedupIndex.bloomFile))
            let fill = filter.fillRatio
            let manifest: JSONValue = .object([
                "format": .number(JSONNumber(DedupIndex.format)), "method": .string(method.rawValue), "hashing": .string(signature),
                "key_files": .number(JSONNumber(1)),
                "bloom": .object(["bits": .number(JSONNumber(shape.bits)), "hashes": .number(JSONNumber(shape.hashes)),
                                  "fill_ratio": .number(JSONNumber(fill)),
                                  "estimated_false_positive_rate": .number(JSONNumber(pow(fill, Double(shape.hashes))))]),
            ])
            try Data(JSONWriter.string(manifest).utf8).write(to: URL(fileURLWithPath: try context.outputFile(in: "output", name: DedupIndex.manifestFile)))
            stats.count("bits_set", Int((fill * Double(shape.bits)).rounded()))
            return stats
        }]
    }
}

extension MinHashConfiguration {
    /// What decides the band keys (an index must have been built with the same).
    var indexSignature: String {
        "minhash \(shingle.rawValue) ngram_size=\(ngramSize) bands=\(bands) rows=\(rowsPerBand) precision=\(precision) hash=\(hashFunction.rawValue) seed=\(seed) band-xxh3"
    }
}

private extension ParameterDeclaration {
    /// The declaration with `prefix` before its summary (which method it applies to).
    func described(_ prefix: String) -> ParameterDeclaration {
        ParameterDeclaration(name: name, kind: kind, default: defaultValue, summary: prefix + summary)
    }
}
