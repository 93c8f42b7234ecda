import Foundation
import Testing
import WinnowTestSupport

/// `winnow dedup index` with document ids, and `against:` of exact_dedup, minhash_dedup and line_dedup: what an
/// index removes and which indexed document each removal names, checked against Python's own reading of the
/// inputs; the same index and output for 1, 2 and 4 workers and after `kill -9` inside tasks.
@Suite(.serialized) struct DedupIndexTests {
    /// Splits the sample into an old dataset (its first 200 documents) and a new one (the rest, plus exact and
    /// near copies of old documents planted by a seeded Python script), and returns what Python expects: for
    /// each new document with an old document of identical text, that old document's id and record.
    static func oldAndNew(_ dir: String) throws -> (exact: [String: [String: Any]], near: [String: String]) {
        let out = try python("""
        import json, random, re, sys, zstandard
        docs = [json.loads(l) for l in zstandard.ZstdDecompressor().decompressobj().decompress(open(sys.argv[1], 'rb').read()).decode().splitlines()]
        old, new = docs[:200], docs[200:]
        rng = random.Random(5)
        long_old = [d for d in old if len(re.findall(r'[^\\W\\d_]+', d['text'])) > 150]
        near = {}
        for i, d in enumerate(rng.sample(long_old, 6)):
            new.insert(rng.randrange(len(new)), {'id': f'copy-{i}', 'text': d['text']})
            words = d['text'].split(' ')
            words[rng.randrange(len(words))] = 'zzplanted'
            new.insert(rng.randrange(len(new)), {'id': f'near-{i}', 'text': ' '.join(words)})
            near[f'near-{i}'] = d['id']
            near[f'copy-{i}'] = d['id']
        first = {}
        for r, d in enumerate(old):
            first.setdefault(d['text'], {'id': d['id'], 'record': r})
        exact = {d['id']: first[d['text']] for d in new if d['text'] in first and d['text']}
        with open(sys.argv[2] + '/old.jsonl', 'w') as f:
            for d in old: f.write(json.dumps(d) + '\\n')
        with open(sys.argv[2] + '/new.jsonl', 'w') as f:
            for d in new: f.write(json.dumps(d) + '\\n')
        print(json.dumps({'exact': exact, 'near': near}))
        """, [repositoryRoot + "/Samples/sample-00000.jsonl.zst", dir])
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
        return (parsed["exact"] as! [String: [String: Any]], parsed["near"] as! [String: String])
    }

    static func runStep(_ run: String, inputs: [String], output: String, workers: Int = 2) throws {
        try DedupStepTests.pipeline(inputs: inputs, output: output, run: run).write(toFile: output + ".yaml", atomically: true, encoding: .utf8)
        let result = try WinnowTestSupport.run(try winnowExecutable(), ["run", output + ".yaml", "--workers", "\(workers)", "-q"])
        #expect(result.status == 0, "\(run): \(result.stderr)")
    }

    /// Exact dedup against an exact index removes exactly the new documents whose text an old document has, each
    /// naming the first such old document (id, file, record) in `filter_reason` and `exact_index_match`.
    @Test func exactDedupAgainstAnIndexNamesTheOldDocument() throws {
        let dir = try temporaryDirectory()
        let (expected, _) = try Self.oldAndNew(dir)
        #expect(expected.count >= 6)
        let winnow = try winnowExecutable()
        let index = try run(winnow, ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/index", "--method", "exact"])
        #expect(index.status == 0, "\(index.stderr)")
        try Self.runStep("exact_dedup: {against: [\(dir)/index]}", inputs: [dir + "/new.jsonl"], output: dir + "/out")
        let removed = try DedupStepTests.documents(dir + "/out/dedup/excluded/exact")
        let byIndex = removed.filter { $0.value["exact_index_match"] != nil }
        #expect(Set(byIndex.keys) == Set(expected.keys))
        for (id, old) in expected {
            let oldId = old["id"] as! String, record = old["record"] as! Int
            #expect(byIndex[id]?["filter_reason"] as? String
                    == "duplicate of document \(oldId) (\(dir)/old.jsonl record \(record)) of index \(dir)/index", "\(id)")
            let match = byIndex[id]?["exact_index_match"] as? [String: Any]
            #expect(match?["id"] as? String == oldId && match?["record"] as? Int == record && match?["file"] as? String == dir + "/old.jsonl")
        }
        // Documents not in the index are deduplicated among themselves as usual: none of them is named after the index.
        #expect(removed.values.filter { $0["exact_index_match"] == nil }.allSatisfy { ($0["filter_reason"] as! String).hasPrefix("duplicate of ") })
    }

