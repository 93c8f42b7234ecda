import Foundation
import Synchronization
import Testing
import WinnowTestSupport

/// What a rerun resumes and what it refuses (issue 19 items 2, 3, 4): an input replaced under the same name,
/// an output path spelled differently or moved, an output directory inside an input directory.
@Suite struct ResumeContractTests {
    /// Two JSONL.zst inputs (written by Python) in `dir/in`, and a two-step pipeline over that directory.
    private func setUp(_ dir: String, output: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try writeInput(dir + "/in/a.jsonl.zst", documents: 40, seed: 1)
        try writeInput(dir + "/in/b.jsonl.zst", documents: 30, seed: 2)
        let yaml = """
            output: \(output)
            steps:
              - name: s
                input: {paths: [\(dir)/in]}
                stages: [fix_line_endings]
              - name: t
                input: {step: s}
                stages: [{length: {min_chars: 40}}]
            """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        return dir + "/p.yaml"
    }

    private func writeInput(_ path: String, documents: Int, seed: Int) throws {
        _ = try python("""
            import json, random, sys, zstandard
            rng = random.Random(int(sys.argv[3]))
            words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon']
            lines = [json.dumps({'id': f'{sys.argv[3]}-{i}', 'text': ' '.join(rng.choice(words) for _ in range(rng.randint(1, 30)))})
                     for i in range(int(sys.argv[2]))]
            open(sys.argv[1], 'wb').write(zstandard.ZstdCompressor().compress(('\\n'.join(lines) + '\\n').encode()))
            """, [path, String(documents), String(seed)])
    }

    private func documents(_ output: String) throws -> [String: Data] {
        try treeContents(output, excluding: { !$0.contains("documents/") })
    }

    @Test func aChangedInputRefusesTheRerunOrRedoesItsTasks() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = try setUp(dir, output: dir + "/out")
        #expect(try run(winnow, ["run", pipeline, "-q"]).status == 0)
        try writeInput(dir + "/in/b.jsonl.zst", documents: 35, seed: 3)  // same name, new content

        let refused = try run(winnow, ["run", pipeline, "-q"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(dir)/in/b.jsonl.zst") && refused.stderr.contains("--rerun-changed"), "\(refused.stderr)")

        let redone = try run(winnow, ["run", pipeline, "-q", "--rerun-changed"])
        #expect(redone.status == 0, "\(redone.stderr)")
        // The result is what a fresh run on the new inputs writes.
        let fresh = try run(winnow, ["run", pipeline, "-q", "--output", dir + "/fresh"])
        #expect(fresh.status == 0)
        let redoneFiles = try documents(dir + "/out"), freshFiles = try documents(dir + "/fresh")
        #expect(!redoneFiles.isEmpty)
        #expect(redoneFiles == freshFiles)
        #expect(try run(winnow, ["run", pipeline, "-q"]).status == 0)  // and the record is up to date
    }

    @Test func aRespelledOrMovedOutputResumes() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = try setUp(dir, output: "out")
        #expect(try run(winnow, ["run", pipeline, "-q"], cwd: dir).status == 0)
        let before = try documents(dir + "/out")
        for spelling in ["./out", dir + "/out", dir + "//in/../out/"] {
            let again = try run(winnow, ["run", pipeline, "--output", spelling], cwd: dir)
            #expect(again.status == 0, "\(spelling): \(again.stderr)")
            #expect(again.stderr.contains("step 't': 1 of 1 tasks already complete") || again.stderr.contains("step 't': 2 of 2 tasks already complete"),
                    "\(spelling): \(again.stderr)")
        }
        try FileManager.default.moveItem(atPath: dir + "/out", toPath: dir + "/elsewhere")
        let moved = try run(winnow, ["run", pipeline, "--output", dir + "/elsewhere"], cwd: dir)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(!moved.stderr.contains("running task"), "\(moved.stderr)")
        #expect(try documents(dir + "/elsewhere") == before)
    }

    @Test func anOutputInsideAnInputDirectoryIsLeftOut() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = try setUp(dir, output: dir + "/in/out")
        let first = try run(winnow, ["run", pipeline, "-q"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try run(winnow, ["run", pipeline])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("left out") && second.stderr.contains("inside the run's own output directory"), "\(second.stderr)")
        #expect(second.stderr.contains("step 's': 2 of 2 tasks already complete"), "\(second.stderr)")
    }

    /// `winnow stats` on an interrupted run says how many tasks finished and shows their stats.
    @Test func statsOfAnInterruptedRun() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = try setUp(dir, output: dir + "/out")
        #expect(try run(winnow, ["run", pipeline, "-q", "--step", "s", "--task-index", "1"]).status == 0)
        let partial = try run(winnow, ["stats", dir + "/out"])
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stdout.contains("step s: incomplete: 1 of 2 tasks finished"), "\(partial.stdout)")
        // b.jsonl.zst (task 1) holds 30 documents.
        #expect(partial.stdout.contains("fix_line_endings       30        30"), "\(partial.stdout)")
        #expect(try run(winnow, ["run", pipeline, "-q"]).status == 0)
        let finished = try run(winnow, ["stats", dir + "/out"])
        #expect(!finished.stdout.contains("incomplete"))
        #expect(finished.stdout.contains("step s (2 tasks"), "\(finished.stdout)")
    }

    /// Two runs into one output directory at the same time split the tasks (a lock per task): every task
    /// runs once, and the output is that of one run.
    @Test func concurrentRunsSplitTheTasks() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let inputs = (0..<6).map { "\(dir)/in\($0).jsonl.zst" }
        for input in inputs { try FileManager.default.copyItem(atPath: sample, toPath: input) }
        let yaml = "output: \(dir)/out\nsteps:\n  - name: s\n    input: {paths: [\(inputs.joined(separator: ", "))]}\n    stages: [language_id]\n"
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let results = Mutex<[ProcessOutput]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = try? run(winnow, ["run", dir + "/p.yaml", "--workers", "1", "-v"])
            results.withLock { $0.append(result ?? ProcessOutput(status: -1, stdoutData: Data(), stderr: "did not start")) }
        }
        let both = results.withLock { $0 }
        #expect(both.allSatisfy { $0.status == 0 }, "\(both.map(\.stderr))")
        let started = both.flatMap { lines($0.stderr) }.compactMap { line -> Int? in
            guard let range = line.range(of: "step 's': task "), line.hasSuffix(": running") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(started.sorted() == Array(0..<6), "each task runs once: \(started.sorted())")
        #expect(both.allSatisfy { result in lines(result.stderr).contains { $0.contains(": running") } }, "both runs did some of the work")
        let single = try run(winnow, ["run", dir + "/p.yaml", "-q", "-o", dir + "/single"])
        #expect(single.status == 0)
        #expect(try treeContents(dir + "/out/s/documents") == treeContents(dir + "/single/s/documents"))
    }

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }
}
