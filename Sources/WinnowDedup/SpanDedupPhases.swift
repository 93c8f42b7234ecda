import Foundation
import WinnowCore

/// What one dedup-below-the-document method does to a document (one instance per task; it keeps scratch
/// buffers): cut it into units (sentences, lines, paragraphs), hash them, and later remove the units found
/// to be duplicates.
protocol SpanDedupWorker: AnyObject {
    /// Calls `body(unit index, hash)` for each hashed unit (or window of units) of `document`.
    func forEachHash(_ document: Document, _ body: (Int, UInt64) throws -> Void) throws
    /// Removes the units whose indices (sorted, unique) are `duplicates` from `document`.
    func remove(_ document: Document, duplicates: [Int]) -> SpanRemoval
}

/// The result of removing duplicate units from one document.
struct SpanRemoval {
    var text: [UInt8]
    /// The removed runs of consecutive units, for `annotate`.
    var removed: [[UInt8]]
    /// Units removed, and units the document had.
    var removedUnits: Int
    var units: Int
    /// Why the rest of the document is dropped (too short...), or nil to keep it.
    var rejection: String?
}

/// Which occurrences of a repeated unit go.
enum RepeatPolicy: Sendable, Equatable {
    /// Every occurrence after the first, in (input file, record, unit) order (C4, datatrove, CCNet).
    case keepFirst
    /// `keepFirst`, except that for a near-duplicate key (lowest bit set, `NearSpanKeys`) another occurrence in
    /// the kept one's document goes only when it starts at least `apart` units after it: overlapping windows of
    /// one document share most of their text, hence bands, without being repeats.
    case keepFirstNear(apart: Int)
    /// Every occurrence of a unit found in more than this many distinct documents, the first included.
    case maxDocuments(Int)
}

/// The three phases of dedup below the document (`sentence_dedup`, `line_dedup`):
///
/// 1. `hashes` (one task per slice of the input): per hash range, a sorted file of (hash, position, unit index)
///    records `hashes/range-XXX/<task>.bin`, spilled to sorted runs past `memory`;
/// 2. `dups` (`dups_tasks` tasks, one per hash range): merges the range's files and writes the duplicate
///    occurrences the policy names, as (position, unit index) sorted, to `dups/files-<p>/<task>.bin`, one
///    partition per input file index modulo 16;
/// 3. `filter` (one task per slice of the input): removes those units and writes `documents/`, or
///    `excluded/<stage>/` for a document the worker rejects.
///
/// The files depend only on the input, so the output is the same for any number of tasks or workers.
struct SpanDedupPhases: Sendable {
    /// The stage name of excluded documents and the prefix of metadata fields (`<stage>_removed`).
    var stage: String
    /// The unit's name in stats (`removed_<unit>s`).
    var unit: String
    var policy: RepeatPolicy
    var annotate: Bool
    var memoryBytes: Int
    var dupsTasks: Int
    /// Indexes whose units are removed wherever they occur (`against:`).
    var against: [DedupIndex] = []
    var makeWorker: @Sendable () -> any SpanDedupWorker

    /// The parameters of the phases, shared by the steps.
    static let declarations: [ParameterDeclaration] = [
        .byteSize("memory", default: "512MiB", "hash records buffered per task before they spill to sorted runs"),
        .int("dups_tasks", default: 4, "tasks of the dups phase, each over a range of hashes"),
        .stringList("against", default: [], "indexes (winnow dedup index) of other datasets: their units are removed here, first occurrences too"),
    ]

    static func readTasks(_ p: StageParameters) throws -> (memory: Int, dupsTasks: Int) {
        let tasks = try p.int("dups_tasks")
        guard tasks >= 1 && tasks <= 1000 else { throw p.error("dups_tasks", "dups_tasks must be between 1 and 1000") }
        return (try p.byteSize("memory"), tasks)
    }

    /// The `against` indexes, checked to hold `method` keys hashed as `signature` says.
    static func readAgainst(_ p: StageParameters, method: String, signature: String) throws -> [DedupIndex] {
        try DedupIndex.openAll(p, method: method, signature: signature)
    }