    /// MinHash against a MinHash index: every planted copy and near copy (one word changed) goes, and every
    /// document removed because of the index has a word 5-gram Jaccard of at least 0.4 (Python; letters-only
    /// words, as datatrove's simplify_text drops digits) with the old document it names (14 bands of 8 rows
    /// also catch some pairs just under 0.5, such as a translated help page). An index of other hashing is
    /// refused with both settings named.
    @Test func minhashDedupAgainstAnIndex() throws {
        let dir = try temporaryDirectory()
        let (_, near) = try Self.oldAndNew(dir)
        let winnow = try winnowExecutable()
        let index = try run(winnow, ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/index", "--method", "minhash"])
        #expect(index.status == 0, "\(index.stderr)")
        try Self.runStep("minhash_dedup: {against: [\(dir)/index]}", inputs: [dir + "/new.jsonl"], output: dir + "/out")
        let removed = try DedupStepTests.documents(dir + "/out/dedup/excluded/minhash").filter { $0.value["minhash_index_match"] != nil }
        #expect(Set(near.keys).isSubset(of: Set(removed.keys)), "\(Set(near.keys).subtracting(removed.keys))")
        let pairs = removed.map { [$0.key, ($0.value["minhash_index_match"] as! [String: Any])["id"] as! String] }
        let worst = try python("""
        import json, re, sys
        def load(p): return {d['id']: d['text'] for d in map(json.loads, open(p))}
        old, new = load(sys.argv[1] + '/old.jsonl'), load(sys.argv[1] + '/new.jsonl')
        def sh(t):
            w = re.findall(r'[^\\W\\d_]+', t.lower())
            return {tuple(w[i:i + 5]) for i in range(max(0, len(w) - 4))}
        print(min(len(sh(new[a]) & sh(old[b])) / max(1, len(sh(new[a]) | sh(old[b]))) for a, b in json.loads(sys.argv[2])))
        """, [dir, String(decoding: try JSONSerialization.data(withJSONObject: pairs), as: UTF8.self)])
        #expect((Double(worst.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 0.4, "\(worst)")
        let refused = try run(winnow, ["dedup", "minhash", dir + "/new.jsonl", "--output", dir + "/refused", "--against", dir + "/index", "--bands", "9"])
        #expect(refused.status != 0 && refused.stderr.contains("bands=14") && refused.stderr.contains("bands=9"), "\(refused.stderr)")
        let wrongMethod = try run(winnow, ["dedup", "exact", dir + "/new.jsonl", "--output", dir + "/refused2", "--against", dir + "/index"])
        #expect(wrongMethod.status != 0 && wrongMethod.stderr.contains("holds minhash keys"), "\(wrongMethod.stderr)")
    }

    /// Lines by hand: a removed line names the first old document that had it; a document left empty is
    /// excluded with that document in its reason.
    @Test func lineMatchesNameTheOldDocument() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.write([
            ["id": "o1", "text": "Only in o1\nShared footer line"],
            ["id": "o2", "text": "Shared footer line\nCookie banner text"],
        ], to: dir + "/old.jsonl")
        try SentenceDedupStepTests.write([
            ["id": "n1", "text": "Fresh content\nShared footer line"],
            ["id": "n2", "text": "Cookie banner text"],
            ["id": "n3", "text": "Nothing old here"],
        ], to: dir + "/new.jsonl")
        let index = try run(try winnowExecutable(), ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/index"])
        #expect(index.status == 0, "\(index.stderr)")
        try Self.runStep("line_dedup: {against: [\(dir)/index]}", inputs: [dir + "/new.jsonl"], output: dir + "/out")
        let kept = try DedupStepTests.documents(dir + "/out/dedup/documents")
        let excluded = try DedupStepTests.documents(dir + "/out/dedup/excluded/line_dedup")
        #expect(kept["n1"]?["text"] as? String == "Fresh content")
        let n1 = kept["n1"]?["line_dedup_index_matches"] as? [[String: Any]]
        #expect(n1?.count == 1 && n1?[0]["id"] as? String == "o1" && n1?[0]["record"] as? Int == 0 && n1?[0]["index"] as? String == dir + "/index")
        #expect(kept["n3"]?["line_dedup_index_matches"] == nil)
        #expect(excluded["n2"]?["filter_reason"] as? String
                == "every line was a duplicate (1 removed); lines found in document o2 (\(dir)/old.jsonl record 1) of index \(dir)/index",
                "\(excluded)")
    }

