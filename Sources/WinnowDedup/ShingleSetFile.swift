import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a keys task's shingle sets for the exact Jaccard check: `<task>.set` holds each document's sorted,
/// distinct shingle hashes (little-endian `UInt64`s), `<task>.idx` a (position, first word, count) record per
/// document, sorted by position.
final class ShingleSetWriter {
    private let sets: UnsafeMutablePointer<FILE>
    private let path: String
    private let index: SortedRecordWriter
    private var words: UInt64 = 0

    init(path: String, indexPath: String) throws {
        guard let f = fopen(path, "wb") else { throw DedupIOError("cannot create \(path): \(String(cString: strerror(errno)))") }
        sets = f
        self.path = path
        index = SortedRecordWriter(path: indexPath, memoryBytes: 16 << 20)
    }

    /// Sorts and deduplicates `shingles` in place and stores them as the set of `position`.
    func write(position: UInt64, shingles: inout [UInt64]) throws {
        shingles.sort()
        var n = 0
        for h in shingles where n == 0 || shingles[n - 1] != h { shingles[n] = h; n += 1 }
        shingles.removeLast(shingles.count - n)
        let written = shingles.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, sets) }
        guard written == n * 8 else { throw DedupIOError("cannot write \(path) (disk full?)") }
        try index.append(DedupRecord(key: position, position: words, rank: UInt64(n)))
        words += UInt64(n)
    }

    func finish() throws {
        guard fclose(sets) == 0 else { throw DedupIOError("cannot close \(path)") }
        try index.finish()
    }
}

/// Reads shingle sets by position from every keys task's `.idx`/`.set` pair: the task file by its range of
/// positions, the document by binary search in its index.
final class ShingleSetStore {
    private var sources: [(index: RecordFileAccess, sets: Int32, first: UInt64)] = []

    init(indexPaths: [String]) throws {
        for path in indexPaths {
            let index = try RecordFileAccess(path: path, rerun: "first")
            guard index.count > 0 else { continue }
            let setPath = String(path.dropLast(4)) + ".set"
            let sets = open(setPath, O_RDONLY)
            guard sets >= 0 else { throw DedupIOError("cannot open \(setPath): \(String(cString: strerror(errno))); rerun the first phase") }
            sources.append((index, sets, try index.record(0).key))
        }
        sources.sort { $0.first < $1.first }
    }

    deinit { for s in sources { close(s.sets) } }

    /// The sorted shingle hashes of the document at `position` (empty when it has none stored).
    func shingles(of position: UInt64, into result: inout [UInt64]) throws {
        result.removeAll(keepingCapacity: true)
        var lo = 0, hi = sources.count
        while lo < hi { let mid = (lo + hi) / 2; if sources[mid].first <= position { lo = mid + 1 } else { hi = mid } }
        guard lo > 0 else { return }
        let s = sources[lo - 1]
        let i = try s.index.lowerBound(position)
        guard i < s.index.count else { return }
        let r = try s.index.record(i)
        guard r.key == position else { return }
        result = [UInt64](repeating: 0, count: Int(r.rank))
        let bytes = Int(r.rank) * 8
        let n = result.withUnsafeMutableBytes { pread(s.sets, $0.baseAddress, bytes, off_t(r.position * 8)) }
        guard n == bytes else { throw DedupIOError("cannot read \(s.index.path.dropLast(4)).set; rerun the first phase") }
        for i in result.indices { result[i] = UInt64(littleEndian: result[i]) }
    }

    /// |a ∩ b| / |a ∪ b| of two sorted, distinct arrays (1 when both are empty).
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(common) / Double(a.count + b.count - common)
    }
}
