import Foundation
import Testing
import WinnowTestSupport

/// The `tokenize` step in a pipeline after the `train_tokenizer` step it names: the same shards for any number
/// of workers or input tasks, and after `kill -9` at seeded random moments inside its tasks plus a rerun.
@Suite(.serialized) struct ShardDeterminismTests {
    static func pipeline(input: String, output: String, tasks: Int = 0) -> String {
        """
        output: \(output)
        steps:
          - name: tokenizer
            input: {paths: [\(input)]}
            run:
              train_tokenizer: {vocab_size: 700, special_tokens: ["<|endoftext|>"]}
          - name: shards
            input: {paths: [\(input)], tasks: \(tasks)}
            run:
              tokenize: {tokenizer: {step: tokenizer}, eos: "<|endoftext|>", shard_tokens: 6000, seed: 42}
        """
    }

    @Test(.enabled(if: referencesAvailable, "needs zstandard (pip install zstandard)"))
    func sameShardsForAnyWorkerOrTaskCount() throws {
        let dir = try temporaryDirectory()
        try makeCorpus(in: dir + "/in", files: 5, documentsPerFile: 150, seed: 21)
        var trees: [[String: Data]] = []
        for (workers, tasks) in [(1, 0), (2, 0), (4, 0), (2, 2)] {
            let out = dir + "/out\(workers)-\(tasks)"
            try Self.pipeline(input: dir + "/in", output: out, tasks: tasks).write(toFile: out + ".yaml", atomically: true, encoding: .utf8)
            let result = try winnow(["run", out + ".yaml", "--workers", "\(workers)", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            // The encode phase's files depend on the task split; the shards and the manifest must not.
            trees.append(try shardTree(out + "/shards/output"))
        }
        #expect(trees[0].keys.contains("tokens_00003.bin"))
        #expect(trees[0].keys.contains("manifest.json") && trees[0].keys.contains("tokenizer.json"))
        // 1, 2, 4 workers: the same configuration, so the same files, manifest included (but its creation time).
        #expect(trees[1] == trees[0])
        #expect(trees[2] == trees[0])
        // Two input tasks instead of five: the manifest records that configuration; everything else is the same.
        var split = trees[3], reference = trees[0]
        let splitManifest = try JSONSerialization.jsonObject(with: split.removeValue(forKey: "manifest.json")!) as! [String: Any]
        let referenceManifest = try JSONSerialization.jsonObject(with: reference.removeValue(forKey: "manifest.json")!) as! [String: Any]
        #expect(split == reference)
        for key in ["shards", "tokenizer", "sources"] {
            #expect(referenceManifest[key] != nil)
            #expect(NSDictionary(dictionary: splitManifest).value(forKey: key) as? NSObject == NSDictionary(dictionary: referenceManifest).value(forKey: key) as? NSObject)
        }
        #expect(try winnow(["shards", "verify", dir + "/out1-0/shards/output/manifest.json"]).status == 0)
    }

    /// Each kill must be shown to have landed inside a task of the step (its scratch directory, written by the
    /// killed process, remains); then a rerun gives the shards of an uninterrupted run.
    @Test(.enabled(if: referencesAvailable, "needs zstandard (pip install zstandard)"))
    func survivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        try makeCorpus(in: dir + "/in", files: 6, documentsPerFile: 2000, seed: 23)
        try Self.pipeline(input: dir + "/in", output: dir + "/ref").write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try Self.pipeline(input: dir + "/in", output: dir + "/out").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try winnow(["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        // The tokenizer step first, so that the kills land in the tokenize step.
        #expect(try winnow(["run", dir + "/p.yaml", "--step", "tokenizer", "-q"]).status == 0)
        let scratch = [dir + "/out/shards/encode/_tmp", dir + "/out/shards/merge/_tmp"]
        var generator = SplitMix64(seed: 2027)
        var landed = 0
        for _ in 0..<5 {
            let started = Date()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try winnowExecutable())
            process.arguments = ["run", dir + "/p.yaml", "--workers", "2", "--quiet"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline, Self.runningTasks(in: scratch, since: started).isEmpty {
                Thread.sleep(forTimeInterval: 0.001)
            }
            Thread.sleep(forTimeInterval: Double(generator.next() % 100) / 1000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal, !Self.runningTasks(in: scratch, since: started).isEmpty { landed += 1 }
            if FileManager.default.fileExists(atPath: dir + "/out/shards/stats.json") { break }
        }
        #expect(landed >= 2, "only \(landed) kills landed inside a task")
        let rerun = try winnow(["run", dir + "/p.yaml", "--workers", "2", "-q"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try shardTree(dir + "/out/shards/output") == shardTree(dir + "/ref/shards/output"))
        for s in scratch { #expect(!FileManager.default.fileExists(atPath: s)) }
    }

    static func runningTasks(in directories: [String], since date: Date) -> [String] {
        let fm = FileManager.default
        return directories.flatMap { directory in
            ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).map { directory + "/" + $0 }.filter { path in
                guard let a = try? fm.attributesOfItem(atPath: path), a[.type] as? FileAttributeType == .typeDirectory,
                      let modified = a[.modificationDate] as? Date else { return false }
                return modified >= date.addingTimeInterval(-0.01)
            }
        }
    }

    /// Parameter mistakes are reported with the YAML line and what to do, before any work.
    @Test func configurationErrorsAreExplained() throws {
        let dir = try temporaryDirectory()
        func runPipeline(_ run: String) throws -> ProcessOutput {
            try """
            output: \(dir)/out
            steps:
              - name: shards
                input: {paths: [\(dir)/none.jsonl]}
                run:
                  tokenize: \(run)
            """.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            return try winnow(["run", dir + "/p.yaml"])
        }
        let noBOS = try runPipeline("{tokenizer: t.json, format: llmc}")
        #expect(noBOS.status != 0 && noBOS.stderr.contains("give it as bos"), "\(noBOS.stderr)")
        let noTokenizer = try runPipeline("{format: megatron}")
        #expect(noTokenizer.status != 0 && noTokenizer.stderr.contains("stage 'tokenize': needs 'tokenizer'"), "\(noTokenizer.stderr)")
        let typo = try runPipeline("{tokenizer: t.json, shard_token: 5}")
        #expect(typo.status != 0 && typo.stderr.contains("unknown parameter 'shard_token'"), "\(typo.stderr)")
    }
}
