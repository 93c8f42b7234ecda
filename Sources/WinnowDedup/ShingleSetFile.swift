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
    private struct Source { var index: Int32; var sets: Int32; var count: Int; var first: UInt64; var path: String }
    private var sources: [Source] = []

    init(indexPaths: [String]) throws {
        for path in indexPaths {
            let setPath = String(path.dropLast(4)) + ".set"
            let index = open(path, O_RDONLY), sets = open(setPath, O_RDONLY)
            guard index >= 0, sets >= 0 else {
                throw DedupIOError("cannot open \(index < 0 ? path : setPath): \(String(cString: strerror(errno))); rerun the first phase")
            }
            var info = stat()
            fstat(index, &info)
            guard Int(info.st_size) % 24 == 0 else { throw DedupIOError("\(path) is truncated; rerun the first phase") }
            var source = Source(index: index, sets: sets, count: Int(info.st_size) / 24, first: 0, path: path)
            guard source.count > 0 else { close(index); close(sets); continue }
            source.first = try record(source, 0).key
            sources.append(source)
        }
        sources.sort { $0.first < $1.first }
    }

    deinit { for s in sources { close(s.index); close(s.sets) } }

    private func record(_ s: Source, _ i: Int) throws -> DedupRecord {
        var words = [UInt64](repeating: 0, count: 3)
        let n = words.withUnsafeMutableBytes { pread(s.index, $0.baseAddress, 24, off_t(i * 24)) }
        guard n == 24 else { throw DedupIOError("cannot read \(s.path) at record \(i); rerun the first phase") }
        return DedupRecord(key: UInt64(littleEndian: words[0]), position: UInt64(littleEndian: words[1]),
                           rank: UInt64(littleEndian: words[2]))
    }

    /// The sorted shingle hashes of the document at `position` (empty when it has none stored).
    func shingles(of position: UInt64, into result: inout [UInt64]) throws {
        result.removeAll(keepingCapacity: true)
        var lo = 0, hi = sources.count
        while lo < hi { let mid = (lo + hi) / 2; if sources[mid].first <= position { lo = mid + 1 } else { hi = mid } }
        guard lo > 0 else { return }
        let s = sources[lo - 1]
        var a = 0, b = s.count
        while a < b { let mid = (a + b) / 2; if try record(s, mid).key < position { a = mid + 1 } else { b = mid } }
        guard a < s.count else { return }
        let r = try record(s, a)
        guard r.key == position else { return }
        result = [UInt64](repeating: 0, count: Int(r.rank))
        let bytes = Int(r.rank) * 8
        let n = result.withUnsafeMutableBytes { pread(s.sets, $0.baseAddress, bytes, off_t(r.position * 8)) }
        guard n == bytes else { throw DedupIOError("cannot read \(s.path.dropLast(4)).set; rerun the first phase") }
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
