import Foundation
import WinnowCore
import WinnowIO

/// How one dedup method turns a document into keys: documents sharing any key are duplicates (MinHash: one
/// key per band; exact and URL dedup: one key). Each task makes its own `Keyer` (it may keep scratch state).
struct DedupMethod: Sendable {
    /// The stage name of exclusions (`excluded/<stage>/`) and of the metadata fields (`<stage>_cluster_id`).
    var stage: String
    /// The first phase's name (`signatures`, `hashes`).
    var keysPhase: String
    /// Keys per document (MinHash bands).
    var keyCount: Int
    /// Per task: writes the document's keys into `keys.keys` (`keyCount` of them), and when `keys.shingles` is
    /// not nil its shingle hashes (any order, repeats allowed), and returns its rank (larger is preferred by
    /// `keep: longest`), or nil when the document takes no part in dedup (too short, no URL).
    var makeKeyer: @Sendable () -> (Document, inout DedupKeys) -> UInt64?
}

/// One document's keys, and its shingle hashes for the exact Jaccard check (nil when the check is off).
struct DedupKeys {
    var keys: [UInt64]
    var shingles: [UInt64]?
}

/// Options shared by every dedup step.
struct DedupOptions: Sendable {
    var keep: KeepPolicy = .first
    /// Add `<stage>_cluster_id` and `<stage>_cluster_size` to the kept and removed members of clusters.
    var annotate = false
    /// Buffered key records per task before they spill to sorted runs.
    var memoryBytes = 512 << 20
    /// Tasks of the buckets phase (each merges whole keys: bands `b` with `b % tasks == task`).
    var bucketTasks = 0
    /// Partitions (and tasks) of the clustering phases.
    var clusterTasks = 4
    /// Label-propagation rounds before the union-find fallback.
    var clusterRounds = 12
    /// The exact Jaccard check of candidate pairs (minhash_dedup's `jaccard_check`), nil when off.
    var jaccardCheck: Double?
    /// Indexes of other datasets (`against:`): a document sharing a key with one of them is removed.
    var against: [DedupIndex] = []

    /// `against:` of the steps whose keys an index can hold (exact_dedup, minhash_dedup).
    static let againstDeclaration = ParameterDeclaration.stringList(
        "against", default: [], "indexes (winnow dedup index) of other datasets: a document sharing a key (band, hash) with one is removed")

    /// The parameters every dedup step shares.
    static let declarations: [ParameterDeclaration] = [
        .choice("keep", KeepPolicy.self, default: .first,
                "the member of a cluster that stays: first (smallest input position), longest, or none (drop them all)"),
        .bool("annotate", default: false, "add <method>_cluster_id and <method>_cluster_size to cluster members"),
        .byteSize("memory", default: "512MiB", "key records buffered per task before they spill to sorted runs"),
        .int("bucket_tasks", .absent("one per band (key index)"), "tasks of the buckets phase"),
        .int("cluster_tasks", default: 4, "tasks of each clustering phase (partitions of the candidate-pair graph)"),
        .int("cluster_rounds", default: 12,
             "label-propagation rounds; a component they do not settle is finished by a union-find over all pairs"),
    ]

    /// Reads the shared parameters.
    static func read(_ p: StageParameters, keyCount: Int) throws -> DedupOptions {
        var o = DedupOptions()
        o.keep = try p.choice("keep", as: KeepPolicy.self)
        o.annotate = try p.bool("annotate")
        o.memoryBytes = try p.byteSize("memory")
        o.bucketTasks = try p.optionalInt("bucket_tasks") ?? keyCount
        guard o.bucketTasks >= 1 else { throw p.error("bucket_tasks", "bucket_tasks must be 1 or more") }
        o.bucketTasks = min(o.bucketTasks, keyCount)
        o.clusterTasks = try p.int("cluster_tasks")
        guard o.clusterTasks >= 1 && o.clusterTasks <= 999 else { throw p.error("cluster_tasks", "cluster_tasks must be 1...999") }
        o.clusterRounds = try p.int("cluster_rounds")
        guard o.clusterRounds >= 1 && o.clusterRounds <= 99 else { throw p.error("cluster_rounds", "cluster_rounds must be 1...99") }
        return o
    }
}

