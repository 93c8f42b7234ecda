import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTokenizer
import WinnowTestSupport

/// Per-language figures against Python: bytes `len(text.encode())`, characters `len(text)`, words
/// `len(text.split())`, tokens from HF `tokenizers` loading the same tokenizer.json.
@Suite(.enabled(if: HFReference.available, "needs Python with `tokenizers`"))
struct TokenizerEvaluationTests {
    @Test func equalsPythonCounts() throws {
        let path = HFReference.repository.appendingPathComponent("Samples/sample-00000.jsonl.zst").path
        var documents: [Document] = []
        var stats = StageStats(name: "read")
        try JSONLReader().read(file: path, stats: &stats, problem: { _ in }, emit: { documents.append($0) })
        var options = BPETrainingOptions(vocabSize: 900)
        options.pattern = .llama3
        let trainer = BPETrainer(options: options)
        for d in documents.prefix(300) { trainer.add(document: d.text) }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try trainer.train().write(to: dir)

        var evaluation = TokenizerEvaluation(encoder: BPEEncoder(vocabulary: try BPEVocabulary.load(path: dir + "/tokenizer.json")))
        for d in documents.dropFirst(300) { evaluation.add(d.text, language: d.metadata["lang"]?.stringValue ?? "") }

        let script = dir + "/counts.py"
        try """
        import json, sys, zstandard
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(sys.argv[2])
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(open(sys.argv[1], 'rb').read())
        out = {}
        for line in raw.decode('utf-8').splitlines()[300:]:
            d = json.loads(line)
            t = d['text']
            o = out.setdefault(d.get('lang') or '', [0, 0, 0, 0, 0])
            for i, v in enumerate([1, len(t.encode()), len(t), len(t.split()), len(tok.encode(t).ids)]): o[i] += v
        open(sys.argv[3], 'w').write(json.dumps(out))
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let status = try HFReference.runProcess([HFReference.python, script, path, dir + "/tokenizer.json", dir + "/counts.json"],
                                                stderrPath: dir + "/err.txt")
        #expect(status == 0, "\((try? String(contentsOfFile: dir + "/err.txt", encoding: .utf8)) ?? "")")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/counts.json"))) as! [String: [Int]]
        #expect(Set(expected.keys) == Set(evaluation.byLanguage.keys))
        for (language, counts) in expected {
            let t = evaluation.byLanguage[language] ?? .init()
            #expect([t.documents, t.bytes, t.characters, t.words, t.tokens] == counts, "\(language)")
        }
        #expect(evaluation.all.documents == documents.count - 300)
    }
}