    var phases: [DatasetPhase] {
        [DatasetPhase(name: "hashes", tasks: .inputFiles) { try hashes($0) },
         DatasetPhase(name: "dups", tasks: .fixed(dupsTasks)) { try dups($0) },
         DatasetPhase(name: "filter", tasks: .inputFiles, writes: ["documents", "excluded"]) { try filter($0) }]
    }

    func rangeDirectory(_ r: Int) -> String { "hashes/range-" + String(format: "%03d", r) }

    /// Partitions of the dups phase's output by input file (`file % filePartitions`): a filter task reads the
    /// partitions of its own files only, about `1 / filePartitions` of all duplicates per input file.
    static let filePartitions = 16
    static func partition(ofFile file: Int) -> Int { file % filePartitions }
    static func partitionDirectory(_ p: Int) -> String { "dups/files-" + String(format: "%02d", p) }

    /// The hash range (`dups` task) of a hash.
    func range(of hash: UInt64) -> Int { Int(hash.multipliedFullWidth(by: UInt64(dupsTasks)).high) }

    // MARK: 1. hashes

    func hashes(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "hashes")
        let worker = makeWorker()
        let writers = try (0..<dupsTasks).map {
            SortedRecordWriter(path: try context.taskFile(in: rangeDirectory($0), suffix: ".bin"), memoryBytes: memoryBytes / dupsTasks)
        }
        var hashed = 0
        try context.forEachDocument { document, position in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            let packed = DedupRecord.pack(file: position.file, record: position.record)
            try worker.forEachHash(document) { index, hash in
                hashed += 1
                try writers[range(of: hash)].append(DedupRecord(key: hash, position: packed, rank: UInt64(index)))
            }
        }
        var runs = 0
        for w in writers { runs += w.spilledRuns; try w.finish() }
        stats.documentsOut = stats.documentsIn
        stats.bytesOut = stats.bytesIn
        stats.count("hashes", hashed)
        stats.count("spilled_runs", runs)
        return stats
    }

    // MARK: 2. dups

    /// Records sort by (hash, position) only, so a group's records of one document are gathered: with
    /// `keepFirst` the smallest unit index of the first document stays and every other record is a duplicate;
    /// with `maxDocuments` a group in more documents than that is a duplicate as a whole.
    func dups(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "dups")
        let files = try context.files(in: rangeDirectory(context.task)).filter { $0.hasSuffix(".bin") }
        // One sorted output per partition of input files, so a filter task reads only its files' partitions.
        let outputs = try (0..<Self.filePartitions).map {
            SortedRecordWriter(path: try context.taskFile(in: Self.partitionDirectory($0), suffix: ".bin"),
                               memoryBytes: memoryBytes / Self.filePartitions)
        }
        var duplicates = 0, repeated = 0
        // keepFirst: the records of the group's first document; maxDocuments: the group's records while it is
        // within the limit (at most the records of `limit` documents).
        var group: [DedupRecord] = []
        var inGroup = false, key: UInt64 = 0, last: UInt64 = 0, documents = 0
        // The indexes of `against`, from this task's hash range on; a group whose hash one of them holds goes whole.
        // The duplicate records carry the index match (`IndexMatch`) as their rank, 0 for none.
        let indexes = try against.map { index in try index.matcher(keyFile: 0) { range(of: $0) >= context.task } }
        var inIndex = false, indexed = 0, match: UInt64 = 0
        func emit(_ r: DedupRecord) throws {
            try outputs[Self.partition(ofFile: DedupRecord.unpack(r.position).file)]
                .append(DedupRecord(key: r.position, position: r.rank, rank: inIndex ? match : 0))
            duplicates += 1
        }
        func closeGroup() throws {
            if inIndex { return }
            switch policy {
            case .keepFirst, .keepFirstNear:
                guard group.count > 1 else { return }
                let kept = group.indices.min { group[$0].rank < group[$1].rank }!
                var apart: UInt64 = 1
                if case .keepFirstNear(let n) = policy, key & 1 == 1 { apart = UInt64(n) }
                for (i, r) in group.enumerated() where i != kept && r.rank >= group[kept].rank + apart { try emit(r) }
            case .maxDocuments(let limit):
                // A group over the limit was emitted as it went.
                if documents > limit { repeated += 1 }
            }
        }
        try SortedRecordMerge(paths: files).forEach { r in
            stats.documentsIn += 1
            if inGroup && key == r.key && inIndex {
                try emit(r)
            } else if inGroup && key == r.key {
                switch policy {
                case .keepFirst, .keepFirstNear:
                    if r.position == group[0].position { group.append(r) } else { try emit(r) }
                case .maxDocuments(let limit):
                    if r.position != last { documents += 1; last = r.position }
                    if documents <= limit {
                        group.append(r)
                    } else {
                        // Over the limit: what was held back goes, and so does the rest of the group.
                        for g in group { try emit(g) }
                        group.removeAll(keepingCapacity: true)
                        try emit(r)
                    }
                }
            } else {
                try closeGroup()
                group.removeAll(keepingCapacity: true)
                group.append(r)
                documents = 1
                inGroup = true
                key = r.key
                last = r.position
                inIndex = false
                for (i, index) in indexes.enumerated() {
                    if let row = try index.row(of: r.key), !inIndex { inIndex = true; match = IndexMatch.code(index: i, row: row) }
                }
                if inIndex {
                    indexed += 1
                    group.removeAll(keepingCapacity: true)
                    try emit(r)
                }
            }
        }
        try closeGroup()
        var runs = 0
        for o in outputs { runs += o.spilledRuns; try o.finish() }
        stats.count("duplicates", duplicates)
        if !against.isEmpty { stats.count("hashes_in_index", indexed) }
        if case .maxDocuments = policy { stats.count("units_over_limit", repeated) }
        stats.count("spilled_runs", runs)
        return stats
    }

    // MARK: 3. filter

    func filter(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "filter")
        let worker = makeWorker()
        // The duplicates of the current input file's partition, reopened when the file changes (documents come
        // in file order, each file once).
        var duplicates: SortedRecordStream? = nil
        var currentFile = -1
        var indices: [Int] = []
        // The index matches of the current document (`IndexMatch` codes), at most `maximumMatches` distinct.
        var matches: [UInt64] = []
        let maximumMatches = 16
        let lookups = try against.map { try IndexDocumentLookup($0) }
        try context.forEachDocument { document, position in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            let packed = DedupRecord.pack(file: position.file, record: position.record)
            if position.file != currentFile {
                currentFile = position.file
                let directory = Self.partitionDirectory(Self.partition(ofFile: position.file))
                duplicates = try SortedRecordStream(paths: try context.files(in: directory).filter { $0.hasSuffix(".bin") })
            }
            let stream = duplicates!
            indices.removeAll(keepingCapacity: true)
            matches.removeAll(keepingCapacity: true)
            while let d = stream.current, d.key <= packed {
                try stream.advance()
                if d.key == packed && indices.last != Int(d.position) { indices.append(Int(d.position)) }
                if d.key == packed && d.rank != 0 && matches.count < maximumMatches && !matches.contains(d.rank) { matches.append(d.rank) }
            }
            guard !indices.isEmpty else {
                try context.write(document)
                stats.documentsOut += 1
                stats.bytesOut += document.text.count
                return
            }
            let result = worker.remove(document, duplicates: indices)
            stats.count("documents_changed")
            stats.count(unit + "s", result.units)
            stats.count("removed_" + unit + "s", result.removedUnits)
            stats.count("removed_spans", result.removed.count)
            var doc = document
            if annotate {
                doc.metadata[stage + "_removed"] = .array(result.removed.map { .string(String(decoding: $0, as: UTF8.self)) })
            }
            var described: [String] = [], sources: [JSONValue] = []
            for code in matches {
                guard let m = IndexMatch.unpack(code) else { continue }
                let description = try lookups[m.index].describe(keyFile: 0, row: m.row)
                if !described.contains(description) {
                    described.append(description)
                    sources.append(try lookups[m.index].metadata(keyFile: 0, row: m.row))
                }
            }
            if !sources.isEmpty {
                doc.metadata[stage + "_index_matches"] = .array(sources)
                stats.count("documents_matching_index")
            }
            if let reason = result.rejection {
                let traced = described.isEmpty ? reason : reason + "; \(unit)s found in " + described.joined(separator: ", ")
                try context.exclude(doc, stage: stage, reason: traced)
                stats.excluded[stage, default: 0] += 1
                return
            }
            doc.text = result.text
            try context.write(doc)
            stats.documentsOut += 1
            stats.bytesOut += doc.text.count
        }
        return stats
    }
}
