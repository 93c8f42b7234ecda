import Foundation

/// What `winnow shards stats` prints: the set's totals, tokens per source and per shard, and a histogram of
/// document lengths in tokens (power-of-two buckets), read from the shards' indices.
public enum ShardStatistics {
    public static func render(manifestPath: String) throws -> String {
        let manifest = try ShardManifest.load(path: manifestPath)
        let directory = URL(fileURLWithPath: manifestPath).deletingLastPathComponent().path
        var out = "\(manifest.format.rawValue) shards, \(manifest.dtype.rawValue) tokens, tokenizer \(manifest.tokenizer.file) "
            + "(vocab \(manifest.tokenizer.vocabSize)): \(manifest.shards.count) shards, \(manifest.tokens) tokens, \(manifest.documents) documents\n"
        if !manifest.sources.isEmpty {
            out += "\nsource                  documents        tokens   share\n"
            let total = max(1, manifest.sources.reduce(0) { $0 + $1.tokens })
            for s in manifest.sources {
                out += s.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + pad(s.documents, 13) + pad(s.tokens, 14) + String(format: "  %5.1f%%", 100 * Double(s.tokens) / Double(total)) + "\n"
            }
        }
        out += "\nshard                                   role        documents        tokens\n"
        var histogram: [Int: Int] = [:]
        for shard in manifest.shards {
            let name = shard.files.first?.path ?? "?"
            out += name.padding(toLength: 38, withPad: " ", startingAt: 0) + "  " + shard.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                + pad(shard.documents, 11) + pad(shard.tokens, 14) + "\n"
            let reader = try ShardReader(path: directory + "/" + name, manifest: manifest)
            for n in reader.lengths { histogram[n <= 1 ? 0 : (Int.bitWidth - (n - 1).leadingZeroBitCount), default: 0] += 1 }
        }
        out += "\ndocument length (tokens)     documents\n"
        let most = max(1, histogram.values.max() ?? 1)
        for bucket in histogram.keys.sorted() {
            let low = bucket == 0 ? 0 : (1 << (bucket - 1)) + 1, high = 1 << bucket
            let label = bucket == 0 ? "0-1" : "\(low)-\(high)"
            let count = histogram[bucket]!
            out += label.padding(toLength: 22, withPad: " ", startingAt: 0) + pad(count, 15) + "  "
                + String(repeating: "#", count: max(1, count * 40 / most)) + "\n"
        }
        return out
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
    }
}
