import Foundation
import Testing
import WinnowTestSupport

/// `mix:`: two sources sampled 3:1 to a token total, one up-sampled under an epoch cap, one down-sampled. The
/// shards, read back with numpy and attributed to a source by HF tokenizers' encoding of each source's texts,
/// hold the manifest's achieved tokens, within one document of the requested ones.
@Suite struct SourceMixTests {
    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard"))
    func weightsEpochCapsAndManifest() throws {
        let dir = try temporaryDirectory()
        // Distinct texts (a prefix per source, at least 8 words), so that each document has one source.
        let (encodeA, encodeB) = try twoSources(in: dir, perFileA: 60, perFileB: 150, seeds: (31, 32))
        let tokensA = encodeA.map(\.count).reduce(0, +), tokensB = encodeB.map(\.count).reduce(0, +)
        // 3:1 of twice the size of b: a is asked for 1.5 x tokensB, more than it has, so its cap (1.5 epochs) decides.
        let total = 2 * tokensB
        try """
        output: \(dir)/out
        steps:
          - name: shards
            input: {paths: [\(dir)/a, \(dir)/b]}
            run:
              tokenize:
                tokenizer: \(dir)/tok/tokenizer.json
                eos: "<|endoftext|>"
                shard_tokens: 20000
                total_tokens: \(total)
                mix:
                  - {name: a, paths: [\(dir)/a], weight: 3, max_epochs: 1.5}
                  - {name: b, paths: [\(dir)/b], weight: 1}
        """.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try winnow(["run", dir + "/p.yaml", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifestPath = dir + "/out/shards/output/manifest.json"
        let set = try readBack(manifestPath)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as! [String: Any]
        let sources = manifest["sources"] as! [[String: Any]]

        // Attribute every read-back document to a source.
        let inA = Set(encodeA), inB = Set(encodeB)
        var gotA = 0, gotB = 0, copies: [[UInt32]: Int] = [:]
        for doc in set.documents {
            #expect(inA.contains(doc) != inB.contains(doc), "each document comes from exactly one source")
            if inA.contains(doc) { gotA += doc.count } else { gotB += doc.count }
            copies[doc, default: 0] += 1
        }
        #expect(sources[0]["achieved_tokens"] as? Int == gotA && sources[1]["achieved_tokens"] as? Int == gotB)
        #expect(sources[0]["tokens"] as? Int == tokensA && sources[1]["tokens"] as? Int == tokensB)
        // a: capped at 1.5 epochs (no document more than twice), up-sampled beyond one epoch.
        let requestedA = Int((0.75 * Double(total)).rounded())
        #expect(sources[0]["requested_tokens"] as? Int == requestedA)
        #expect(gotA <= tokensA * 3 / 2 && gotA > tokensA, "\(gotA) of \(tokensA)")
        #expect(encodeA.allSatisfy { (copies[$0] ?? 0) >= 1 && (copies[$0] ?? 0) <= 2 })
        // b: down-sampled to a quarter of the total, within one document; no document twice.
        let longestB = encodeB.map(\.count).max()!
        #expect(gotB >= total / 4 && gotB < total / 4 + longestB, "\(gotB) for \(total / 4)")
        #expect(encodeB.allSatisfy { (copies[$0] ?? 0) <= 1 })
        #expect(try winnow(["shards", "verify", manifestPath]).status == 0)
    }
}
