import Foundation
import Testing
import WinnowTestSupport

/// The dedup steps end to end through `winnow run` and `winnow dedup`: the sample's planted duplicates
/// (Samples/truth, written when the sample was built, not by Winnow), the same files for 1, 2 and 4 workers,
/// and after `kill -9` inside tasks.
@Suite(.serialized) struct DedupStepTests {
    static func pipeline(inputs: [String], output: String, run: String) -> String {
        """
        output: \(output)
        steps:
          - name: dedup
            input: {paths: [\(inputs.joined(separator: ", "))]}
            run:
              \(run)
            writer: {compression: none}
        """
    }

    /// `id -> document` for every JSONL file under `directory`.
    static func documents(_ directory: String) throws -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        guard let e = FileManager.default.enumerator(atPath: directory) else { return result }
        while let relative = e.nextObject() as? String {
            guard relative.hasSuffix(".jsonl") else { continue }
            let text = try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                result[object["id"] as! String] = object
            }
        }
        return result
    }

    static func isStats(_ path: String) -> Bool { path.hasSuffix("stats.json") || path.contains("/stats/") }

    /// Every planted exact duplicate and every planted near duplicate with 5-gram Jaccard >= 0.8 is caught:
    /// of each pair at most one document stays, every removed document names a kept one, and each cluster
    /// keeps its first document (for keep: first).
    @Test func samplePlantedDuplicatesAreRemoved() throws {
        let dir = try temporaryDirectory()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        try Self.pipeline(inputs: [sample], output: dir + "/out", run: "minhash_dedup: {annotate: true}")
            .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let kept = try Self.documents(dir + "/out/dedup/documents")
        let removed = try Self.documents(dir + "/out/dedup/excluded/minhash")
        #expect(kept.count + removed.count == 449)
        let truth = try String(contentsOfFile: repositoryRoot + "/Samples/truth/jsonl.truth.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        var pairs = 0
        for t in truth {
            guard let kind = t["kind"] as? String, kind == "exact_dup" || kind == "near_dup",
                  let jaccard = t["jaccard_5gram"] as? Double, jaccard >= 0.8 else { continue }
            let a = t["id"] as! String, b = t["of"] as! String
            pairs += 1
            #expect(!(kept[a] != nil && kept[b] != nil), "planted \(kind) \(a) of \(b) (Jaccard \(jaccard)) was kept twice")
        }
        #expect(pairs >= 40)
        for (id, doc) in removed {
            let reason = doc["filter_reason"] as! String
            let keptId = String(reason.split(separator: " ").last!)
            #expect(reason.hasPrefix("duplicate of ") && kept[keptId] != nil, "\(id): \(reason)")
            // Kept: the cluster's first document, which is the cluster id; both members carry the cluster size.
            #expect(doc["minhash_cluster_id"] as? String == keptId)
            #expect(kept[keptId]?["minhash_cluster_id"] as? String == keptId)
            #expect((doc["minhash_cluster_size"] as? Int ?? 0) >= 2)
        }
        #expect(removed.count >= 45 && removed.count <= 60)
    }

    /// `jaccard_check: 0.8` drops MinHash's false positives: every clustered document then has a member of its
    /// cluster whose word 5-gram Jaccard with it (computed by Python, `\w+` lowercase words) is near 0.8 or more;
    /// without the check some sample cluster holds a pair near 0.5. Removals with the check are a subset.
    @Test func jaccardCheckRemovesFalsePositives() throws {
        let dir = try temporaryDirectory()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let script = """
        import json, glob, re, sys, collections
        docs = [json.loads(l) for p in glob.glob(sys.argv[1] + "/**/*.jsonl", recursive=True) for l in open(p)]
        def shingles(t):
            w = re.findall(r"\\w+", t.lower())
            return {tuple(w[i:i + 5]) for i in range(max(0, len(w) - 4))}
        clusters = collections.defaultdict(list)
        for d in docs:
            if "minhash_cluster_id" in d: clusters[d["minhash_cluster_id"]].append(shingles(d["text"]))
        worst = min(max(len(a & b) / max(1, len(a | b)) for j, b in enumerate(m) if j != i)
                    for m in clusters.values() for i, a in enumerate(m))
        print(worst)
        """
        var worst: [Double] = [], removed: [Set<String>] = []
        for spec in ["{annotate: true}", "{annotate: true, jaccard_check: 0.8}"] {
            try Self.pipeline(inputs: [sample], output: dir + "/out", run: "minhash_dedup: \(spec)")
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            worst.append(Double(try python(script, [dir + "/out/dedup"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1)
            removed.append(Set(try Self.documents(dir + "/out/dedup/excluded/minhash").keys))
            let stats = try String(contentsOfFile: dir + "/out/dedup/stats.json", encoding: .utf8)
            #expect(stats.contains("jaccard_rejected") == spec.contains("jaccard_check"))
            try FileManager.default.removeItem(atPath: dir + "/out")
        }
        #expect(worst[0] < 0.6, "without the check: \(worst[0])")
        #expect(worst[1] >= 0.75, "with the check: \(worst[1])")
        #expect(removed[1].isSubset(of: removed[0]) && removed[1].count < removed[0].count && removed[1].count >= 40)
    }

    /// The same files for 1, 2 and 4 workers and with or without spilled sorted runs, with duplicates within
    /// and across input files; the same documents for any number of cluster tasks and rounds.
    @Test func outputIsIdenticalForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        var inputs = try makeCorpus(in: dir + "/in", files: 3, documentsPerFile: 150, seed: 7)
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        for name in ["a", "b"] {
            try FileManager.default.copyItem(atPath: sample, toPath: dir + "/in/\(name).jsonl.zst")
            inputs.append(dir + "/in/\(name).jsonl.zst")
        }
        var trees: [[String: Data]] = []
        // 16KiB: every signatures task spills sorted runs; the last run (512MiB) spills none.
        for (workers, memory) in [(1, "16KiB"), (2, "16KiB"), (4, "16KiB"), (2, "512MiB")] {
            let out = dir + "/out\(workers)-\(memory)"
            try Self.pipeline(inputs: inputs, output: out, run: "minhash_dedup: {keep: longest, memory: \(memory), bucket_tasks: 5}")
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--workers", "\(workers)", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            let stats = try String(contentsOfFile: out + "/dedup/stats.json", encoding: .utf8)
            #expect(stats.contains("\"spilled_runs\": 0") == (memory == "512MiB"), "\(memory): \(stats)")
            trees.append(try treeContents(out, excluding: { Self.isStats($0) || $0.hasSuffix("step.json") }))
        }
        #expect(trees[0].keys.contains { $0.hasPrefix("dedup/excluded/minhash/") })
        #expect(trees[0] == trees[1])
        #expect(trees[0] == trees[2])
        #expect(trees[0] == trees[3])
        // Other partition counts and round limits (1 round: the union-find fallback) write the same documents.
        let kept = { (tree: [String: Data]) in tree.filter { $0.key.hasPrefix("dedup/documents/") || $0.key.hasPrefix("dedup/excluded/") } }
        for (tasks, rounds) in [(1, 1), (5, 2), (3, 9)] {
            let out = dir + "/out-c\(tasks)-r\(rounds)"
            try Self.pipeline(inputs: inputs, output: out,
                              run: "minhash_dedup: {keep: longest, bucket_tasks: 5, cluster_tasks: \(tasks), cluster_rounds: \(rounds)}")
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--workers", "2", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            let stats = try String(contentsOfFile: out + "/dedup/stats.json", encoding: .utf8)
            #expect(stats.contains("\"fallback\": \(rounds == 1 ? tasks : 0)"), "cluster_tasks \(tasks), cluster_rounds \(rounds): \(stats)")
            #expect(kept(try treeContents(out, excluding: { Self.isStats($0) || $0.hasSuffix("step.json") })) == kept(trees[0]),
                    "cluster_tasks \(tasks), cluster_rounds \(rounds)")
        }
        // Each sample document appears twice (a and b): at least one copy of every pair is removed.
        let removed = try Self.documents(dir + "/out1-16KiB/dedup/excluded/minhash")
        #expect(removed.count >= 449)
    }

    /// `kill -9` at seeded random moments inside tasks, then a rerun: the files of an uninterrupted run.
    @Test func survivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        var inputs = try makeCorpus(in: dir + "/in", files: 6, documentsPerFile: 300, seed: 21)
        inputs.append(repositoryRoot + "/Samples/sample-00000.jsonl.zst")
        let winnow = try winnowExecutable()
        let spec = "minhash_dedup: {bucket_tasks: 7}"
        try Self.pipeline(inputs: inputs, output: dir + "/ref", run: spec).write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try Self.pipeline(inputs: inputs, output: dir + "/out", run: spec).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        let phases = ["signatures", "buckets"] + (1...12).map { String(format: "labels-%02d", $0) } + ["components", "clusters", "filter"]
        let scratch = phases.map { dir + "/out/dedup/\($0)/_tmp" }
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: scratch,
                                             doneMarker: dir + "/out/dedup/stats.json", seed: 11)
        #expect(landed >= 3, "only \(landed) kills landed inside a task")
        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try treeContents(dir + "/out", excluding: Self.isStats) == treeContents(dir + "/ref", excluding: Self.isStats))
    }

    /// Lines of every JSONL file under `directory`.
    static func lineCount(_ directory: String) throws -> Int {
        guard let e = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var n = 0
        while let relative = e.nextObject() as? String {
            guard relative.hasSuffix(".jsonl") else { continue }
            n += try String(contentsOfFile: directory + "/" + relative, encoding: .utf8).split(separator: "\n").count
        }
        return n
    }

    /// Exact dedup over two copies of the sample keeps one document per distinct text, URL dedup one per
    /// distinct normalized URL; the distinct counts are computed by Python.
    @Test func exactAndURLDedup() throws {
        let dir = try temporaryDirectory()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let counts = try python("""
        import json, sys, zstandard
        from urllib.parse import urlsplit
        docs = [json.loads(l) for l in zstandard.ZstdDecompressor().decompressobj().decompress(open(sys.argv[1], 'rb').read()).decode().splitlines()]
        def norm(u):
            s = urlsplit(u.strip())
            host = s.netloc.lower()
            if s.scheme.lower() == 'http' and host.endswith(':80'): host = host[:-3]
            if s.scheme.lower() == 'https' and host.endswith(':443'): host = host[:-4]
            path = s.path or '/'
            return s.scheme.lower() + '://' + host + path + ('?' + s.query if s.query else '')
        texts = {d['text'] for d in docs if d['text']}
        urls = {norm(d['url']) for d in docs if d.get('url')}
        print(len(docs), len(texts), len(urls))
        """, [sample]).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        let winnow = try winnowExecutable()
        for copy in ["a", "b"] { try FileManager.default.copyItem(atPath: sample, toPath: dir + "/\(copy).jsonl.zst") }
        for (name, spec, distinct) in [("exact", "exact_dedup: {}", counts[1]), ("url", "url_dedup: {keep: longest}", counts[2])] {
            try Self.pipeline(inputs: [dir + "/a.jsonl.zst", dir + "/b.jsonl.zst"], output: dir + "/" + name, run: spec)
                .write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8)
            let result = try run(winnow, ["run", dir + "/\(name).yaml", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Self.lineCount(dir + "/\(name)/dedup/documents") == distinct, "\(name)")
            #expect(try Self.lineCount(dir + "/\(name)/dedup/excluded/\(name)") == 2 * counts[0] - distinct, "\(name)")
        }
    }

    /// `winnow dedup minhash` runs the same step: its documents/ and excluded/ hold what the pipeline step wrote.
    @Test func commandMatchesPipelineStep() throws {
        let dir = try temporaryDirectory()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let winnow = try winnowExecutable()
        try Self.pipeline(inputs: [sample], output: dir + "/run", run: "minhash_dedup: {}")
            .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/p.yaml", "-q"]).status == 0)
        let command = try run(winnow, ["dedup", "minhash", sample, "--output", dir + "/cli", "--workers", "2"])
        #expect(command.status == 0, "\(command.stderr)")
        #expect(command.stderr.contains("-> \(dir)/cli/documents"), "\(command.stderr)")
        #expect(try documentsWithPython(dir + "/cli/documents") == documentsWithPython(dir + "/run/dedup/documents"))
        #expect(try documentsWithPython(dir + "/cli/excluded") == documentsWithPython(dir + "/run/dedup/excluded"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/cli/.winnow-run"))
        // The clustering and Jaccard-check options reach the step: the same documents as its YAML parameters.
        try Self.pipeline(inputs: [sample], output: dir + "/run-j", run: "minhash_dedup: {jaccard_check: 0.8}")
            .write(toFile: dir + "/pj.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/pj.yaml", "-q"]).status == 0)
        let checked = try run(winnow, ["dedup", "minhash", sample, "--output", dir + "/cli-j", "--jaccard-check", "0.8",
                                       "--cluster-tasks", "3", "--cluster-rounds", "2"])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(try documentsWithPython(dir + "/cli-j/documents") == documentsWithPython(dir + "/run-j/dedup/documents"))
        #expect(try documentsWithPython(dir + "/cli-j/documents") != documentsWithPython(dir + "/cli/documents"))
    }

    /// A bad option value is reported as the option a person typed, not as a parameter given "in code".
    @Test func commandErrorsNameTheOption() throws {
        let dir = try temporaryDirectory()
        let winnow = try winnowExecutable()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let threshold = try run(winnow, ["dedup", "minhash", sample, "--output", dir + "/a", "--threshold", "2"])
        #expect(threshold.status != 0)
        #expect(threshold.stderr.contains("command line (--threshold): stage 'minhash_dedup': threshold must be between 0 and 1"),
                "\(threshold.stderr)")
        let spans = try run(winnow, ["dedup", "sentences", sample, "--output", dir + "/b", "--n-sentences", "0"])
        #expect(spans.status != 0)
        #expect(spans.stderr.contains("command line (--n-sentences):"), "\(spans.stderr)")
        #expect(!threshold.stderr.contains("<code>") && !spans.stderr.contains("<code>"))
        let evalSet = try run(winnow, ["dedup", "decontaminate", sample, "--output", dir + "/c", "--eval-set", dir + "/missing.jsonl"])
        #expect(evalSet.status != 0)
        #expect(evalSet.stderr.contains("command line (--eval-set): stage 'decontaminate': cannot read the evaluation sets"), "\(evalSet.stderr)")
    }

    /// One-stage commands (`winnow filter`, `winnow dedup decontaminate`) keep the records they could not read in
    /// `DIR/problems/00000.jsonl` (file, offset, reason), say how many, and a rerun replaces that list.
    @Test func oneStageCommandsKeepInputProblems() throws {
        let dir = try temporaryDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Samples/sample-00000.jsonl.zst"))
        try whole.prefix(30_000).write(to: URL(fileURLWithPath: dir + "/cut.jsonl.zst"))
        let winnow = try winnowExecutable()
        let commands = [["filter", "length", dir + "/cut.jsonl.zst", "--output", dir + "/f", "--param", "min_chars=10"],
                        ["dedup", "decontaminate", dir + "/cut.jsonl.zst", "--output", dir + "/d",
                         "--eval-set", repositoryRoot + "/Samples/eval-example.jsonl"]]
        for arguments in commands + commands {  // twice: the rerun's list replaces the first one
            let command = try run(winnow, arguments)
            #expect(command.status == 0, "\(command.stderr)")
            let output = arguments[arguments.firstIndex(of: "--output")! + 1]
            #expect(command.stderr.contains("warning: 1 input problems (unreadable records, skipped) are listed in \(output)/problems/"),
                    "\(command.stderr)")
            let lines = try String(contentsOfFile: output + "/problems/00000.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("\"reason\":\"truncated_stream\"") == true && lines.first?.contains("cut.jsonl.zst") == true,
                    "\(lines)")
        }
    }

    /// A truncated input: the command keeps what the phases recorded about it in `DIR/problems/`.
    @Test func commandKeepsInputProblems() throws {
        let dir = try temporaryDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Samples/sample-00000.jsonl.zst"))
        try whole.prefix(30_000).write(to: URL(fileURLWithPath: dir + "/cut.jsonl.zst"))
        let command = try run(try winnowExecutable(), ["dedup", "exact", dir + "/cut.jsonl.zst", "--output", dir + "/out"])
        #expect(command.status == 0, "\(command.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/out/problems").sorted()
        #expect(!names.isEmpty)
        let text = try names.map { try String(contentsOfFile: dir + "/out/problems/" + $0, encoding: .utf8) }.joined()
        #expect(text.contains("\"truncated_stream\"") && text.contains("cut.jsonl.zst"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/.winnow-run"))
    }

    /// The filter copies an unchanged document's input line only when it is exactly what encoding the
    /// document writes: every kind of line the reader normalizes or repairs comes out as the hand-written
    /// encoding below, for the kept and the excluded documents, with 1 and 2 workers.
    @Test func filterWritesTheEncodingOfEveryLine() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/in.jsonl"
        // (input line, expected documents/ line or nil when excluded)
        let cases: [([UInt8], String?)] = [
            (Array(#"{"id":"a","text":"plain line","url":"u1"}"#.utf8), #"{"id":"a","text":"plain line","url":"u1"}"#),
            (Array(#"{"id": "b", "text": "spaces"}"#.utf8), #"{"id":"b","text":"spaces"}"#),
            (Array(#"{"text":"key order","id":"c"}"#.utf8), #"{"id":"c","text":"key order"}"#),
            (Array(#"{"id":"d","text":"slash \/ escaped"}"#.utf8), #"{"id":"d","text":"slash / escaped"}"#),
            (Array(#"{"id":"e","text":"caf\u00e9"}"#.utf8), #"{"id":"e","text":"café"}"#),
            (Array(#"{"id":"f","text":"bad "#.utf8) + [0xFF] + Array(#" byte"}"#.utf8), "{\"id\":\"f\",\"text\":\"bad \u{FFFD} byte\"}"),
            ([0xEF, 0xBB, 0xBF] + Array(#"{"id":"g","text":"bom"}"#.utf8), #"{"id":"g","text":"bom"}"#),
            (Array("{\"id\":\"h\",\"text\":\"crlf\"}\r".utf8), #"{"id":"h","text":"crlf"}"#),
            (Array(#"{"text":"no id"}"#.utf8), "{\"id\":\"\(path)/8\",\"text\":\"no id\"}"),
            (Array(#"{"id":"i","text":"tab\tnew\nline \"q\" \\ \b\f"}"#.utf8), #"{"id":"i","text":"tab\tnew\nline \"q\" \\ \b\f"}"#),
            (Array(#"{"id":"j","text":"control \u0001"}"#.utf8), #"{"id":"j","text":"control \u0001"}"#),
            (Array(#"{"id":"k","text":"first","text":"duplicate key"}"#.utf8), #"{"id":"k","text":"duplicate key"}"#),
            (Array(#"{"id":"l","text":"numbers","n":1.50,"o":{"x":[1, 2]}}"#.utf8), #"{"id":"l","text":"numbers","n":1.50,"o":{"x":[1,2]}}"#),
            (Array(#"{"id":"m","text":"plain line","url":"u2"}"#.utf8), nil),
        ]
        try Data(cases.map(\.0).joined(separator: [0x0A])).write(to: URL(fileURLWithPath: path))
        let winnow = try winnowExecutable()
        for workers in ["1", "2"] {
            let output = dir + "/out-" + workers
            try Self.pipeline(inputs: [path], output: output, run: "exact_dedup: {}")
                .write(toFile: output + ".yaml", atomically: true, encoding: .utf8)
            let result = try run(winnow, ["run", output + ".yaml", "--workers", workers, "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            let kept = try String(contentsOfFile: output + "/dedup/documents/00000.jsonl", encoding: .utf8)
            #expect(kept == cases.compactMap(\.1).map { $0 + "\n" }.joined())
            let excluded = try String(contentsOfFile: output + "/dedup/excluded/exact/00000.jsonl", encoding: .utf8)
            #expect(excluded == #"{"id":"m","text":"plain line","url":"u2","filter":"exact","filter_reason":"duplicate of a"}"# + "\n")
        }
    }
}
