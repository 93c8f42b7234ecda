import Foundation
import Testing
import WinnowCore
import WinnowTestSupport
@testable import WinnowDedup

/// Whether datatrove's n-gram decontamination can run here (datatrove 0.10.1 without its dependencies, plus
/// the ones its filter imports).
let datatroveDecontAvailable: Bool = {
    (try? python("from datatrove.pipeline.decont.n_grams import NGramsDecontFilter; import xxhash, spacy, numpy")) != nil
}()

/// `decontaminate` with `words: datatrove`: datatrove's NGramsDecontFilter n-grams (simplify_text, then
/// spaCy's English word rules), worked by hand where they differ from the default words, and checked against
/// datatrove itself.
@Suite struct DecontaminationDatatroveTests {
    static func stage(words: String, items: [String]) throws -> any DocumentStage {
        let dir = try temporaryDirectory()
        try items.joined(separator: "\n").write(toFile: dir + "/eval.txt", atomically: true, encoding: .utf8)
        let p: [String: JSONValue] = ["eval_sets": .array([.string(dir + "/eval.txt")]), "ngram_size": .number(JSONNumber(12)),
                                      "words": .string(words)]
        return try DecontaminationStage.factory(parameters: StageParameters(stageName: "decontaminate", p)).make()
    }

    static func excluded(_ stage: inout any DocumentStage, _ text: String) -> Bool {
        var doc = Document(id: "d", text: text)
        var stats = StageStats(name: "decontaminate")
        if case .exclude = stage.process(&doc, stats: &stats) { return true }
        return false
    }

    /// "3.14" is one token for datatrove (simplify_text turns a digit run with one separator into "0") and two
    /// words by default; spaCy splits "cannot" into "can" "not". Both items are 12 words in one of the modes
    /// and 13 in the other, so one extra or missing word decides.
    @Test func numbersAndContractionsAsDatatroveSplitsThem() throws {
        let items = ["pi is about 3.14 so the area of a unit circle is",          // datatrove: 12 tokens; words: 13
                     "you cannot open the file when it is locked by another user"] // words: 12; datatrove: 13 tokens
        var datatrove = try Self.stage(words: "datatrove", items: items)
        var words = try Self.stage(words: "words", items: items)
        let dotted = "We know pi is about 3.14 so the area of a unit circle is easy."
        let spaced = "We know pi is about 3 14 so the area of a unit circle is easy."
        let split = "Sorry, you can not open the file when it is locked by another user."
        let joined = "Sorry: YOU CANNOT open the file, when it is locked by another user!"
        #expect(Self.excluded(&datatrove, dotted) && Self.excluded(&words, dotted))
        #expect(!Self.excluded(&datatrove, spaced))  // "0 0" is not "0"
        #expect(Self.excluded(&words, spaced))       // "3" "14" as "3.14": 0 0
        #expect(Self.excluded(&datatrove, split))    // "can not" as spaCy's "cannot"
        #expect(!Self.excluded(&words, split))
        #expect(Self.excluded(&datatrove, joined) && Self.excluded(&words, joined))
    }

    /// Worked by hand: the reason names the first matched 12-gram as the document spells it and its character
    /// position (the words are found by hashes alone first, their positions only up to that match).
    @Test func dropReasonNamesTheFirstMatchAndItsPosition() throws {
        var stage = try Self.stage(words: "datatrove", items: ["you cannot open the file when it is locked by another user of it"])
        // The item is 15 tokens ("cannot": "can" "not"), so 4 of its 12-grams can match; the first starts at
        // "You", character 24 (byte 25: "é" is 2 bytes).
        var doc = Document(id: "d", text: "Intro: some words heré. You CANNOT open the file, when it is locked by another user of it! More text.")
        var stats = StageStats(name: "decontaminate")
        let decision = stage.process(&doc, stats: &stats)
        #expect(decision == .exclude(reason: "12-gram \"You CANNOT open the file, when it is locked by another\" of eval item 1 at character 24"))
        #expect(doc.metadata["decontaminate_position"] == .number(JSONNumber(24)))
        #expect(stats.counters["matched_ngrams"] == 1)
    }

