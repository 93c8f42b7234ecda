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
    private var sources: [(records: RecordFileAccess, text: Int32)] = []

    init(binaryPaths: [String]) throws {
        for path in binaryPaths {
            let records = try RecordFileAccess(path: path, rerun: "clusters")
            let textPath = String(path.dropLast(4)) + ".txt"
            let text = open(textPath, O_RDONLY)
            guard text >= 0 else { throw DedupIOError("cannot open \(textPath): \(String(cString: strerror(errno))); rerun the clusters phase") }
            sources.append((records, text))
        }
    }

    deinit { for s in sources { close(s.text) } }

    /// The line at `offset` of a `.txt` file (without its line break), or nil when it cannot be read.
    static func line(_ text: Int32, at offset: UInt64) -> String? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        var at = off_t(offset)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(text, $0.baseAddress, 512, at) }
            guard n > 0 else { return nil }
            if let end = chunk[..<n].firstIndex(of: 0x0A) { bytes += chunk[..<end]; break }
            bytes += chunk[..<n]
            at += off_t(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func line(_ text: Int32, at offset: UInt64, of path: String) throws -> Substring {
        guard let l = Self.line(text, at: offset) else { throw DedupIOError("cannot read \(path.dropLast(4)).txt at \(offset); rerun the clusters phase") }
        return Substring(l)
    }

    /// The members of input file `file`, by position.
    func members(ofFile file: Int) throws -> [UInt64: ClusterMember] {
        let low = DedupRecord.pack(file: file, record: 0), high = DedupRecord.pack(file: file + 1, record: 0)
        var result: [UInt64: ClusterMember] = [:]
        for (records, text) in sources {
            var lines: [UInt64: (String, String)] = [:]
            var i = try records.lowerBound(low)
            while i < records.count {
                let r = try records.record(i)
                guard r.key < high else { break }
                if lines[r.rank] == nil {
                    let l = try line(text, at: r.rank, of: records.path)
                    let fields = l.split(separator: "\t", omittingEmptySubsequences: false)
                    guard fields.count == 2 else {
                        throw DedupIOError("\(records.path.dropLast(4)).txt: malformed line '\(l)'; rerun the clusters phase")
                    }
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
