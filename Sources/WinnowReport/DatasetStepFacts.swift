import Foundation
import WinnowCore
import WinnowIO

/// What the report shows of a whole-dataset step's own results, read from the files the step leaves:
/// token shards (`output/manifest.json`), a tokenizer (`vocab_size` in stats, `output/` files), dedup clusters
/// (`clusters/*.tsv`: position, cluster size, kept flag, cluster id, kept id).
enum DatasetStepFacts {
    /// Files in `<step>/output/` with their sizes.
    static func outputFiles(_ step: StepRecord) -> [(name: String, bytes: Int)] {
        StepRecord.files(in: step.root + "/output").map { path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            return (URL(fileURLWithPath: path).lastPathComponent, size)
        }
    }

    /// Cluster sizes (members per cluster) → number of clusters, from the dedup step's `clusters/` files,
    /// streamed line by line. Nil when the step has no such files.
    static func clusterSizes(_ step: StepRecord) -> [Int: Int]? {
        let files = StepRecord.files(in: step.root + "/clusters").filter { $0.hasSuffix(".tsv") }
        guard !files.isEmpty else { return nil }
        var sizes: [Int: Int] = [:]
        for file in files {
            guard let source = try? openByteSource(path: file) else { continue }
            let reader = BufferedByteReader(source: source)
            while let line = try? reader.nextLine(maxBytes: 1 << 20) {
                guard case .line(let bytes, _) = line else { continue }
                // Columns: position, size, kept (1 once per cluster), ...
                var column = 0, size = 0, kept = false
                for b in bytes {
                    if b == 0x09 { column += 1; if column == 3 { break }; continue }
                    if column == 1, b >= 0x30, b <= 0x39 { size = size * 10 + Int(b - 0x30) }
                    if column == 2 { kept = b == 0x31 }
                }
                if kept, size > 0 { sizes[size, default: 0] += 1 }
            }
        }
        return sizes
    }

    /// The token shards manifest (`output/manifest.json`), if the step wrote one.
    static func shardManifest(_ step: StepRecord) -> JSONObject? {
        let path = step.root + "/output/manifest.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? StepRecord.readJSON(path)
    }
}
