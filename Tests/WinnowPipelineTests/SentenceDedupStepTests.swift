import Foundation
import Testing
import WinnowTestSupport

/// Whether datatrove's SentenceDedup can run here (datatrove 0.10.1 without its dependencies, plus the ones
/// SentenceDedup imports).
let datatroveSentenceDedupAvailable: Bool = {
    (try? python("from datatrove.pipeline.dedup.sentence_dedup import SentenceDedupFilter; import xxhash, spacy")) != nil
}()

/// `sentence_dedup` end to end: a hand-worked fixture in three scripts, datatrove's SentenceDedup on the same
/// input, the same files for 1, 2 and 4 workers, and after `kill -9` inside tasks.
@Suite(.serialized) struct SentenceDedupStepTests {
    static func write(_ documents: [[String: String]], to path: String) throws {
        let lines = try documents.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func runStep(_ spec: String, input: String, output: String, workers: Int = 2) throws {
        try DedupStepTests.pipeline(inputs: [input], output: output, run: spec)
            .write(toFile: output + ".yaml", atomically: true, encoding: .utf8)
        let result = try WinnowTestSupport.run(try winnowExecutable(), ["run", output + ".yaml", "--workers", "\(workers)", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    static let fixture: [[String: String]] = [
        ["id": "e1", "text": "Alpha is first. Beta is second. Gamma is third. Delta is fourth."],
        ["id": "e2", "text": "Intro here. Alpha is first. Beta is second. Gamma is third. Outro here."],
        ["id": "r1", "text": "Кошка спит. Собака лает. Птица поёт. Рыба молчит.", "language": "ru"],
        ["id": "r2", "text": "Кошка спит. Собака лает. Птица поёт. Конец.", "language": "ru"],
        ["id": "z1", "text": "今天天气很好。我们去公园散步。公园里有很多人。", "language": "zh"],
        ["id": "z2", "text": "开始。今天天气很好。我们去公园散步。公园里有很多人。", "language": "zh"],
        // Case and punctuation differ: the simplified sentences are the same.
        ["id": "e3", "text": "ALPHA is first! Beta, is second. Gamma is third. Omega."],
        // A span repeated inside one document: the second copy goes.
        ["id": "e4", "text": "Same one. Same two. Same three. Same one. Same two. Same three."],
    ]

    /// Worked by hand: each later copy of a 3-sentence span is cut (English by spaCy's rules, Russian and
    /// Chinese by ICU sentence breaks, chosen by metadata.language), the first copy stays.
    @Test func handWorkedFixtureInThreeScripts() throws {
        let dir = try temporaryDirectory()
        try Self.write(Self.fixture, to: dir + "/in.jsonl")
        try Self.runStep("sentence_dedup: {min_words: 0, min_sentences: 0, annotate: true, dups_tasks: 2}", input: dir + "/in.jsonl", output: dir + "/out")
        let kept = try DedupStepTests.documents(dir + "/out/dedup/documents")
        let expected = [
            "e1": "Alpha is first. Beta is second. Gamma is third. Delta is fourth.",
            "e2": "Intro here. Outro here.",
            "r1": "Кошка спит. Собака лает. Птица поёт. Рыба молчит.",
            "r2": "Конец.",
            "z1": "今天天气很好。我们去公园散步。公园里有很多人。",
            "z2": "开始。",
            "e3": "Omega.",
            "e4": "Same one. Same two. Same three.",
        ]
        #expect(kept.mapValues { $0["text"] as! String } == expected)
        #expect(kept["e2"]?["sentence_dedup_removed"] as? [String] == ["Alpha is first. Beta is second. Gamma is third."])
        #expect(kept["z2"]?["sentence_dedup_removed"] as? [String] == ["今天天气很好。我们去公园散步。公园里有很多人。"])
        #expect(kept["e1"]?["sentence_dedup_removed"] == nil)
        let stats = try String(contentsOfFile: dir + "/out/dedup/stats.json", encoding: .utf8)
        #expect(stats.contains("\"removed_spans\": 5") && stats.contains("\"removed_sentences\": 15"), "\(stats)")

        // With datatrove's defaults (50 words, 3 sentences), every changed document is too short and goes to
        // excluded/ with its original text; the unchanged ones stay.
        try Self.runStep("sentence_dedup: {}", input: dir + "/in.jsonl", output: dir + "/defaults")
        let keptByDefault = try DedupStepTests.documents(dir + "/defaults/dedup/documents")
        let excluded = try DedupStepTests.documents(dir + "/defaults/dedup/excluded/sentence_dedup")
        #expect(Set(keptByDefault.keys) == ["e1", "r1", "z1"])
        #expect(Set(excluded.keys) == ["e2", "r2", "z2", "e3", "e4"])
        #expect(excluded["e2"]?["text"] as? String == Self.fixture[1]["text"])
        #expect((excluded["e2"]?["filter_reason"] as? String ?? "").contains("min_words 50"))
    }

    /// The same kept documents and texts as datatrove 0.10.1's SentenceDedup (spaCy English rules for every
    /// document, as datatrove's default language) on the sample set plus 300 documents stitched from runs of
    /// its lines (seeded), so spans repeat at every offset, across scripts and line breaks.
    @Test(.enabled(if: datatroveSentenceDedupAvailable || referenceRequired,
                   "needs datatrove 0.10.1 (pip install --no-deps datatrove==0.10.1) with spacy, xxhash, numpy, loguru, fsspec, tqdm, humanize, dill, multiprocess"))
    func sameRemovalsAsDatatrove() throws {
        let dir = try temporaryDirectory()
        try Self.stitchedSample(to: dir + "/in.jsonl")
        let reference = try python(try String(contentsOfFile: repositoryRoot + "/Tests/WinnowDedupTests/Fixtures/sentence_dedup_reference.py", encoding: .utf8),
                                   [dir + "/in.jsonl"])
        var expected: [String: String] = [:]
        for line in reference.split(separator: "\n") {
            let d = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
            expected[d["id"]!] = d["text"]!
        }
        try Self.runStep("sentence_dedup: {sentence_splitter: spacy, language_from_metadata: false}", input: dir + "/in.jsonl", output: dir + "/out")
        let kept = try DedupStepTests.documents(dir + "/out/dedup/documents").mapValues { $0["text"] as! String }
        #expect(expected.count > 500 && expected.count < 749, "datatrove kept \(expected.count) of 749")
        #expect(Set(kept.keys) == Set(expected.keys))
        for (id, text) in expected where kept[id] != text {
            Issue.record("\(id): datatrove kept \(text.debugDescription), winnow \(kept[id]?.debugDescription ?? "nothing")")
        }
    }

    /// The sample set plus 300 documents stitched from runs of its lines (seeded), so spans and lines repeat at
    /// every offset, across scripts; then `extra` documents.
    static func stitchedSample(to path: String, extra: [[String: String]] = []) throws {
        _ = try python("""
        import json, random, sys, zstandard
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(open(sys.argv[1], 'rb').read())
        docs = [json.loads(l) for l in raw.decode('utf-8').splitlines()]
        docs = [{'id': d['id'], 'text': d['text']} for d in docs]
        rng = random.Random(5)
        out = list(docs)
        for i in range(300):
            parts = []
            for _ in range(rng.randint(2, 6)):
                lines = rng.choice(docs)['text'].split('\\n')
                a = rng.randrange(len(lines))
                parts.append('\\n'.join(lines[a:a + rng.randint(1, 8)]))
            out.append({'id': f'g{i}', 'text': rng.choice(['\\n', ' ', '\\n\\n']).join(parts)})
        out += json.loads(sys.argv[3])
        with open(sys.argv[2], 'w', encoding='utf-8') as f:
            for d in out: f.write(json.dumps(d, ensure_ascii=False) + '\\n')
        """, [repositoryRoot + "/Samples/sample-00000.jsonl.zst", path,
              String(decoding: try JSONSerialization.data(withJSONObject: extra), as: UTF8.self)])
    }

    /// Three files of documents drawn from English, Russian and Chinese sentence pools (seeded), the sentences
    /// joined by `separator`, with a broken line each.
    static func corpus(in directory: String, seed: Int, separator: String = " ") throws -> [String] {
        _ = try python("""
        import json, random, sys
        d, seed = sys.argv[1], int(sys.argv[2])
        rng = random.Random(seed)
        pools = {
            'en': [f'Sentence number {i} talks about {w}.' for i, w in enumerate(['rivers', 'cats', 'markets', 'bridges', 'snow', 'wine', 'schools', 'trains'] * 4)],
            'ru': [f'Предложение {i} рассказывает про {w}.' for i, w in enumerate(['реки', 'кошек', 'рынки', 'мосты', 'снег'] * 5)],
            'zh': [f'第{i}句话讲的是{w}。' for i, w in enumerate(['河流', '猫', '市场', '桥', '雪'] * 5)],
        }
        for f in range(3):
            with open(f'{d}/part-{f}.jsonl', 'w', encoding='utf-8') as out:
                for i in range(200):
                    lang = rng.choice(sorted(pools))
                    text = sys.argv[3].join(rng.choice(pools[lang]) for _ in range(rng.randint(2, 14)))
                    out.write(json.dumps({'id': f'f{f}-{i}', 'text': text, 'language': lang}, ensure_ascii=False) + '\\n')
                    if i == 100: out.write('{"id": "broken", "text": \\n')
        """, [directory, String(seed), separator])
        return (0..<3).map { "\(directory)/part-\($0).jsonl" }
    }

    /// The same files for 1, 2 and 4 workers and with or without spilled sorted runs.
    @Test func outputIsIdenticalForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let inputs = try Self.corpus(in: dir + "/in", seed: 3)
        var trees: [[String: Data]] = []
        for (workers, memory) in [(1, "16KiB"), (2, "16KiB"), (4, "16KiB"), (2, "512MiB")] {
            let out = dir + "/out\(workers)-\(memory)"
            try DedupStepTests.pipeline(inputs: inputs, output: out,
                                        run: "sentence_dedup: {memory: \(memory), dups_tasks: 3, min_words: 5, annotate: true}")
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--workers", "\(workers)", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            let stats = try String(contentsOfFile: out + "/dedup/stats.json", encoding: .utf8)
            #expect(stats.contains("\"spilled_runs\": 0") == (memory == "512MiB"), "\(memory): \(stats)")
            trees.append(try treeContents(out, excluding: { DedupStepTests.isStats($0) || $0.hasSuffix("step.json") }))
        }
        #expect(trees[0].keys.contains { $0.hasPrefix("dedup/excluded/sentence_dedup/") })
        #expect(trees[0].keys.contains { $0.hasPrefix("dedup/filter/problems/") })
        #expect(trees[0] == trees[1])
        #expect(trees[0] == trees[2])
        #expect(trees[0] == trees[3])
    }

    /// `kill -9` at seeded random moments inside tasks, then a rerun: the files of an uninterrupted run.
    @Test func survivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let inputs = try Self.corpus(in: dir + "/in", seed: 9)
        let winnow = try winnowExecutable()
        let spec = "sentence_dedup: {dups_tasks: 5, min_words: 5}"
        try DedupStepTests.pipeline(inputs: inputs, output: dir + "/ref", run: spec).write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try DedupStepTests.pipeline(inputs: inputs, output: dir + "/out", run: spec).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        let scratch = ["hashes", "dups", "filter"].map { dir + "/out/dedup/\($0)/_tmp" }
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: scratch,
                                             doneMarker: dir + "/out/dedup/stats.json", seed: 13,
                                             maxDelayMilliseconds: 25)  // the whole step takes well under a second
        #expect(landed >= 2, "only \(landed) kills landed inside a task")
        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try treeContents(dir + "/out", excluding: DedupStepTests.isStats) == treeContents(dir + "/ref", excluding: DedupStepTests.isStats))
    }
}
