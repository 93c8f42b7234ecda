import Foundation
import Testing
import WinnowCore
import WinnowTestSupport
@testable import WinnowDedup

/// A phase context over a directory, for running one task of a phase directly (no input documents).
private final class DirectoryPhaseContext: PhaseContext {
    let task: Int, taskCount: Int, stepDirectory: String
    var workers: Int { 1 }

    init(task: Int, taskCount: Int, stepDirectory: String) {
        self.task = task
        self.taskCount = taskCount
        self.stepDirectory = stepDirectory
    }

    func forEachDocument(_ body: (Document, DocumentPosition) throws -> Void) throws {}

    func taskFile(in relativeDirectory: String, suffix: String) throws -> String {
        let directory = stepDirectory + "/" + relativeDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + String(format: "%05d", task) + suffix
    }

    func outputFile(in relativeDirectory: String, name: String) throws -> String {
        try taskFile(in: relativeDirectory, suffix: "") + name
    }

    func files(in relativeDirectory: String) throws -> [String] {
        let directory = stepDirectory + "/" + relativeDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().map { directory + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    func write(_ document: Document) throws {}
    func exclude(_ document: Document, stage: String, reason: String) throws {}
    func record(_ problem: InputProblem) throws {}
}

/// The parallel clustering phases (buckets -> label rounds -> components -> clusters) on hand-worked
/// candidate groups: the members the filter would see, for several partition counts and round limits.
@Suite struct ClusterPhasesTests {
    /// Position `i` of input file `i / 100` (so lookups by file are exercised).
    static func position(_ i: UInt64) -> UInt64 { DedupRecord.pack(file: Int(i / 100), record: Int(i % 100)) }

    /// Runs the phases after the keys phase over `groups` (each a set of documents sharing one key) and returns
    /// `document -> (cluster size, kept?, cluster id, kept id)` as the filter phase would read it, plus the
    /// components phase's fallback count.
    static func run(groups: [[UInt64]], ranks: [UInt64: UInt64] = [:], keep: KeepPolicy, tasks: Int, rounds: Int,
                    bucketTasks: Int = 1) throws -> (members: [UInt64: ClusterMember], fallback: Int) {
        let dir = try temporaryDirectory()
        var options = DedupOptions()
        options.keep = keep
        options.clusterTasks = tasks
        options.clusterRounds = rounds
        options.bucketTasks = bucketTasks
        options.memoryBytes = 4096  // spill sorted runs too
        let method = DedupMethod(stage: "test", keysPhase: "hashes", keyCount: 2, makeKeyer: { { _, _ in nil } })
        let phases = DedupPhases(method: method, options: options)
        // The keys phase's files: key index g % 2, one key per group; the ids "d<i>".
        let all = Set(groups.joined())
        for k in 0..<2 {
            let writer = SortedRecordWriter(path: try DirectoryPhaseContext(task: 0, taskCount: 1, stepDirectory: dir)
                .taskFile(in: phases.keyDirectory(k), suffix: ".bin"), memoryBytes: 1 << 20)
            for (g, members) in groups.enumerated() where g % 2 == k {
                for m in members { try writer.append(DedupRecord(key: UInt64(g) * 7919, position: position(m), rank: ranks[m] ?? 0)) }
            }
            try writer.finish()
        }
        let ids = try (0..<tasks).map {
            try IdListWriter(path: try DirectoryPhaseContext(task: 0, taskCount: 1, stepDirectory: dir)
                .taskFile(in: "hashes/ids-" + DedupPhases.part($0), suffix: ".tsv"))
        }
        for i in all.sorted() { try ids[DedupPhases.partition(of: position(i), among: tasks)].write(position: position(i), id: "d\(i)") }
        for w in ids { try w.close() }
        var fallback = 0
        for phase in phases.phases.dropFirst().dropLast() {
            guard case .fixed(let n) = phase.tasks else { Issue.record("\(phase.name) is not fixed"); continue }
            for t in 0..<n {
                let stats = try phase.run(DirectoryPhaseContext(task: t, taskCount: n, stepDirectory: dir))
                fallback += stats.counters["fallback"] ?? 0
            }
        }
        let lookup = try ClusterMemberLookup(binaryPaths: try DirectoryPhaseContext(task: 0, taskCount: 1, stepDirectory: dir)
            .files(in: "clusters").filter { $0.hasSuffix(".bin") })
        var members: [UInt64: ClusterMember] = [:]
        for file in 0...Int((all.max() ?? 0) / 100) + 1 {
            for (p, m) in try lookup.members(ofFile: file) {
                let (f, r) = DedupRecord.unpack(p)
                members[UInt64(f * 100 + r)] = m
            }
        }
        try? FileManager.default.removeItem(atPath: dir)
        return (members, fallback)
    }

    /// The expected view of hand-worked clusters: (members, kept member or nil).
    static func expected(_ clusters: [([UInt64], UInt64?)]) -> [UInt64: ClusterMember] {
        var result: [UInt64: ClusterMember] = [:]
        for (members, kept) in clusters {
            let root = members.min()!
            for m in members {
                result[m] = ClusterMember(size: members.count, kept: m == kept, clusterId: "d\(root)", keptId: kept.map { "d\($0)" } ?? "")
            }
        }
        return result
    }

    static let shapes: [(tasks: Int, rounds: Int)] = [(1, 1), (1, 6), (2, 2), (3, 6), (4, 1), (4, 6), (7, 20)]

    /// Chains across groups merge: 9-4, 4-7, 7-1 is one cluster kept at 1; 2-3 is another; a group of one
    /// document is no cluster. Positions span files 0-2.
    @Test func chains() throws {
        let groups: [[UInt64]] = [[9, 4], [4, 7], [2, 3], [7, 1], [5], [250, 120], [120, 101]]
        let want = Self.expected([([1, 4, 7, 9], 1), ([2, 3], 2), ([101, 120, 250], 101)])
        for shape in Self.shapes {
            let got = try Self.run(groups: groups, keep: .first, tasks: shape.tasks, rounds: shape.rounds, bucketTasks: 2)
            #expect(got.members == want, "tasks \(shape.tasks), rounds \(shape.rounds)")
        }
    }

    /// A long path whose smallest position is at one end needs as many rounds as its length: with fewer, the
    /// components phase falls back to union-find; the clusters are the same either way.
    @Test func longChainsFallBackWhenTheRoundsRunOut() throws {
        // 40-39, 39-38, ..., 1-0, and a separate path 60-61-...-70 listed in shuffled order.
        var groups: [[UInt64]] = (0..<40).map { [UInt64(40 - $0), UInt64(39 - $0)] }
        var path: [[UInt64]] = (60..<70).map { [UInt64($0), UInt64($0 + 1)] }
        var random = SplitMix64(seed: 5)
        path.shuffle(using: &random)
        groups += path
        let want = Self.expected([(Array(0...40), 0), (Array(60...70), 60)])
        for shape in [(1, 2), (3, 4), (2, 45), (4, 45)] {
            let got = try Self.run(groups: groups, keep: .first, tasks: shape.0, rounds: shape.1)
            #expect(got.members == want, "tasks \(shape.0), rounds \(shape.1)")
            // Fallback in every components task exactly when the rounds were too few.
            #expect(got.fallback == (shape.1 < 40 ? shape.0 : 0), "tasks \(shape.0), rounds \(shape.1): fallback \(got.fallback)")
        }
    }

    /// Stars: one document in several groups joins them all; a group of three is one star by itself.
    @Test func stars() throws {
        let groups: [[UInt64]] = [[5, 12], [5, 8], [9, 5], [5, 1], [30, 31, 32], [32, 33]]
        let want = Self.expected([([1, 5, 8, 9, 12], 1), ([30, 31, 32, 33], 30)])
        for shape in Self.shapes {
            #expect(try Self.run(groups: groups, keep: .first, tasks: shape.tasks, rounds: shape.rounds).members == want,
                    "tasks \(shape.tasks), rounds \(shape.rounds)")
        }
    }

    /// keep: longest takes the largest rank, a tie going to the smaller position; keep: none keeps no member.
    @Test func tiesAndKeepPolicies() throws {
        let groups: [[UInt64]] = [[1, 2], [2, 3], [3, 104], [10, 11], [20, 21]]
        let ranks: [UInt64: UInt64] = [1: 5, 2: 9, 3: 7, 104: 9, 10: 4, 11: 4, 20: 1, 21: 2]
        let longest = Self.expected([([1, 2, 3, 104], 2), ([10, 11], 10), ([20, 21], 21)])
        let none = Self.expected([([1, 2, 3, 104], nil), ([10, 11], nil), ([20, 21], nil)])
        for shape in Self.shapes {
            #expect(try Self.run(groups: groups, ranks: ranks, keep: .longest, tasks: shape.tasks, rounds: shape.rounds).members == longest,
                    "tasks \(shape.tasks), rounds \(shape.rounds)")
            #expect(try Self.run(groups: groups, keep: .none, tasks: shape.tasks, rounds: shape.rounds).members == none,
                    "tasks \(shape.tasks), rounds \(shape.rounds)")
        }
    }

    /// Random graphs: the components match a union-find computed here by brute force (repeated relaxation).
    @Test func randomGraphsMatchBruteForceComponents() throws {
        var random = SplitMix64(seed: 42)
        for trial in 0..<4 {
            let nodes = 300
            var groups: [[UInt64]] = []
            for _ in 0..<70 {
                let size = 2 + Int(random.next() % 3)
                groups.append(Array(Set((0..<size).map { _ in random.next() % UInt64(nodes) })).sorted())
            }
            // Brute force: label = smallest node reachable, by relaxing every group until nothing changes.
            var label = [UInt64: UInt64]()
            for g in groups { for m in g { label[m] = m } }
            var changed = true
            while changed {
                changed = false
                for g in groups {
                    let low = g.map { label[$0]! }.min()!
                    for m in g where label[m]! > low { label[m] = low; changed = true }
                }
            }
            var clusters: [UInt64: [UInt64]] = [:]
            for (m, l) in label { clusters[l, default: []].append(m) }
            let want = Self.expected(clusters.values.filter { $0.count > 1 }.map { ($0, $0.min()!) })
            let shape = Self.shapes[trial % Self.shapes.count + 2]
            let got = try Self.run(groups: groups, keep: .first, tasks: shape.tasks, rounds: shape.rounds, bucketTasks: 2)
            #expect(got.members == want, "trial \(trial)")
        }
    }
}
