import Foundation
import Testing
import WinnowTestSupport

/// The phase protocol of whole-dataset steps, exercised through `train_tokenizer` (phases `count`, one task per
/// input file, and `train`, one task): the same files for any number of workers, run phase by phase and task by
/// task as a cluster would, and after `kill -9` at random moments inside tasks.
@Suite(.serialized) struct PhasedStepTests {
    static func pipeline(input: String, output: String) -> String {
        """
        output: \(output)
        steps:
          - name: tokenizer
            input: {paths: [\(input)]}
            run:
              train_tokenizer: {vocab_size: 1200, min_frequency: 2, memory: 256KiB}
        """
    }

    /// Everything but timings (stats files hold seconds).
    static func isStats(_ path: String) -> Bool { path.hasSuffix("stats.json") || path.contains("/stats/") }

    @Test func outputIsIdenticalForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 5, documentsPerFile: 300, seed: 5)
        var trees: [[String: Data]] = []
        for workers in [1, 2, 4] {
            let out = dir + "/out\(workers)"
            try Self.pipeline(input: dir + "/in", output: out).write(toFile: dir + "/p\(workers).yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p\(workers).yaml", "--workers", "\(workers)"])
            #expect(result.status == 0, "\(result.stderr)")
            trees.append(try treeContents(out, excluding: Self.isStats))
        }
        // Five counting tasks wrote sorted runs, one task trained.
        let runs = trees[0].keys.filter { $0.hasPrefix("tokenizer/count/") && $0.hasSuffix(".run") }
        #expect(Set(runs.map { String($0.dropFirst("tokenizer/count/".count).prefix(5)) }) == ["00000", "00001", "00002", "00003", "00004"])
        #expect(trees[0].keys.contains("tokenizer/output/tokenizer.json"))
        #expect(trees[0].keys.contains("tokenizer/train/completed/00000"))
        #expect(trees[0] == trees[1])
        #expect(trees[0] == trees[2])
    }

    /// A cluster runs `--step S --phase P --task-index I` per task: a phase refuses to start before the one it
    /// reads, and task-by-task runs give the files of a local run.
    @Test func phaseByPhaseTaskByTaskEqualsLocalRun() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 3, documentsPerFile: 200, seed: 9)
        let winnow = try winnowExecutable()
        try Self.pipeline(input: dir + "/in", output: dir + "/ref").write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try Self.pipeline(input: dir + "/in", output: dir + "/out").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml"]).status == 0)

        let early = try run(winnow, ["run", dir + "/p.yaml", "--step", "tokenizer", "--phase", "train", "--task-index", "0"])
        #expect(early.status != 0)
        #expect(early.stderr.contains("reads phase 'count', which is not complete (0 of 3 tasks)"), "\(early.stderr)")
        let noPhase = try run(winnow, ["run", dir + "/p.yaml", "--step", "tokenizer", "--task-index", "0"])
        #expect(noPhase.status != 0 && noPhase.stderr.contains("--task-index needs --phase"), "\(noPhase.stderr)")
        let badPhase = try run(winnow, ["run", dir + "/p.yaml", "--step", "tokenizer", "--phase", "merge"])
        #expect(badPhase.status != 0 && badPhase.stderr.contains("phases: count, train"), "\(badPhase.stderr)")

        for task in [2, 0, 1] {
            let r = try run(winnow, ["run", dir + "/p.yaml", "--step", "tokenizer", "--phase", "count", "--task-index", "\(task)"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/tokenizer/stats.json"), "the step completes with its last phase")
        let last = try run(winnow, ["run", dir + "/p.yaml", "--step", "tokenizer", "--phase", "train", "--task-index", "0"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out/tokenizer/stats.json"))
        #expect(try treeContents(dir + "/out", excluding: Self.isStats) == treeContents(dir + "/ref", excluding: Self.isStats))
        // The merged counts add up: the count phase read every document of the three files.
        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/tokenizer/stats.json"))) as! [String: Any]
        let stages = stats["stages"] as! [[String: Any]]
        #expect(stages.map { $0["name"] as! String } == ["read", "count", "train"])
        #expect(stages[1]["documents_in"] as! Int == stages[0]["documents_out"] as! Int)
        #expect(stages[1]["documents_in"] as! Int >= 600)
    }

    /// `kill -9` at seeded random moments while tasks run, then a rerun: the files of an uninterrupted run. Each
    /// kill must be shown to have landed inside a task (a task's scratch directory written by the killed process
    /// exists); a kill that landed elsewhere fails the test instead of passing by luck.
    @Test func survivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 8, documentsPerFile: 2500, seed: 13)
        let winnow = try winnowExecutable()
        try Self.pipeline(input: dir + "/in", output: dir + "/ref").write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try Self.pipeline(input: dir + "/in", output: dir + "/out").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        let scratchDirectories = [dir + "/out/tokenizer/count/_tmp", dir + "/out/tokenizer/train/_tmp"]
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: scratchDirectories,
                                             doneMarker: dir + "/out/tokenizer/stats.json", seed: 2026, attempts: 5)
        #expect(landed >= 3, "only \(landed) kills landed inside a task")
        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let (out, ref) = (try treeContents(dir + "/out", excluding: Self.isStats), try treeContents(dir + "/ref", excluding: Self.isStats))
        #expect(out == ref, "differ: \(Set(out.keys).symmetricDifference(ref.keys).sorted()) \(out.keys.filter { ref[$0] != nil && ref[$0] != out[$0] }.sorted())")
        for scratch in scratchDirectories { #expect(!FileManager.default.fileExists(atPath: scratch)) }
    }

    /// Task scratch directories modified since `date`.
    static func runningTasks(in directories: [String], since date: Date) throws -> [String] {
        let fm = FileManager.default
        return directories.flatMap { directory in
            ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).map { directory + "/" + $0 }.filter { path in
                guard let attributes = try? fm.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeDirectory,
                      let modified = attributes[.modificationDate] as? Date else { return false }
                return modified >= date.addingTimeInterval(-0.01)
            }
        }
    }
}
