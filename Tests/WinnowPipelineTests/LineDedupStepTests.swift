import Foundation
import Testing
import WinnowTestSupport

/// `line_dedup` end to end: the same kept texts as an independent Python reference written from CCNet's
/// definitions (Tests/WinnowDedupTests/Fixtures/line_dedup_reference.py), paragraphs worked by hand, and the
/// same files for 1, 2 and 4 workers.
@Suite(.serialized) struct LineDedupStepTests {
    /// Lines that normalize alike only under CCNet's rules: fullwidth and Arabic-Indic digits, CJK punctuation,
    /// case; accents and ASCII punctuation still count.
    static let tricky: [[String: String]] = [
        ["id": "t1", "text": "Price: １２３ ％ — ok\nÜnïcode café\nTotal ٣٤ items。\nline with\u{7}bell"],
        ["id": "t2", "text": "PRICE: 456 ％ — OK\nunicode cafe\nTOTAL 99 ITEMS\nline withbell"],
        ["id": "t3", "text": "Ünïcode CAFÉ\nprice: 000 ok!\n\n\nTotal 12 items"],
    ]

    static func keptTexts(_ directory: String) throws -> [String: String] {
        try DedupStepTests.documents(directory).mapValues { $0["text"] as! String }
    }

    static func reference(_ input: String, _ arguments: [String]) throws -> [String: String] {
        let script = try String(contentsOfFile: repositoryRoot + "/Tests/WinnowDedupTests/Fixtures/line_dedup_reference.py", encoding: .utf8)
        var result: [String: String] = [:]
        for line in try python(script, [input] + arguments).split(separator: "\n") {
            let d = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
            result[d["id"]!] = d["text"]!
        }
        return result
    }

