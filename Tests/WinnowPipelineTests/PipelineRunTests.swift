import Foundation
import Testing
import WinnowTestSupport

/// End-to-end runs of the `winnow` executable on corpora that Python writes, checked against what Python
/// computes from the same input.
@Suite(.serialized) struct PipelineRunTests {
    static func pipeline(input: String, output: String, minChars: Int = 100, extra: String = "") -> String {
        """
        output: \(output)
        steps:
          - name: clean
            input:
              paths: [\(input)]
            stages:
              - length: {min_chars: \(minChars)}
        \(extra)
        """
    }

    @Test func keptAndExcludedDocumentsMatchPython() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 3, documentsPerFile: 300)
        try Self.pipeline(input: dir + "/in", output: dir + "/out").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(result.status == 0, "\(result.stderr)")

        // Python's own reading of the input: valid lines (invalid UTF-8 decoded with 'replace'), split by length.
        let expected = try python("""
        import glob, json, sys, zstandard
        keep, drop, bad = [], [], 0
        for p in sorted(glob.glob(sys.argv[1] + '/*.zst')):
            for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).splitlines():
                try: d = json.loads(line.decode('utf-8', 'replace'))
                except ValueError: bad += 1; continue
                (keep if len(d['text']) >= 100 else drop).append([d['id'], d['text']])
        print(json.dumps([sorted(keep), sorted(drop), bad], ensure_ascii=False))
        """, [dir + "/in"])
        let parts = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as! [Any]
        let kept = try JSONSerialization.jsonObject(with: Data(try documentsWithPython(dir + "/out/clean/documents").utf8)) as! [[String]]
        let dropped = try JSONSerialization.jsonObject(with: Data(try documentsWithPython(dir + "/out/clean/excluded").utf8)) as! [[String]]
        #expect(kept == parts[0] as! [[String]])
        #expect(dropped == parts[1] as! [[String]])
        #expect(!kept.isEmpty && !dropped.isEmpty)

        // Every excluded document says which stage and why; every malformed line is a problem record.
        let reasons = try python("""
        import glob, json, sys, zstandard
        r = set()
        for p in glob.glob(sys.argv[1] + '/out/clean/excluded/length/*.zst'):
            for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).splitlines():
                d = json.loads(line); r.add((d['filter'], d['filter_reason']))
        problems = [json.loads(l) for p in glob.glob(sys.argv[1] + '/out/clean/problems/*.jsonl') for l in open(p)]
        print(json.dumps([sorted(r), sorted(p['reason'] for p in problems), all(p['offset'] > 0 for p in problems)]))
        """, [dir])
        #expect(reasons.trimmingCharacters(in: .whitespacesAndNewlines) ==
                #"[[["length", "too_short"]], ["malformed_json", "malformed_json", "malformed_json"], true]"#)

        // Merged stats add up.
        let stats = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: dir + "/out/clean/stats.json")!) as! [String: Any]
        let stages = stats["stages"] as! [[String: Any]]
        #expect(stages.map { $0["name"] as! String } == ["read", "length", "write"])
        #expect(stages[0]["documents_out"] as! Int == kept.count + dropped.count)
        #expect(stages[1]["documents_out"] as! Int == kept.count)
        #expect((stages[0]["counters"] as! [String: Int])["problem:malformed_json"] == 3)
        #expect((stages[0]["counters"] as! [String: Int])["replaced_invalid_utf8"] == 6)
    }

    @Test func outputIsIdenticalForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 5, documentsPerFile: 200, seed: 7)
        var trees: [[String: Data]] = []
        for workers in [1, 2, 4] {
            let out = dir + "/out\(workers)"
            try Self.pipeline(input: dir + "/in", output: out, extra: "    writer: {max_documents: 50}")
                .write(toFile: dir + "/p\(workers).yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p\(workers).yaml", "--workers", "\(workers)"])
            #expect(result.status == 0, "\(result.stderr)")
            // Stats hold timings; everything else must match byte for byte.
            trees.append(try treeContents(out) { $0.contains("stats") })
        }
        #expect(trees[0].count > 10)
        #expect(trees[0].keys.contains("clean/documents/00000_0001.jsonl.zst"))
        #expect(trees[0] == trees[1])
        #expect(trees[0] == trees[2])
    }

    @Test func resumesAfterKillWithIdenticalOutput() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 10, documentsPerFile: 4000, seed: 3)
        let winnow = try winnowExecutable()
        try Self.pipeline(input: dir + "/in", output: dir + "/ref").write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try Self.pipeline(input: dir + "/in", output: dir + "/out").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2"]).status == 0)

        // Start a run, SIGKILL it once the first task has completed, while others are still running.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: winnow)
        process.arguments = ["run", dir + "/p.yaml", "--workers", "2", "--quiet"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let completed = dir + "/out/clean/completed"
        let deadline = Date().addingTimeInterval(120)
        // ... and another task is running (its scratch directory exists), so that the kill lands inside a task.
        let scratch = dir + "/out/clean/_tmp"
        while ((try? FileManager.default.contentsOfDirectory(atPath: completed))?.count ?? 0) < 1
                || ((try? FileManager.default.contentsOfDirectory(atPath: scratch))?.isEmpty ?? true),
              Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.001)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let done = (try? FileManager.default.contentsOfDirectory(atPath: completed))?.count ?? 0
        #expect(done >= 1 && done < 10, "the kill must land between the first and the last task (\(done) done)")
        let running = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/out/clean/_tmp")) ?? []
        #expect(!running.isEmpty, "a killed run leaves a running task's temporary directory")

        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("\(done) of 10 tasks already complete"))
        let isStats = { (p: String) in p.contains("stats") }
        let (out, ref) = (try treeContents(dir + "/out", excluding: isStats), try treeContents(dir + "/ref", excluding: isStats))
        #expect(out == ref, "differ: \(Set(out.keys).symmetricDifference(ref.keys).sorted()) \(out.keys.filter { ref[$0] != nil && ref[$0] != out[$0] }.sorted())")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/clean/_tmp/00000"))
    }

    @Test func survivesRepeatedKillsAtRandomMoments() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 12, documentsPerFile: 1500, seed: 11)
        let winnow = try winnowExecutable()
        let extra = "    writer: {max_documents: 400}"
        try Self.pipeline(input: dir + "/in", output: dir + "/ref", extra: extra).write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try Self.pipeline(input: dir + "/in", output: dir + "/out", extra: extra).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        // Each kill waits for a task of this process to run, then a seeded random moment more, and must be shown
        // to have landed inside a task (its scratch directory, written by the killed process, is left behind).
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: [dir + "/out/clean/_tmp"],
                                             doneMarker: dir + "/out/clean/stats.json", seed: 42)
        #expect(landed >= 3, "only \(landed) kills landed inside a task")
        #expect(try run(winnow, ["run", dir + "/p.yaml", "--workers", "2", "-q"]).status == 0)
        let isStats = { (p: String) in p.contains("stats") }
        #expect(try treeContents(dir + "/out", excluding: isStats) == treeContents(dir + "/ref", excluding: isStats))
    }

    @Test func strictModeStopsAtTheFirstProblem() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let files = try makeCorpus(in: dir + "/in", files: 1, documentsPerFile: 20)
        try Self.pipeline(input: dir + "/in", output: dir + "/out").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--strict"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("strict mode"))
        #expect(result.stderr.contains(files[0]))
        #expect(result.stderr.contains("malformed_json"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/clean/completed/00000"))
    }

    @Test func laterStepReadsEarlierStepOutput() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 2, documentsPerFile: 100)
        let yaml = Self.pipeline(input: dir + "/in", output: dir + "/out", minChars: 50) + """

          - name: longer
            input: {step: clean}
            stages:
              - length: {min_chars: 300}
            writer: {compression: gzip}
        """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let first = try JSONSerialization.jsonObject(with: Data(try documentsWithPython(dir + "/out/clean/documents").utf8)) as! [[String]]
        let second = try JSONSerialization.jsonObject(with: Data(try documentsWithPython(dir + "/out/longer/documents").utf8)) as! [[String]]
        #expect(second == first.filter { $0[1].unicodeScalars.count >= 300 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out/longer/documents").allSatisfy { $0.hasSuffix(".jsonl.gz") })
        let stats = try run(try winnowExecutable(), ["stats", dir + "/out"])
        #expect(stats.stdout.contains("step clean") && stats.stdout.contains("step longer"))
    }
}