    /// A Bloom-filter index of lines (rate 1e-6) removes the same lines as the sorted index on the sample split
    /// (a false positive among its few thousand lines is unlikely), names the Bloom index in the removals, and is
    /// the same file for 1 and 4 workers. Asking for a Bloom filter without its size is refused.
    @Test func bloomFilterIndexRemovesWhatTheSortedIndexRemoves() throws {
        let dir = try temporaryDirectory()
        _ = try Self.oldAndNew(dir)
        let winnow = try winnowExecutable()
        let sorted = try run(winnow, ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/sorted"])
        #expect(sorted.status == 0, "\(sorted.stderr)")
        for workers in [1, 4] {
            let bloom = try run(winnow, ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/bloom\(workers)", "--workers", "\(workers)",
                                         "--bloom-false-positive-rate", "0.000001", "--bloom-expected-items", "20000"])
            #expect(bloom.status == 0, "\(bloom.stderr)")
        }
        #expect(try treeContents(dir + "/bloom1") == treeContents(dir + "/bloom4"))
        try Self.runStep("line_dedup: {against: [\(dir)/sorted]}", inputs: [dir + "/new.jsonl"], output: dir + "/out-sorted")
        try Self.runStep("line_dedup: {against: [\(dir)/bloom1]}", inputs: [dir + "/new.jsonl"], output: dir + "/out-bloom")
        let a = try DedupStepTests.documents(dir + "/out-sorted/dedup/documents"), b = try DedupStepTests.documents(dir + "/out-bloom/dedup/documents")
        #expect(a.count > 100 && Set(a.keys) == Set(b.keys))
        #expect(a.allSatisfy { b[$0.key]?["text"] as? String == $0.value["text"] as? String })
        let matched = b.values.compactMap { $0["line_dedup_index_matches"] as? [[String: Any]] }
        #expect(!matched.isEmpty && matched.allSatisfy { $0.count == 1 && $0[0]["bloom"] as? Bool == true && $0[0]["index"] as? String == dir + "/bloom1" })
        let unsized = try run(winnow, ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/unsized", "--bloom-false-positive-rate", "0.01"])
        #expect(unsized.status != 0 && unsized.stderr.contains("bloom_expected_items"), "\(unsized.stderr)")
    }

    /// The same index files, and the same output against them, for 1, 2 and 4 workers and several input files.
    @Test func sameFilesForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/old", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/new", withIntermediateDirectories: true)
        let old = try makeCorpus(in: dir + "/old", files: 3, documentsPerFile: 120, seed: 3)
        let new = try makeCorpus(in: dir + "/new", files: 3, documentsPerFile: 120, seed: 4) + old.prefix(1)
        for method in ["exact", "minhash", "lines"] {
            var indexes: [[String: Data]] = [], outputs: [[String: Data]] = []
            for workers in [1, 2, 4] {
                let index = dir + "/index-\(method)-\(workers)"
                try Self.runStep("dedup_index: {method: \(method), memory: 16KiB}", inputs: old, output: index, workers: workers)
                indexes.append(try treeContents(index + "/dedup/output"))
                let step = ["exact": "exact_dedup", "minhash": "minhash_dedup", "lines": "line_dedup"][method]!
                let out = dir + "/out-\(method)-\(workers)"
                try Self.runStep("\(step): {against: [\(dir)/index-\(method)-1/dedup/output]}", inputs: new, output: out, workers: workers)
                outputs.append(try treeContents(out, excluding: { DedupStepTests.isStats($0) || $0.hasSuffix("step.json") }))
            }
            #expect(indexes[0].keys.contains("documents.tsv") && indexes[0].keys.contains("keys-000.bin"), "\(indexes[0].keys)")
            #expect(indexes[0] == indexes[1] && indexes[0] == indexes[2], "\(method)")
            #expect(outputs[0].keys.contains { $0.contains("excluded/") }, "\(method): nothing removed")
            #expect(outputs[0] == outputs[1] && outputs[0] == outputs[2], "\(method)")
        }
    }

    /// `kill -9` at seeded moments inside the index step's tasks, then a rerun: the files of an uninterrupted run.
    @Test func indexSurvivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let inputs = try makeCorpus(in: dir + "/in", files: 6, documentsPerFile: 300, seed: 8)
        let winnow = try winnowExecutable()
        let spec = "dedup_index: {method: minhash}"
        try DedupStepTests.pipeline(inputs: inputs, output: dir + "/ref", run: spec).write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try DedupStepTests.pipeline(inputs: inputs, output: dir + "/out", run: spec).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: ["signatures", "index"].map { dir + "/out/dedup/\($0)/_tmp" },
                                             doneMarker: dir + "/out/dedup/stats.json", seed: 13, maxDelayMilliseconds: 50)
        #expect(landed >= 2, "only \(landed) kills landed inside a task")
        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try treeContents(dir + "/out/dedup/output") == treeContents(dir + "/ref/dedup/output"))
    }

    /// `kill -9` inside the tasks of minhash_dedup against an index (its buckets phase lists the indexed members,
    /// its filter names them), then a rerun: the files of an uninterrupted run.
    @Test func againstSurvivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        for sub in ["old", "new"] { try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true) }
        let old = try makeCorpus(in: dir + "/old", files: 2, documentsPerFile: 300, seed: 30)
        // The new dataset: fresh files plus one of the old ones, which the index then removes.
        let new = try makeCorpus(in: dir + "/new", files: 4, documentsPerFile: 300, seed: 31) + [old[1]]
        let winnow = try winnowExecutable()
        let index = try run(winnow, ["dedup", "index"] + old + ["--output", dir + "/index", "--method", "minhash"])
        #expect(index.status == 0, "\(index.stderr)")
        let spec = "minhash_dedup: {against: [\(dir)/index], bucket_tasks: 7}"
        try DedupStepTests.pipeline(inputs: new, output: dir + "/ref", run: spec).write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try DedupStepTests.pipeline(inputs: new, output: dir + "/out", run: spec).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        let phases = ["signatures", "buckets"] + (1...12).map { String(format: "labels-%02d", $0) } + ["components", "clusters", "filter"]
        // Since the dedup7 speed-ups its tasks last milliseconds: the kill follows a running task within 20 ms.
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: phases.map { dir + "/out/dedup/\($0)/_tmp" },
                                             doneMarker: dir + "/out/dedup/stats.json", seed: 17, attempts: 10,
                                             maxDelayMilliseconds: 20)
        #expect(landed >= 2, "only \(landed) kills landed inside a task")
        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let reference = try treeContents(dir + "/ref", excluding: DedupStepTests.isStats)
        let removed = try DedupStepTests.documents(dir + "/ref/dedup/excluded/minhash").values.filter { $0["minhash_index_match"] != nil }
        #expect(removed.count >= 250, "\(removed.count) documents removed by the index")
        #expect(try treeContents(dir + "/out", excluding: DedupStepTests.isStats) == reference)
    }
}
