import Foundation
import WinnowCore
import WinnowIO

/// What the report shows of a whole-dataset step's own results, read from the files the step leaves:
/// token shards (`output/manifest.json`), a tokenizer (`vocab_size` in stats, `output/` files), dedup clusters
/// (`clusters/<task>.bin`: member position, cluster size and kept flag, offset of the cluster's ids).
enum DatasetStepFacts {
    /// Files in `<step>/output/` with their sizes.
    static func outputFiles(_ step: StepRecord) -> [(name: String, bytes: Int)] {
        StepRecord.files(in: step.root + "/output").map { path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            return (URL(fileURLWithPath: path).lastPathComponent, size)
        }
    }

    /// Cluster sizes (members per cluster) → number of clusters, from the dedup step's `clusters/<task>.bin`
    /// files: 24-byte little-endian records (member position, cluster size << 1 | kept, offset of the cluster's
    /// line in `<task>.txt`), one per member, so a cluster is one distinct offset within its file. Read in
    /// chunks; memory is one file's cluster offsets. Nil when the step has no such files.
    static func clusterSizes(_ step: StepRecord) -> [Int: Int]? {
        let files = StepRecord.files(in: step.root + "/clusters").filter { $0.hasSuffix(".bin") }
        guard !files.isEmpty else { return nil }
        var sizes: [Int: Int] = [:]
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else { continue }
            defer { try? handle.close() }
            var seen = Set<UInt64>()
            while let chunk = try? handle.read(upToCount: 24 * 4096), !chunk.isEmpty {
                chunk.withUnsafeBytes { raw in
                    for r in stride(from: 0, to: raw.count - 23, by: 24) {
                        let sizeAndKept = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: r + 8, as: UInt64.self))
                        let offset = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: r + 16, as: UInt64.self))
                        if seen.insert(offset).inserted { sizes[Int(sizeAndKept >> 1), default: 0] += 1 }
                    }
                }
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
