import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTokenizer
import WinnowTestSupport

/// The `bytes` id layout: the same tokenizer as `hf`, renumbered so ids 0-255 are byte values and specials last.
@Suite struct IDLayoutTests {
    static func model(_ layout: TokenIDLayout) throws -> BPEModel {
        let texts = try HFReference.sampleTexts()
        var options = BPETrainingOptions(vocabSize: 700)
        options.specialTokens = ["<|endoftext|>", "<pad>"]
        options.idLayout = layout
        let trainer = BPETrainer(options: options)
        for t in texts.prefix(200) { trainer.add(document: t) }
        return trainer.train()
    }

    @Test func bytesLayoutRenumbersTheSameTokenizer() throws {
        let hf = try Self.model(.hf), bytes = try Self.model(.bytes)
        #expect(bytes.vocab.count == hf.vocab.count)
        for b in 0..<256 { #expect(bytes.bytes(of: b) == [UInt8(b)], "id \(b)") }
        #expect(bytes.specialIDs == [698, 699] && hf.specialIDs == [0, 1])
        #expect(bytes.vocab[698] == "<|endoftext|>")
        // Merged tokens keep their learning order, and the merges are the same strings.
        #expect(hf.vocab[258...].elementsEqual(bytes.vocab[256..<698]))
        #expect(hf.merges.map { [hf.vocab[$0.left], hf.vocab[$0.right], hf.vocab[$0.result]] }
                == bytes.merges.map { [bytes.vocab[$0.left], bytes.vocab[$0.right], bytes.vocab[$0.result]] })
        // Encoding: the same tokens, so the ids map one to one through the token strings.
        let hfEncoder = BPEEncoder(vocabulary: try BPEVocabulary(model: hf))
        let bytesEncoder = BPEEncoder(vocabulary: try BPEVocabulary(model: bytes))
        let idOf = Dictionary(uniqueKeysWithValues: bytes.vocab.enumerated().map { ($0.element, $0.offset) })
        for text in try HFReference.sampleTexts().suffix(40) {
            let a = hfEncoder.encode(text).map { idOf[hf.vocab[Int($0)]]! }
            let b = bytesEncoder.encode(text).map(Int.init)
            #expect(a == b)
            #expect(try bytesEncoder.vocabulary.decode(b.map(UInt32.init)) == text)
        }
    }

    /// HF loads the bytes-layout tokenizer.json and encodes to the same ids as Winnow.
    @Test(.enabled(if: HFReference.available, "needs Python with `tokenizers`"))
    func hfLoadsBytesLayout() throws {
        let model = try Self.model(.bytes)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try model.write(to: dir)
        let heldout = try HFReference.sampleTexts().suffix(30).map { String(decoding: $0, as: UTF8.self) }
        try JSONSerialization.data(withJSONObject: heldout).write(to: URL(fileURLWithPath: dir + "/heldout.json"))
        try """
        import json, sys
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(sys.argv[1] + '/tokenizer.json')
        texts = json.load(open(sys.argv[1] + '/heldout.json'))
        json.dump({'ids': [tok.encode(t).ids for t in texts], 'eot': tok.token_to_id('<|endoftext|>')}, open(sys.argv[1] + '/out.json', 'w'))
        """.write(toFile: dir + "/check.py", atomically: true, encoding: .utf8)
        let status = try HFReference.runProcess([HFReference.python, dir + "/check.py", dir], stderrPath: dir + "/err.txt")
        #expect(status == 0, "\((try? String(contentsOfFile: dir + "/err.txt", encoding: .utf8)) ?? "")")
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out.json"))) as! [String: Any]
        let encoder = BPEEncoder(vocabulary: try BPEVocabulary.load(path: dir + "/tokenizer.json"))
        #expect(result["ids"] as? [[Int]] == heldout.map { encoder.encode(Array($0.utf8)).map(Int.init) })
        #expect(result["eot"] as? Int == 698)
    }
}