    /// The command line with `--words datatrove --ngram-size 12 --compression none` (as the benchmark runs it,
    /// uncompressed output like datatrove's there): plain JSONL files, the contaminated document excluded.
    @Test func fromTheCommandLineUncompressed() throws {
        let dir = try temporaryDirectory()
        try "you cannot open the file when it is locked by another user of it\n".write(toFile: dir + "/eval.txt", atomically: true, encoding: .utf8)
        let docs = [#"{"id":"hit","text":"Sorry: YOU CANNOT open the file, when it is locked by another user!"}"#,
                    #"{"id":"clean","text":"Nothing to see here."}"#]
        try (docs.joined(separator: "\n") + "\n").write(toFile: dir + "/train.jsonl", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["dedup", "decontaminate", dir + "/train.jsonl", "--eval-set", dir + "/eval.txt",
                                                       "--ngram-size", "12", "--words", "datatrove", "--compression", "none",
                                                       "--output", dir + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        let kept = try String(contentsOfFile: dir + "/out/kept/00000.jsonl", encoding: .utf8)
        let excluded = try String(contentsOfFile: dir + "/out/excluded/00000.jsonl", encoding: .utf8)
        #expect(kept == docs[1] + "\n")
        #expect(excluded.hasPrefix(#"{"id":"hit""#) && excluded.contains("of eval item 1 at character 7"))
    }

    /// The same documents dropped as datatrove 0.10.1's NGramsDecontFilter (12-grams, its default
    /// normalization and English tokenizer; the index built with its indexer's `compute_hashes` for each string
    /// of an item, as Winnow reads items): the sample set's documents, plus passages of them planted with
    /// case, punctuation, number and contraction changes (seeded).
    @Test(.enabled(if: datatroveDecontAvailable || referenceRequired,
                   "needs datatrove 0.10.1 (pip install --no-deps datatrove==0.10.1) with xxhash, spacy, numpy; set WINNOW_REQUIRE_REFERENCE=1 to make this an error"))
    func sameRemovalsAsDatatrove() throws {
        let dir = try temporaryDirectory()
        _ = try python("""
        import json, random, sys, zstandard
        import numpy as np, xxhash
        from datatrove.data import Document
        from datatrove.pipeline.decont.n_grams import NGramsDecontConfig, NGramsDecontFilter, NGramsDecontIndexer
        sample, out = sys.argv[1], sys.argv[2]
        rng = random.Random(5)
        docs = [json.loads(l) for l in zstandard.ZstdDecompressor().decompressobj().decompress(open(sample, 'rb').read()).splitlines()]
        items, planted = [], []
        def disguise(words):
            r = []
            for w in words:
                x = rng.random()
                r.append(w.upper() if x < 0.2 else w.strip('.,;:!?()') if x < 0.4 else w + ',' if x < 0.5
                         else w.replace('.', ' ') if x < 0.6 else w)
            return ' '.join(r)
        for i, d in enumerate(rng.sample(docs, 60)):
            words = d['text'].split()
            if len(words) < 40: continue
            s = rng.randrange(0, len(words) - 30)
            items.append({'id': f'i{i}', 'question': ' '.join(words[s:s + 20]), 'answer': ' '.join(words[s + 22:s + 30])})
            planted.append({'id': f'planted-{i}', 'text': 'Intro words here. ' + disguise(words[s:s + 20]) + ' and more text after it.'})
        planted.append({'id': 'pi-dot', 'text': 'pi is about 3.14 so the area of a unit circle is about three point one four'})
        planted.append({'id': 'pi-space', 'text': 'pi is about 3 14 so the area of a unit circle is about three point one four'})
        items.append({'id': 'pi', 'question': 'pi is about 3.14 so the area of a unit circle is about three'})
        items.append({'id': 'lock', 'question': 'you cannot open the file when it is locked by another user of it'})
        planted.append({'id': 'can-not', 'text': 'Sorry, you can not open the file when it is locked by another user of it.'})
        config = NGramsDecontConfig(n_grams=12, find_query_ngrams=True, find_overlap_ngrams=False)
        NGramsDecontIndexer._requires_dependencies = []  # lighteval: only its run needs it, not compute_hashes
        indexer = NGramsDecontIndexer(output_folder=out + '/index', config=config)
        hash64 = lambda text: xxhash.xxh64_intdigest(text.encode('utf-8'))
        indexer.hash_func = hash64
        hashes = set()
        for item in items:
            for k, v in item.items():
                if k != 'id': hashes.update(indexer.compute_hashes(v))
        with indexer.output_folder.open('evalset.index.hashes', mode='wb') as f:
            np.array(sorted(hashes), dtype=np.uint64).tofile(f)
        filt = NGramsDecontFilter(index_folder=out + '/index', config=config)
        filt.hash_func = hash64
        with open(out + '/docs.jsonl', 'w') as f, open(out + '/dropped.json', 'w') as g:
            dropped = []
            for d in docs + planted:
                f.write(json.dumps({'id': d['id'], 'text': d['text']}, ensure_ascii=False) + '\\n')
                if filt.filter(Document(text=d['text'], id=d['id'])) is not True: dropped.append(d['id'])
            json.dump(dropped, g)
        with open(out + '/eval.jsonl', 'w') as f:
            for item in items: f.write(json.dumps(item, ensure_ascii=False) + '\\n')
        """, [repositoryRoot + "/Samples/sample-00000.jsonl.zst", dir])
        let expected = Set(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/dropped.json"))) as! [String])
        let p: [String: JSONValue] = ["eval_sets": .array([.string(dir + "/eval.jsonl")]), "ngram_size": .number(JSONNumber(12)),
                                      "words": .string("datatrove")]
        var stage = try DecontaminationStage.factory(parameters: StageParameters(stageName: "decontaminate", p)).make()
        var dropped: Set<String> = []
        var count = 0
        for line in try String(contentsOfFile: dir + "/docs.jsonl", encoding: .utf8).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
            var doc = Document(id: object["id"]!, text: Array(object["text"]!.utf8))
            var stats = StageStats(name: "decontaminate")
            if case .exclude = stage.process(&doc, stats: &stats) { dropped.insert(doc.id) }
            count += 1
        }
        #expect(count > 449)
        #expect(expected.contains("pi-dot") && !expected.contains("pi-space") && expected.contains("can-not"))
        #expect(expected.count > 40, "datatrove dropped only \(expected.count)")
        #expect(dropped == expected, "only Winnow: \(dropped.subtracting(expected)), only datatrove: \(expected.subtracting(dropped))")
    }
}