/// The phases every dedup step runs (see docs/dedup.md):
///
/// 1. keys (`signatures`/`hashes`, one task per slice of the input): per task and key index, a sorted file of
///    (key, position, rank) records `<keys>/key-XXX/<task>.bin` (spilled to sorted runs past `memory`), and the
///    document ids `<keys>/ids-part-XXX/<task>.tsv` (split by the position's cluster partition);
/// 2. `buckets` (`bucket_tasks` tasks over key indices): merges every task's sorted file of a key index and,
///    for each group of equal keys, writes the edges (smallest member, other member) both ways into the
///    adjacency of each end's partition, `buckets/part-XXX/<task>.bin`;
/// 3. `labels-01`...`labels-R`, `components`, `clusters` (`cluster_tasks` tasks each): connected components in
///    parallel (`ClusterLabelPhases.swift`); the members sorted by position in `clusters/<task>.bin`;
/// 4. `filter` (one task per slice of the input): documents outside any cluster and kept members go to
///    `documents/`, the others to `excluded/<stage>/` with the kept document's id in `filter_reason`; a task
///    reads only the members of its own input files.
///
/// With `against:` indexes, the buckets phase also looks each key group up in the indexes (streamed in key
/// order beside the merge) and lists the members of a group found there in `buckets/indexed/<task>.bin`
/// (position, match, key index); the filter phase removes them, naming the index and its document.
///
/// Every file depends only on the input, so the output is the same for any number of tasks or workers.
struct DedupPhases: Sendable {
    let method: DedupMethod
    let options: DedupOptions

    var phases: [DatasetPhase] {
        [DatasetPhase(name: method.keysPhase, tasks: .inputFiles) { try keys($0) },
         DatasetPhase(name: "buckets", tasks: .fixed(options.bucketTasks)) { try buckets($0) }]
            + clusterPhases
            + [DatasetPhase(name: "filter", tasks: .inputFiles, writes: ["documents", "excluded"]) { try filter($0) }]
    }

    func keyDirectory(_ k: Int) -> String { method.keysPhase + "/key-" + String(format: "%03d", k) }

    // MARK: 1. keys

