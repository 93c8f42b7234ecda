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
           .byteSize("memory", default: "512MiB", "key records buffered per task before they spill to sorted runs")]

    let method: Method
    let signature: String
    /// The keys phase and the directories of its sorted files, one per key index.
    let keysPhase: DatasetPhase
    let keyDirectories: [String]

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
        let signature: String, phase: (DatasetPhase, [String])
        switch method {
        case .lines:
            signature = lines.hashingSignature
            phase = spans("line") { LineDedupWorker(config: lineConfig) }
        case .sentences:
            signature = sentences.hashingSignature
            phase = spans("sentence") { SentenceDedupWorker(config: sentenceConfig) }
        case .minhash:
            signature = minhash.indexSignature
            phase = documents(MinHashDedupStep(configuration: minhash, options: options).dedup)
        case .exact:
            signature = ExactDedupStep.indexSignature(normalize: normalize)
            phase = documents(ExactDedupStep(normalize: normalize, options: options).dedup)
        }
        return DedupIndexStep(method: method, signature: signature, keysPhase: phase.0, keyDirectories: phase.1)
    }

    public var phases: [DatasetPhase] {
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
