import Foundation
import Testing
import WinnowTestSupport

/// The Slurm executor: the sbatch scripts and arrays it plans (no cluster needed), and the whole harness on a real
/// one-node cluster (`Tests/Slurm/slurm-test.sh`: slurm-wlm and munge, as root), which CI requires.
@Suite(.serialized) struct SlurmExecutorTests {
    /// A dry run writes one script per array: tasks split below MaxArraySize by an offset, each array depending on
    /// every array before it, with the step and phase options the tasks need.
    @Test func dryRunPlansSplitArraysWithDependencies() throws {
        let dir = try temporaryDirectory()
        let result = try run(try winnowExecutable(), ["run", repositoryRoot + "/Pipelines/sample.yaml", "--executor", "slurm", "--tasks", "5",
                                                       "--max-array-size", "2", "--dry-run", "--output", dir + "/out"], cwd: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let sbatch = result.stdout.split(separator: "\n").filter { $0.hasPrefix("sbatch ") }.map(String.init)
        // Five tasks under MaxArraySize 2: indices 0-1 (offset 0), 0-1 (offset 2), 0 (offset 4), for the eight units
        // over input tasks (clean, quality, dedup signatures and filter, tokenizer count, shards encode, crawl,
        // sampled); dedup's buckets phase has one task per band (14: seven arrays); dedup's 14 clustering phases
        // (labels-01...labels-12, components, clusters) have cluster_tasks = 4 tasks each (two arrays each);
        // tokenizer train and shards merge have one task each; then the report job (`report: true`), after all.
        #expect(sbatch.count == 8 * 3 + 7 + 14 * 2 + 2 + 1)
        #expect(sbatch.last?.hasSuffix("--kill-on-invalid-dep=yes \(dir)/out/_slurm/report.sh") == true, "\(sbatch.last ?? "")")
        #expect(sbatch.last?.contains("<shards.merge>:<crawl-0>") == true)
        #expect(sbatch[0] == "sbatch --parsable --array=0-1 \(dir)/out/_slurm/clean-0.sh")
        #expect(sbatch[2] == "sbatch --parsable --array=0 \(dir)/out/_slurm/clean-2.sh")
        #expect(sbatch[3].contains("--dependency=afterok:<clean-0>:<clean-1>:<clean-2> --kill-on-invalid-dep=yes"))
        let train = try String(contentsOfFile: dir + "/out/_slurm/tokenizer.train.sh", encoding: .utf8)
        #expect(train.contains("--step tokenizer --phase train --task-index \"$TASK\" --task-count 5"))
        let third = try String(contentsOfFile: dir + "/out/_slurm/clean-2.sh", encoding: .utf8)
        #expect(third.contains("TASK=$(( SLURM_ARRAY_TASK_ID + 4 ))"))
        // The train phase has one task whatever --tasks says.
        #expect(sbatch.filter { $0.hasSuffix("tokenizer.train.sh") }.count == 1)
    }

    /// Without --tasks, a step reading a step not yet run has no known task count: refused, saying what to give.
    @Test func unknownTaskCountIsRefused() throws {
        let dir = try temporaryDirectory()
        let result = try run(try winnowExecutable(), ["run", repositoryRoot + "/Pipelines/sample.yaml", "--executor", "slurm",
                                                       "--dry-run", "--output", dir + "/out"], cwd: repositoryRoot)
        #expect(result.status != 0)
        #expect(result.stderr.contains("give --tasks N"), "\(result.stderr)")
    }

    @Test func realClusterRunEqualsLocalRun() throws {
        let required = ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1"
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld"), getuid() == 0 else {
            if required { Issue.record("slurm-wlm and munge are needed, as root (apt-get install slurm-wlm munge)") }
            return
        }
        let result = try run("/bin/bash", [repositoryRoot + "/Tests/Slurm/slurm-test.sh", try winnowExecutable()], cwd: repositoryRoot)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"), "\(result.stdout)")
    }
}
