import Foundation
import WinnowCore

/// The parallel clustering of `DedupPhases`: connected components of the candidate-pair graph by min-label
/// propagation over sorted files, every phase `cluster_tasks` tasks (see docs/dedup.md, "Clusters in
/// parallel").
///
/// Nodes (document positions) are split into `cluster_tasks` partitions by a hash of the position. The
/// buckets phase writes each partition's adjacency (`buckets/part-XXX/`: (node, neighbour) records, and
/// (node, node, rank) once per node and group). Then:
///
/// - `labels-01` ... `labels-R` (`cluster_rounds` rounds): a node's label starts as the smallest of itself and
///   its neighbours; each round a node takes the smallest label it was sent, and a node whose label dropped
///   sends it to its neighbours (`labels-K/to-XXX/<task>.bin`, sorted, to the neighbour's partition). When no
///   message is left, every label is the smallest position of its component.
/// - `components`: when the last round still sent messages (a component wider than the rounds reach), every
///   task finishes with a union-find over all pairs (the single-core fallback, counted in `fallback`);
///   then each node is sent to its label's partition, with the ids the next phase names.
/// - `clusters`: per label, the members, the kept one (`keep`) and the cluster's size, written sorted by
///   position (`clusters/<task>.bin`) with the cluster and kept ids (`clusters/<task>.txt`), so a filter task
///   reads only its own files' members (`ClusterMemberLookup`).
///
/// Labels are positions and the minimum does not depend on the order messages arrive in, so every file's
/// content is the same for any number of workers; the partition count changes only how files are split.
extension DedupPhases {
    static func partition(of position: UInt64, among count: Int) -> Int {
        // splitmix64's finalizer spreads consecutive positions evenly.
        var z = position &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(count))
    }

    static func part(_ p: Int) -> String { "part-" + String(format: "%03d", p) }
    static func roundPhase(_ round: Int) -> String { "labels-" + String(format: "%02d", round) }

    var clusterPhases: [DatasetPhase] {
        let tasks = DatasetPhase.Tasks.fixed(options.clusterTasks)
        return (1...options.clusterRounds).map { round in
            DatasetPhase(name: Self.roundPhase(round), tasks: tasks) { try labelRound(round, $0) }
        } + [DatasetPhase(name: "components", tasks: tasks) { try components($0) },
             DatasetPhase(name: "clusters", tasks: tasks) { try clusters($0) }]
    }

    /// One writer per partition of `directory/part-XXX/<task>.bin`. A partition sent nothing gets no file (its
    /// readers list the directory): most label rounds send nothing, and each empty file was an inode to allocate.
    func partitionWriters(_ context: any PhaseContext, _ directory: String) throws -> [SortedRecordWriter] {
        let perPartition = options.memoryBytes / max(1, options.clusterTasks)
        return try (0..<options.clusterTasks).map {
            SortedRecordWriter(path: try context.taskFile(in: directory + "/" + Self.part($0), suffix: ".bin"),
                               memoryBytes: perPartition, writesEmptyFile: false)
        }
    }

    func binFiles(_ context: any PhaseContext, _ directory: String) throws -> [String] {
        try context.files(in: directory).filter { $0.hasSuffix(".bin") }
    }

    // MARK: label rounds

    func labelRound(_ round: Int, _ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: Self.roundPhase(round))
        let c = context.task, partitions = options.clusterTasks
        // Opened when first needed: a round after the labels settled reads no adjacency.
        var adjacencyStream: SortedRecordStream?
        func adjacency() throws -> SortedRecordStream {
            if let adjacencyStream { return adjacencyStream }
            let stream = try SortedRecordStream(paths: try binFiles(context, "buckets/" + Self.part(c)))
            adjacencyStream = stream
            return stream
        }
        let outgoing = try partitionWriters(context, Self.roundPhase(round))
        let labels = SortedRecordWriter(path: try context.taskFile(in: Self.roundPhase(round) + "/labels", suffix: ".bin"),
                                            memoryBytes: 1 << 20, writesEmptyFile: false)
        var neighbours: [UInt64] = []
        var rank: UInt64 = 0
        /// Reads node `v`'s adjacency (skipping earlier nodes): its distinct neighbours and its rank.
        func readAdjacency(of v: UInt64) throws {
            neighbours.removeAll(keepingCapacity: true)
            rank = 0
            let stream = try adjacency()
            while let r = stream.current, r.key < v { try stream.advance() }
            while let r = stream.current, r.key == v {
                if r.position == v { rank = r.rank } else if neighbours.last != r.position { neighbours.append(r.position) }
                try stream.advance()
            }
        }
        var messages = 0, changed = 0, nodes = 0
        func send(_ label: UInt64) throws {
            // A neighbour at or below the label already has a label at most its own position.
            for w in neighbours where w > label {
                try outgoing[Self.partition(of: w, among: partitions)].append(DedupRecord(key: w, position: label, rank: 0))
                messages += 1
            }
        }
        if round == 1 {
            while let first = try adjacency().current {
                let v = first.key
                try readAdjacency(of: v)
                let label = min(v, neighbours.first ?? v)
                nodes += 1
                if label < v { changed += 1 }
                try send(label)
                try labels.append(DedupRecord(key: v, position: label, rank: rank))
            }
        } else {
            let previous = Self.roundPhase(round - 1)
            let current = try SortedRecordStream(paths: try binFiles(context, previous + "/labels").filter {
                ($0 as NSString).lastPathComponent == String(format: "%05d.bin", c)
            })
            let incoming = try SortedRecordStream(paths: try binFiles(context, previous + "/" + Self.part(c)))
            while let node = current.current {
                let v = node.key
                var label = node.position
                while let m = incoming.current, m.key <= v {
                    if m.key == v { label = min(label, m.position) }
                    try incoming.advance()
                }
                nodes += 1
                if label < node.position {
                    changed += 1
                    try readAdjacency(of: v)
                    try send(label)
                }
                try labels.append(DedupRecord(key: v, position: label, rank: node.rank))
                try current.advance()
            }
        }
        for w in outgoing { try w.finish() }
        try labels.finish()
        stats.documentsIn = nodes
        stats.count("nodes", nodes)
        stats.count("changed", changed)
        stats.count("messages", messages)
        return stats
    }

    // MARK: components

    /// Whether the last round sent no message (every label is final).
    func converged(_ context: any PhaseContext) throws -> Bool {
        let last = Self.roundPhase(options.clusterRounds)
        for p in 0..<options.clusterTasks {
            for path in try binFiles(context, last + "/" + Self.part(p)) {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 1
                if size != 0 { return false }
            }
        }
        return true
    }

    /// This partition's (node, label, rank) records in node order, from the last round or, when it did not
    /// converge, from a union-find over every pair.
    func finalLabels(_ context: any PhaseContext, converged: Bool) throws -> [DedupRecord] {
        let c = context.task, partitions = options.clusterTasks
        var result: [DedupRecord] = []
        if converged {
            let path = String(format: "%05d.bin", c)
            let files = try binFiles(context, Self.roundPhase(options.clusterRounds) + "/labels")
                .filter { ($0 as NSString).lastPathComponent == path }
            try SortedRecordMerge(paths: files).forEach { result.append($0) }
            return result
        }
        var forest = DuplicateClusters()
        for p in 0..<partitions {
            try SortedRecordMerge(paths: try binFiles(context, "buckets/" + Self.part(p))).forEach { r in
                if r.key == r.position { if p == c { forest.setRank(r.key, r.rank) } } else { forest.union(r.key, r.position) }
            }
        }
        for (i, v) in forest.positions.enumerated() where Self.partition(of: v, among: partitions) == c {
            result.append(DedupRecord(key: v, position: forest.root(ofNode: i), rank: forest.ranks[i]))
        }
        result.sort()
        return result
    }

    func components(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "components")
        let c = context.task, partitions = options.clusterTasks
        let isConverged = try converged(context)
        let labels = try finalLabels(context, converged: isConverged)
        let toLabel = try partitionWriters(context, "components")
        for r in labels {
            try toLabel[Self.partition(of: r.position, among: partitions)].append(DedupRecord(key: r.position, position: r.key, rank: r.rank))
        }
        for w in toLabel { try w.finish() }
        // The ids the clusters phase names: every root's, and with keep: longest every member's (any may be kept).
        var label: [UInt64: UInt64] = [:]
        for r in labels where options.keep == .longest || r.key == r.position { label[r.key] = r.position }
        let ids = try (0..<partitions).map {
            try IdListWriter(path: try context.taskFile(in: "components/ids-" + Self.part($0), suffix: ".tsv"))
        }
        for path in try context.files(in: method.keysPhase + "/ids-" + Self.part(c)) where path.hasSuffix(".tsv") {
            try IdListReader.forEach(path: path) { position, id in
                if let l = label[position] { try ids[Self.partition(of: l, among: partitions)].write(position: position, id: id) }
            }
        }
        for w in ids { try w.close() }
        stats.documentsIn = labels.count
        stats.count("nodes", labels.count)
        stats.count("fallback", isConverged ? 0 : 1)
        return stats
    }

    // MARK: clusters

    func clusters(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "clusters")
        let c = context.task
        var ids: [UInt64: String] = [:]
        for path in try context.files(in: "components/ids-" + Self.part(c)) where path.hasSuffix(".tsv") {
            try IdListReader.forEach(path: path) { position, id in ids[position] = id }
        }
        let members = try ClusterMemberWriter(path: try context.taskFile(in: "clusters", suffix: ".bin"),
                                              textPath: try context.taskFile(in: "clusters", suffix: ".txt"),
                                              memoryBytes: options.memoryBytes / 2)
        let byLabel = try SortedRecordStream(paths: try binFiles(context, "components/" + Self.part(c)))
        var group: [DedupRecord] = []
        var clusters = 0, memberCount = 0, removed = 0
        func flush() throws {
            guard group.count > 1 else { group.removeAll(keepingCapacity: true); return }
            let root = group[0].key
            var kept: UInt64?
            switch options.keep {
            case .first: kept = group[0].position
            case .none: kept = nil
            case .longest:
                var best = group[0]
                for m in group.dropFirst() where m.rank > best.rank { best = m }
                kept = best.position
            }
            try members.writeCluster(members: group.map(\.position), kept: kept,
                                     clusterId: ids[root] ?? "", keptId: kept.flatMap { ids[$0] } ?? "")
            clusters += 1
            memberCount += group.count
            removed += group.count - (kept == nil ? 0 : 1)
            group.removeAll(keepingCapacity: true)
        }
        while let r = byLabel.current {
            if let f = group.first, f.key != r.key { try flush() }
            if group.last?.position != r.position { group.append(r) }
            try byLabel.advance()
        }
        try flush()
        try members.finish()
        stats.documentsIn = memberCount
        stats.count("clusters", clusters)
        stats.count("members", memberCount)
        stats.count("to_remove", removed)
        return stats
    }
}