    func keys(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: method.keysPhase)
        let keyer = method.makeKeyer()
        let perKey = options.memoryBytes / max(1, method.keyCount)
        let writers = try (0..<method.keyCount).map {
            SortedRecordWriter(path: try context.taskFile(in: keyDirectory($0), suffix: ".bin"), memoryBytes: perKey)
        }
        let ids = try (0..<options.clusterTasks).map {
            try IdListWriter(path: try context.taskFile(in: method.keysPhase + "/ids-" + Self.part($0), suffix: ".tsv"))
        }
        var keys = DedupKeys(keys: [UInt64](repeating: 0, count: method.keyCount), shingles: options.jaccardCheck == nil ? nil : [])
        let shingleSets = try options.jaccardCheck.map { _ in
            try ShingleSetWriter(path: try context.taskFile(in: method.keysPhase + "/shingles", suffix: ".set"),
                                 indexPath: try context.taskFile(in: method.keysPhase + "/shingles", suffix: ".idx"))
        }
        var keyed = 0
        try context.forEachDocument { document, position in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            guard let rank = keyer(document, &keys) else { return }
            keyed += 1
            let packed = DedupRecord.pack(file: position.file, record: position.record)
            for k in 0..<method.keyCount { try writers[k].append(DedupRecord(key: keys.keys[k], position: packed, rank: rank)) }
            if let s = shingleSets { try s.write(position: packed, shingles: &keys.shingles!) }
            try ids[Self.partition(of: packed, among: options.clusterTasks)].write(position: packed, id: document.id)
        }
        var runs = 0
        for w in writers { runs += w.spilledRuns; try w.finish() }
        for w in ids { try w.close() }
        try shingleSets?.finish()
        stats.documentsOut = stats.documentsIn
        stats.bytesOut = stats.bytesIn
        stats.count("keyed", keyed)
        stats.count("not_keyed", stats.documentsIn - keyed)
        stats.count("spilled_runs", runs)
        return stats
    }

    // MARK: 2. buckets

    func buckets(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "buckets")
        let partitions = options.clusterTasks
        let adjacency = try partitionWriters(context, "buckets")
        func add(_ node: UInt64, _ other: UInt64, rank: UInt64) throws {
            try adjacency[Self.partition(of: node, among: partitions)].append(DedupRecord(key: node, position: other, rank: rank))
        }
        let store = try options.jaccardCheck.map { _ in
            try ShingleSetStore(indexPaths: try context.files(in: method.keysPhase + "/shingles").filter { $0.hasSuffix(".idx") })
        }
        var pairs = 0, groups = 0, rejected = 0, indexedMembers = 0
        let indexed = options.against.isEmpty ? nil
            : SortedRecordWriter(path: try context.taskFile(in: Self.indexedDirectory, suffix: ".bin"), memoryBytes: options.memoryBytes / 4)
        var match: UInt64 = 0
        /// Records that `f` and `r` are candidates: the edge both ways, and each end's rank.
        func pair(_ f: DedupRecord, _ r: DedupRecord) throws {
            try add(f.position, f.position, rank: f.rank)
            try add(r.position, r.position, rank: r.rank)
            try add(f.position, r.position, rank: 0)
            try add(r.position, f.position, rank: 0)
            pairs += 1
        }
        // Documents sharing one key form a group, streamed member by member (no group is held in memory):
        // without the Jaccard check each member pairs with the group's first (smallest) member; with it, with the
        // first of the group's first `maximumAnchors` members whose shingle set is similar enough (a member none
        // is similar to is a rejected candidate).
        let maximumAnchors = 16
        var anchors: [(record: DedupRecord, shingles: [UInt64])] = []
        var memberSet: [UInt64] = []
        var first = DedupRecord(key: 0, position: 0, rank: 0)
        var indexInGroup = 0
        for k in stride(from: context.task, to: method.keyCount, by: context.taskCount) {
            let files = try context.files(in: keyDirectory(k)).filter { $0.hasSuffix(".bin") }
            indexInGroup = 0
            let cursors = try options.against.map { try $0.matcher(keyFile: k) }
            try SortedRecordMerge(paths: files).forEach { r in
                stats.documentsIn += 1
                if indexInGroup > 0 && r.key != first.key { indexInGroup = 0 }
                if indexInGroup == 0 {
                    first = r
                    anchors.removeAll(keepingCapacity: true)
                    match = 0
                    for (i, cursor) in cursors.enumerated() where match == 0 {
                        if let row = try cursor.row(of: r.key) { match = IndexMatch.code(index: i, row: row) }
                    }
                }
                if match != 0, let indexed {
                    try indexed.append(DedupRecord(key: r.position, position: match, rank: UInt64(k)))
                    indexedMembers += 1
                }
                if indexInGroup == 1 { groups += 1 }
                defer { indexInGroup += 1 }
                guard let threshold = options.jaccardCheck, let store else {
                    if indexInGroup > 0 { try pair(first, r) }
                    return
                }
                try store.shingles(of: r.position, into: &memberSet)
                if indexInGroup > 0 {
                    if let anchor = anchors.first(where: { ShingleSetStore.jaccard($0.shingles, memberSet) >= threshold }) {
                        try pair(anchor.record, r)
                    } else {
                        rejected += 1
                    }
                }
                if anchors.count < maximumAnchors { anchors.append((r, memberSet)) }
            }
        }
        var spilled = 0
        for w in adjacency { spilled += w.spilledRuns; try w.finish() }
        if let indexed { spilled += indexed.spilledRuns; try indexed.finish(); stats.count("keys_in_index", indexedMembers) }
        stats.count("groups", groups)
        stats.count("pairs", pairs)
        if options.jaccardCheck != nil { stats.count("jaccard_rejected", rejected) }
        stats.count("spilled_runs", spilled)
        return stats
    }

    static let indexedDirectory = "buckets/indexed"

    // MARK: 4. filter

    func filter(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "filter")
        let lookup = try ClusterMemberLookup(binaryPaths: try context.files(in: "clusters").filter { $0.hasSuffix(".bin") })
        var members: [UInt64: ClusterMember] = [:]
        var loadedFile = -1
        let indexed = options.against.isEmpty ? nil : try IndexedMembers(context, against: options.against)
        try context.forEachDocument { document, position in
            if position.file != loadedFile {
                members = try lookup.members(ofFile: position.file)
                loadedFile = position.file
            }
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            let packed = DedupRecord.pack(file: position.file, record: position.record)
            if let indexed, let source = try indexed.match(packed) {
                var doc = document
                doc.metadata[method.stage + "_index_match"] = source.metadata
                try context.exclude(doc, stage: method.stage, reason: "duplicate of \(source.description)")
                stats.excluded[method.stage, default: 0] += 1
                stats.count("in_index")
                return
            }
            guard let m = members[packed] else {
                try context.writeUnchanged(document)
                stats.documentsOut += 1
                stats.bytesOut += document.text.count
                return
            }
            var doc = document
            if options.annotate {
                doc.metadata[method.stage + "_cluster_id"] = .string(m.clusterId)
                doc.metadata[method.stage + "_cluster_size"] = .number(JSONNumber(m.size))
            }
            if m.kept {
                try options.annotate ? context.write(doc) : context.writeUnchanged(doc)
                stats.documentsOut += 1
                stats.bytesOut += document.text.count
            } else {
                let reason = m.keptId.isEmpty ? "member of duplicate cluster \(m.clusterId) (keep: none)" : "duplicate of \(m.keptId)"
                try context.exclude(doc, stage: method.stage, reason: reason)
                stats.excluded[method.stage, default: 0] += 1
            }
        }
        return stats
    }
}

