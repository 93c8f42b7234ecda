import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the filter phase needs to know about one clustered document.
struct ClusterMember: Equatable {
    var size: Int
    var kept: Bool
    var clusterId: String
    var keptId: String
}

/// Writes a clusters task's members: `<task>.bin` holds (position, size << 1 | kept, offset) records sorted by
/// position, `<task>.txt` one line `cluster id \t kept id` per cluster at `offset`. Sorted fixed-size records
/// let a filter task find the members of one input file by binary search (`ClusterMemberLookup`).
final class ClusterMemberWriter {
    private let records: SortedRecordWriter
    private let text: IdListWriter
    private var offset: UInt64 = 0

    init(path: String, textPath: String, memoryBytes: Int) throws {
        records = SortedRecordWriter(path: path, memoryBytes: memoryBytes)
        text = try IdListWriter(path: textPath)
    }

    /// One cluster: its members, the kept one (nil for keep: none) and the ids the filter names.
    func writeCluster(members: [UInt64], kept: UInt64?, clusterId: String, keptId: String) throws {
        let line = IdListWriter.escape(clusterId) + "\t" + IdListWriter.escape(keptId) + "\n"
        try text.write(line)
        for m in members {
            try records.append(DedupRecord(key: m, position: UInt64(members.count) << 1 | (m == kept ? 1 : 0), rank: offset))
        }
        offset += UInt64(line.utf8.count)
    }

    func finish() throws {
        try records.finish()
        try text.close()
    }
}

/// Reads the members of one input file at a time from every clusters task's files: a binary search for the
/// file's first position in each `.bin`, then its records and their cluster lines. Memory is one file's members.
final class ClusterMemberLookup {
    private struct Source { var records: Int32; var text: Int32; var count: Int; var path: String }
    private var sources: [Source] = []

    init(binaryPaths: [String]) throws {
        for path in binaryPaths {
            let textPath = String(path.dropLast(4)) + ".txt"
            let records = open(path, O_RDONLY), text = open(textPath, O_RDONLY)
            guard records >= 0, text >= 0 else {
                throw DedupIOError("cannot open \(records < 0 ? path : textPath): \(String(cString: strerror(errno))); rerun the clusters phase")
            }
            var info = stat()
            fstat(records, &info)
            guard Int(info.st_size) % 24 == 0 else {
                throw DedupIOError("\(path) is truncated; rerun the clusters phase")
            }
            sources.append(Source(records: records, text: text, count: Int(info.st_size) / 24, path: path))
        }
    }

    deinit { for s in sources { close(s.records); close(s.text) } }

    private func record(_ s: Source, _ i: Int) throws -> DedupRecord {
        var words = [UInt64](repeating: 0, count: 3)
        let n = words.withUnsafeMutableBytes { pread(s.records, $0.baseAddress, 24, off_t(i * 24)) }
        guard n == 24 else { throw DedupIOError("cannot read \(s.path) at record \(i); rerun the clusters phase") }
        return DedupRecord(key: UInt64(littleEndian: words[0]), position: UInt64(littleEndian: words[1]),
                           rank: UInt64(littleEndian: words[2]))
    }

    private func line(_ s: Source, at offset: UInt64) throws -> Substring {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        var at = off_t(offset)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(s.text, $0.baseAddress, 512, at) }
            guard n > 0 else { throw DedupIOError("cannot read \(s.path.dropLast(4)).txt at \(offset); rerun the clusters phase") }
            if let end = chunk[..<n].firstIndex(of: 0x0A) { bytes += chunk[..<end]; break }
            bytes += chunk[..<n]
            at += off_t(n)
        }
        return Substring(String(decoding: bytes, as: UTF8.self))
    }

    /// The members of input file `file`, by position.
    func members(ofFile file: Int) throws -> [UInt64: ClusterMember] {
        let low = DedupRecord.pack(file: file, record: 0), high = DedupRecord.pack(file: file + 1, record: 0)
        var result: [UInt64: ClusterMember] = [:]
        for s in sources {
            var lo = 0, hi = s.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if try record(s, mid).key < low { lo = mid + 1 } else { hi = mid }
            }
            var lines: [UInt64: (String, String)] = [:]
            var i = lo
            while i < s.count {
                let r = try record(s, i)
                guard r.key < high else { break }
                if lines[r.rank] == nil {
                    let l = try line(s, at: r.rank)
                    let fields = l.split(separator: "\t", omittingEmptySubsequences: false)
                    guard fields.count == 2 else { throw DedupIOError("\(s.path.dropLast(4)).txt: malformed line '\(l)'; rerun the clusters phase") }
                    lines[r.rank] = (IdListReader.unescape(fields[0]), IdListReader.unescape(fields[1]))
                }
                let (clusterId, keptId) = lines[r.rank]!
                result[r.key] = ClusterMember(size: Int(r.position >> 1), kept: r.position & 1 == 1, clusterId: clusterId, keptId: keptId)
                i += 1
            }
        }
        return result
    }
}
