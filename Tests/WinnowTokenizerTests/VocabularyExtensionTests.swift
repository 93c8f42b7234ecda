import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTokenizer
import WinnowTestSupport

/// Extending an English tokenizer with merges learned on Chinese: every base id and merge is kept, HF encodes
/// held-out Chinese with the extended tokenizer.json exactly as Winnow does, and the Chinese costs fewer tokens.
@Suite(.enabled(if: HFReference.available, "needs Python with `tokenizers`"), .serialized)
struct VocabularyExtensionTests {
    static func documents() throws -> (english: [[UInt8]], chinese: [[UInt8]]) {
        let path = HFReference.repository.appendingPathComponent("Samples/sample-00000.jsonl.zst").path
        var english: [[UInt8]] = [], chinese: [[UInt8]] = []
        var stats = StageStats(name: "read")
        try JSONLReader().read(file: path, stats: &stats, problem: { _ in }, emit: { d in
            let lang = d.metadata["lang"]?.stringValue ?? ""
            if lang == "en" { english.append(d.text) } else if lang.hasPrefix("zh") || lang == "ja" { chinese.append(d.text) }
        })
        return (english, chinese)
    }

    @Test func keepsBaseAndMatchesHF() throws {
        let (english, chinese) = try Self.documents()
        #expect(chinese.count >= 9)
        var options = BPETrainingOptions(vocabSize: 1500)
        options.pattern = .llama3
        options.specialTokens = ["<|endoftext|>"]
        let trainer = BPETrainer(options: options)
        for d in english { trainer.add(document: d) }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try trainer.train().write(to: dir + "/base")
        let base = try BPEVocabulary.load(path: dir + "/base/tokenizer.json")

        let split = chinese.count * 2 / 3
        var counting = ParallelPreTokenCounter.Options(threads: 2)
        counting.pattern = base.pattern
        let counter = ParallelPreTokenCounter(options: counting)
        for d in chinese[..<split] { try counter.add(document: d) }
        let extended = try VocabularyExtension(base: base, counts: try counter.finish(), add: 200)
        #expect(extended.newTokens.count == 200)
        #expect(extended.newTokens.map(\.id) == (0..<200).map { UInt32(1500 + $0) })
        let baseJSON = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/base/tokenizer.json")))
        try FileManager.default.createDirectory(atPath: dir + "/ext", withIntermediateDirectories: true)
        try extended.extendedTokenizerJSON(baseJSON).write(toFile: dir + "/ext/tokenizer.json", atomically: true, encoding: .utf8)
        let heldout = Array(chinese[split...])
        let ours = BPEEncoder(vocabulary: try BPEVocabulary.load(path: dir + "/ext/tokenizer.json"))
        let before = BPEEncoder(vocabulary: base)
        let oursIDs = heldout.map { ours.encode($0).map(Int.init) }
        // Fewer tokens on held-out Chinese; decoding still returns the text.
        let extendedTokens: Int = oursIDs.reduce(0) { $0 + $1.count }
        let baseTokens: Int = heldout.reduce(0) { $0 + before.encode($1).count }
        #expect(extendedTokens * 10 < baseTokens * 9)
        for (text, ids) in zip(heldout, oursIDs) { #expect(try ours.vocabulary.decode(ids.map(UInt32.init)) == text) }

        // Python: the base vocab and merges are kept (same ids, merges a prefix) and HF encodes like Winnow.
        try JSONSerialization.data(withJSONObject: heldout.map { String(decoding: $0, as: UTF8.self) })
            .write(to: URL(fileURLWithPath: dir + "/heldout.json"))
        let script = dir + "/check.py"
        try """
        import json, sys
        from tokenizers import Tokenizer
        d = sys.argv[1]
        base, ext = json.load(open(d + '/base/tokenizer.json'))['model'], json.load(open(d + '/ext/tokenizer.json'))['model']
        kept = all(ext['vocab'].get(k) == v for k, v in base['vocab'].items()) and ext['merges'][:len(base['merges'])] == base['merges']
        added = len(ext['vocab']) - len(base['vocab']), len(ext['merges']) - len(base['merges'])
        tok = Tokenizer.from_file(d + '/ext/tokenizer.json')
        ids = [tok.encode(t).ids for t in json.load(open(d + '/heldout.json'))]
        json.dump({'kept': kept, 'added': added, 'ids': ids}, open(d + '/result.json', 'w'))
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let status = try HFReference.runProcess([HFReference.python, script, dir], stderrPath: dir + "/err.txt")
        #expect(status == 0, "\((try? String(contentsOfFile: dir + "/err.txt", encoding: .utf8)) ?? "")")
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json"))) as! [String: Any]
        #expect(result["kept"] as? Bool == true)
        #expect(result["added"] as? [Int] == [200, 200])
        #expect(result["ids"] as? [[Int]] == oursIDs)
    }
}