/// Writes `position \t id` lines (ids with tab, newline or backslash escaped).
final class IdListWriter {
    private let output: UnsafeMutablePointer<FILE>
    private let path: String

    init(path: String) throws {
        guard let f = fopen(path, "wb") else { throw DedupIOError("cannot create \(path)") }
        output = f
        self.path = path
    }

    static func escape(_ id: String) -> String {
        guard id.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x5C }) else { return id }
        return id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    func write(position: UInt64, id: String) throws {
        try write("\(position)\t\(Self.escape(id))\n")
    }

    func write(_ line: String) throws {
        let ok = line.utf8.withContiguousStorageIfAvailable { fwrite($0.baseAddress, 1, $0.count, output) == $0.count }
            ?? Array(line.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, output) == $0.count }
        guard ok else { throw DedupIOError("cannot write \(path) (disk full?)") }
    }

    func close() throws { guard fclose(output) == 0 else { throw DedupIOError("cannot close \(path)") } }
}

enum IdListReader {
    static func unescape<S: StringProtocol>(_ s: S) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = "", escaped = false
        for c in s {
            if escaped { out.append(c == "t" ? "\t" : c == "n" ? "\n" : c); escaped = false }
            else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// Calls `body` with each line's position and id (blank lines skipped). Scans bytes: splitting the file as a
    /// `String` walked it character by character.
    static func forEach(path: String, _ body: (UInt64, String) throws -> Void) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw DedupIOError("cannot read \(path)") }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                defer { start = end + 1 }
                guard end > start else { continue }
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                var tab = 0, position: UInt64? = 0
                while tab < line.count && line[tab] != 0x09 {
                    let digit = line[tab] &- 0x30
                    if digit > 9 { position = nil }
                    if let p = position {
                        let (times10, o1) = p.multipliedReportingOverflow(by: 10)
                        let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
                        position = o1 || o2 ? nil : sum
                    }
                    tab += 1
                }
                guard tab > 0, tab < line.count, let position else {
                    throw DedupIOError("\(path): malformed line '\(String(decoding: line, as: UTF8.self))'; rerun the first phase")
                }
                let id = String(decoding: UnsafeRawBufferPointer(rebasing: line[(tab + 1)...]), as: UTF8.self)
                try body(position, id.utf8.contains(0x5C) ? unescape(id) : id)
            }
        }
    }
}

/// The filter phase's view of `buckets/indexed/`: the index match of each document, read in position order.
private final class IndexedMembers {
    private let paths: [String]
    private var stream: SortedRecordStream
    private var lastPosition: UInt64 = 0
    private let lookups: [IndexDocumentLookup]

    init(_ context: any PhaseContext, against: [DedupIndex]) throws {
        paths = try context.files(in: DedupPhases.indexedDirectory).filter { $0.hasSuffix(".bin") }
        stream = try SortedRecordStream(paths: paths)
        lookups = try against.map { try IndexDocumentLookup($0) }
    }

    /// The indexed document the document at `position` matched (its smallest match), or nil.
    func match(_ position: UInt64) throws -> (description: String, metadata: JSONValue)? {
        if position < lastPosition { stream = try SortedRecordStream(paths: paths) }
        lastPosition = position
        while let r = stream.current, r.key < position { try stream.advance() }
        guard let r = stream.current, r.key == position, let m = IndexMatch.unpack(r.position) else { return nil }
        let lookup = lookups[m.index]
        return (try lookup.describe(keyFile: Int(r.rank), row: m.row), try lookup.metadata(keyFile: Int(r.rank), row: m.row))
    }
}