    @Test func sameRemovalsAsCCNetReference() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.stitchedSample(to: dir + "/in.jsonl", extra: Self.tricky)
        for (spec, arguments) in [("{}", ["1"]), ("{min_line_length: 0}", ["0"]), ("{max_documents: 3, dups_tasks: 3}", ["1", "3"])] {
            let out = dir + "/out\(arguments.joined())"
            try SentenceDedupStepTests.runStep("line_dedup: \(spec)", input: dir + "/in.jsonl", output: out)
            let expected = try Self.reference(dir + "/in.jsonl", arguments)
            let kept = try Self.keptTexts(out + "/dedup/documents")
            #expect(expected.count > 400 && expected.count < 752, "\(spec): the reference kept \(expected.count) of 752")
            #expect(Set(kept.keys) == Set(expected.keys), "\(spec)")
            for (id, text) in expected where kept[id] != text {
                Issue.record("\(spec) \(id): reference \(text.debugDescription), winnow \(kept[id]?.debugDescription ?? "nothing")")
            }
        }
        // Worked by hand for the tricky lines (keep first, blank lines left alone). t1 normalizes to "price: 000   ok",
        // "ünïcode café", "total 00 items", "line withbell" (the bell is removed). t2: its price, total and bell
        // lines are the same after normalization and go; "unicode cafe" stays (accents count). t3: "Ünïcode
        // CAFÉ" and "Total 12 items" go, "price: 000 ok!" stays (ASCII "!" counts), and so do the blank lines.
        let kept = try Self.keptTexts(dir + "/out1/dedup/documents")
        #expect(kept["t2"] == "unicode cafe")
        #expect(kept["t3"] == "price: 000 ok!\n\n")
    }

    /// Paragraphs, by hand: a run of non-blank lines with the blank lines after it is one unit.
    @Test func paragraphs() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.write([
            ["id": "p1", "text": "Intro line\n\nShared one\nShared two\n\nEnd of first"],
            ["id": "p2", "text": "Other intro\n\nSHARED ONE\nShared two\n\n\nEnd of second"],
            ["id": "p3", "text": "Shared one\n\nShared two\nno match"],
        ], to: dir + "/in.jsonl")
        try SentenceDedupStepTests.runStep("line_dedup: {unit: paragraph, annotate: true}", input: dir + "/in.jsonl", output: dir + "/out")
        let kept = try DedupStepTests.documents(dir + "/out/dedup/documents")
        #expect(kept["p1"]?["text"] as? String == "Intro line\n\nShared one\nShared two\n\nEnd of first")
        #expect(kept["p2"]?["text"] as? String == "Other intro\n\nEnd of second")
        #expect(kept["p2"]?["line_dedup_removed"] as? [String] == ["SHARED ONE\nShared two"])
        // "Shared one" alone and "Shared two\nno match" are other paragraphs.
        #expect(kept["p3"]?["text"] as? String == "Shared one\n\nShared two\nno match")
    }

    /// The same files for 1, 2 and 4 workers and with or without spilled sorted runs.
    @Test func outputIsIdenticalForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let inputs = try SentenceDedupStepTests.corpus(in: dir + "/in", seed: 4, separator: "\n")
        var trees: [[String: Data]] = []
        for (workers, memory) in [(1, "16KiB"), (2, "16KiB"), (4, "16KiB"), (2, "512MiB")] {
            let out = dir + "/out\(workers)-\(memory)"
            // One sentence per line.
            try DedupStepTests.pipeline(inputs: inputs, output: out,
                                        run: "line_dedup: {memory: \(memory), dups_tasks: 3, max_documents: 2, annotate: true}")
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--workers", "\(workers)", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            trees.append(try treeContents(out, excluding: { DedupStepTests.isStats($0) || $0.hasSuffix("step.json") }))
        }
        #expect(trees[0].keys.contains { $0.hasPrefix("dedup/excluded/line_dedup/") })
        #expect(trees[0] == trees[1])
        #expect(trees[0] == trees[2])
        #expect(trees[0] == trees[3])
    }

    /// `Pipelines/ccnet-like.yaml` runs on the sample: lines were removed, and every quality document has a
    /// language and a CCNet bucket.
    @Test func ccnetLikeRecipe() throws {
        let dir = try temporaryDirectory()
        let result = try run(try winnowExecutable(), ["run", "Pipelines/ccnet-like.yaml", "--output", dir + "/out", "-q"], cwd: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let stats = try String(contentsOfFile: dir + "/out/lines/stats.json", encoding: .utf8)
        #expect(stats.contains("\"removed_lines\""), "\(stats)")
        // (documents, documents with a language and a head/middle/tail bucket), read by Python.
        let counts = try python("""
        import glob, json, sys, zstandard
        n = good = 0
        for p in glob.glob(sys.argv[1] + '/*.jsonl.zst'):
            for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).decode().splitlines():
                d = json.loads(line)
                n += 1
                good += isinstance(d.get('language'), str) and d.get('bucket') in ('head', 'middle', 'tail')
        print(n, good)
        """, [dir + "/out/quality/documents"]).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2 && counts[0]! > 300 && counts[0] == counts[1], "\(counts)")
    }

    /// A new dataset deduplicated against the index of an older one: the reference removes every line the old
    /// dataset has (first occurrences too), then dedups the rest keeping first occurrences. The old dataset is
    /// the first 300 documents of the stitched sample, the new one the rest; 5 dups tasks make each read the
    /// index from the middle of the file.
    @Test func againstAnIndexOfAnotherDataset() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.stitchedSample(to: dir + "/all.jsonl", extra: Self.tricky)
        let all = try String(contentsOfFile: dir + "/all.jsonl", encoding: .utf8).split(separator: "\n")
        try (all.prefix(300).joined(separator: "\n") + "\n").write(toFile: dir + "/old.jsonl", atomically: true, encoding: .utf8)
        try (all.dropFirst(300).joined(separator: "\n") + "\n").write(toFile: dir + "/new.jsonl", atomically: true, encoding: .utf8)
        let winnow = try winnowExecutable()
        let index = try run(winnow, ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/index", "--method", "lines"])
        #expect(index.status == 0, "\(index.stderr)")
        try SentenceDedupStepTests.runStep("line_dedup: {against: [\(dir)/index], dups_tasks: 5}", input: dir + "/new.jsonl", output: dir + "/out")
        let expected = try Self.reference(dir + "/new.jsonl", ["1", "--against", dir + "/old.jsonl"])
        let kept = try Self.keptTexts(dir + "/out/dedup/documents")
        #expect(Set(kept.keys) == Set(expected.keys))
        for (id, text) in expected where kept[id] != text {
            Issue.record("\(id): reference \(text.debugDescription), winnow \(kept[id]?.debugDescription ?? "nothing")")
        }
        let stats = try String(contentsOfFile: dir + "/out/dedup/stats.json", encoding: .utf8)
        #expect(stats.contains("hashes_in_index"), "\(stats)")
        // An index built with other hashing parameters is refused, naming both.
        let refused = try run(winnow, ["dedup", "lines", dir + "/new.jsonl", "--output", dir + "/refused", "--against", dir + "/index",
                                       "--min-line-length", "0"])
        #expect(refused.status != 0 && refused.stderr.contains("min_line_length=1") && refused.stderr.contains("min_line_length=0"), "\(refused.stderr)")
    }

    /// Sentence spans against an index: a 3-sentence span of the old dataset goes from the new one even at its
    /// first occurrence there.
    @Test func sentenceSpansAgainstAnIndex() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.write([["id": "old", "text": "Alpha is first. Beta is second. Gamma is third. Delta is fourth."]], to: dir + "/old.jsonl")
        try SentenceDedupStepTests.write([
            ["id": "n1", "text": "New start. Beta is second. Gamma is third. Delta is fourth. New end."],
            ["id": "n2", "text": "Other one. Two here. Three here. Other one. Two here. Three here."],
        ], to: dir + "/new.jsonl")
        let index = try run(try winnowExecutable(), ["dedup", "index", dir + "/old.jsonl", "--output", dir + "/index", "--method", "sentences"])
        #expect(index.status == 0, "\(index.stderr)")
        try SentenceDedupStepTests.runStep("sentence_dedup: {against: [\(dir)/index], min_words: 0, min_sentences: 0}", input: dir + "/new.jsonl", output: dir + "/out")
        let kept = try Self.keptTexts(dir + "/out/dedup/documents")
        #expect(kept == ["n1": "New start. New end.", "n2": "Other one. Two here. Three here."])
        // n1's spans came from the old document (record 0 of old.jsonl); n2 lost a repeat of its own, no index match.
        let documents = try DedupStepTests.documents(dir + "/out/dedup/documents")
        let matches = documents["n1"]?["sentence_dedup_index_matches"] as? [[String: Any]]
        #expect(matches?.count == 1 && matches?[0]["id"] as? String == "old" && matches?[0]["record"] as? Int == 0
                && matches?[0]["file"] as? String == dir + "/old.jsonl", "\(documents["n1"] ?? [:])")
        #expect(documents["n2"]?["sentence_dedup_index_matches"] == nil)
    }

    /// `Pipelines/decontaminate.yaml`: the one sample document holding the planted question's 13-word run (Python
    /// finds it by the run's text) is the one excluded, naming the item.
    @Test func decontaminateRecipe() throws {
        let dir = try temporaryDirectory()
        let result = try run(try winnowExecutable(), ["run", "Pipelines/decontaminate.yaml", "--output", dir + "/out", "-q"], cwd: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let found = try python("""
        import glob, json, sys, zstandard
        def docs(pattern):
            for p in glob.glob(pattern, recursive=True):
                for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).decode().splitlines():
                    yield json.loads(line)
        run = 'the manual for your printer will usually provide detailed instructions on how to'
        planted = sorted(d['id'] for d in docs(sys.argv[1]) if run in ' '.join(d['text'].lower().split()))
        excluded = sorted((d['id'], d['filter_reason']) for d in docs(sys.argv[2] + '/**/*.jsonl.zst'))
        print(json.dumps([planted, excluded]))
        """, [repositoryRoot + "/Samples/sample-00000.jsonl.zst", dir + "/out/clean/excluded"])
        let parsed = try JSONSerialization.jsonObject(with: Data(found.utf8)) as! [[Any]]
        let planted = parsed[0] as! [String], excluded = parsed[1] as! [[String]]
        #expect(planted.count == 1)
        #expect(excluded.map { $0[0] } == planted)
        #expect(excluded.first?[1].contains("of eval-example item planted-1 at character") == true, "\(excluded)")
    }
}
