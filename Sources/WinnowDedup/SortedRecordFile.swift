import Foundation
import WinnowIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One dedup record: a key (a band hash, a text hash, a URL hash), the document's position packed as
/// `file << 32 | record`, and a rank value used to choose the kept document (its length, a date...). Records
/// sort by (key, position); files of records are little-endian `UInt64` triples.
///
/// This file is the whole of the module's sorting and spilling (`SortedRecordWriter` over WinnowIO's
/// `ExternalSorter`, the readers and merges of record files).
struct DedupRecord: Comparable, Sendable {
    var key: UInt64
    var position: UInt64
    var rank: UInt64

    /// A total order (key, position, rank), so that sorted files are the same bytes whatever the runs spilled.
    static func < (a: DedupRecord, b: DedupRecord) -> Bool { (a.key, a.position, a.rank) < (b.key, b.position, b.rank) }

    static func pack(file: Int, record: Int) -> UInt64 { UInt64(file) << 32 | UInt64(UInt32(truncatingIfNeeded: record)) }
    static func unpack(_ position: UInt64) -> (file: Int, record: Int) { (Int(position >> 32), Int(position & 0xFFFF_FFFF)) }
}

struct DedupIOError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Orders dedup records as three `UInt64` words by (key, position), for WinnowIO's `ExternalSorter`.
struct DedupRecordOrder: SpillRecordOrder {
    @inline(__always)
    func less(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Bool {
        a[0] < b[0] || (a[0] == b[0] && (a[1] < b[1] || (a[1] == b[1] && a[2] < b[2])))
    }
}

/// Collects records and writes them to `path` sorted, through WinnowIO's `ExternalSorter`: past `memoryBytes`
/// of buffered records it sorts them into a run file beside `path` and starts again; `finish` merges the runs
/// into `path` and deletes them. The result depends only on the records, never on where the spills fell.
final class SortedRecordWriter {
    let path: String
    /// Whether `finish` writes a file when there is no record (readers that list a directory need none).
    let writesEmptyFile: Bool
    private let sorter: ExternalSorter<DedupRecordOrder>

    init(path: String, memoryBytes: Int, writesEmptyFile: Bool = true) {
        self.path = path
        self.writesEmptyFile = writesEmptyFile
        let slash = path.lastIndex(of: "/")
        sorter = ExternalSorter(order: DedupRecordOrder(), recordWords: 3, memoryBytes: memoryBytes,
                                directory: slash.map { String(path[..<$0]) } ?? ".",
                                name: slash.map { String(path[path.index(after: $0)...]) } ?? path)
    }

    func append(_ record: DedupRecord) throws {
        var words = (record.key, record.position, record.rank)
        try withUnsafePointer(to: &words) { try $0.withMemoryRebound(to: UInt64.self, capacity: 3) { try sorter.append($0) } }
    }

    var spilledRuns: Int { sorter.runPaths.count }

    /// Writes the sorted file (none for no record unless `writesEmptyFile`); returns the number of records.
    @discardableResult
    func finish() throws -> Int {
        let sorted = try sorter.finish()
        if sorted.current == nil && !writesEmptyFile {
            for run in sorter.runPaths { unlink(run) }
            return 0
        }
        let output = try RecordFileOutput(path: path)
        var count = 0
        while let r = sorted.current {
            try output.write(DedupRecord(key: r[0], position: r[1], rank: r[2]))
            count += 1
            try sorted.advance()
        }
        try output.close()
        for run in sorter.runPaths { unlink(run) }
        return count
    }
}

/// Buffered writing of records.
final class RecordFileOutput {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    /// 4096 records of three words (fixed storage: no Swift array, so no dynamic exclusivity check per record).
    private let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: 3 * 4096)
    private var words = 0

    init(path: String) throws {
        guard let file = fopen(path, "wb") else {
            buffer.deallocate()
            throw DedupIOError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
    }

    deinit { buffer.deallocate() }

    func write(_ r: DedupRecord) throws {
        buffer[words] = r.key.littleEndian
        buffer[words + 1] = r.position.littleEndian
        buffer[words + 2] = r.rank.littleEndian
        words += 3
        if words == 3 * 4096 { try flush() }
    }

    private func flush() throws {
        let written = fwrite(buffer, 8, words, file)
        guard written == words else { throw DedupIOError("cannot write \(path) (disk full?)") }
        words = 0
    }

    func close() throws {
        try flush()
        guard fclose(file) == 0 else { throw DedupIOError("cannot close \(path)") }
    }
}

/// Reads a file of records in order.
final class SortedRecordReader {
    private let file: UnsafeMutablePointer<FILE>
    let path: String
    /// Not zeroed: `fread` fills what is read, and a small file touches one page of it (a label round opens
    /// dozens of readers on files that are mostly empty).
    private let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 3 * 4096)
    private var available = 0
    private var next = 0

    /// Opens `path` to read from its record `first` on (0: the start).
    init(path: String, from first: Int = 0) throws {
        guard let file = fopen(path, "rb") else { throw DedupIOError("cannot open \(path): \(String(cString: strerror(errno)))") }
        self.file = file
        self.path = path
        if first > 0 { fseeko(file, off_t(first * 24), SEEK_SET) }
    }

    deinit { fclose(file); buffer.deallocate() }

    func read() throws -> DedupRecord? {
        if next == available {
            let bytes = fread(buffer.baseAddress, 1, buffer.count * 8, file)
            guard bytes % 24 == 0 else { throw DedupIOError("\(path) is truncated (\(bytes % 24) stray bytes); rerun the phase that wrote it") }
            available = bytes / 8
            next = 0
            if available == 0 { return nil }
        }
        defer { next += 3 }
        return DedupRecord(key: UInt64(littleEndian: buffer[next]), position: UInt64(littleEndian: buffer[next + 1]),
                           rank: UInt64(littleEndian: buffer[next + 2]))
    }
}

/// A k-way merge of sorted record files (a binary heap over their heads), read one record at a time: `current`
/// is the smallest unread record (ties go to the earlier file), `advance()` moves past it.
final class SortedRecordStream {
    private let readers: [SortedRecordReader]
    /// A binary min-heap of (record, reader index) in fixed storage (one slot per reader): the merge's inner
    /// loop touches no Swift array of the class, so it pays no dynamic exclusivity checks.
    private let heap: UnsafeMutablePointer<(DedupRecord, Int)>
    private var heapCount = 0
    /// The next record in order, nil at the end.
    private(set) var current: DedupRecord?

    init(paths: [String]) throws {
        readers = try paths.map { try SortedRecordReader(path: $0) }
        heap = .allocate(capacity: max(1, readers.count))
        for (i, reader) in readers.enumerated() {
            if let r = try reader.read() {
                heap[heapCount] = (r, i)
                heapCount += 1
            }
        }
        for i in stride(from: heapCount / 2 - 1, through: 0, by: -1) { Self.siftDown(heap, heapCount, i) }
        current = heapCount > 0 ? heap[0].0 : nil
    }

    deinit { heap.deallocate() }

    private static func less(_ a: (DedupRecord, Int), _ b: (DedupRecord, Int)) -> Bool {
        a.0 < b.0 || (!(b.0 < a.0) && a.1 < b.1)
    }

    private static func siftDown(_ heap: UnsafeMutablePointer<(DedupRecord, Int)>, _ count: Int, _ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < count && less(heap[l], heap[m]) { m = l }
            if r < count && less(heap[r], heap[m]) { m = r }
            if m == i { return }
            swap(&heap[i], &heap[m]); i = m
        }
    }

    /// Moves to the next record.
    func advance() throws {
        guard heapCount > 0 else { return }
        let source = heap[0].1
        if let r = try readers[source].read() {
            heap[0] = (r, source)
        } else {
            heapCount -= 1
            heap[0] = heap[heapCount]
        }
        if heapCount > 0 { Self.siftDown(heap, heapCount, 0) }
        current = heapCount > 0 ? heap[0].0 : nil
    }
}

/// A k-way merge of sorted record files, calling `body` with each record in order.
struct SortedRecordMerge {
    let paths: [String]

    func forEach(_ body: (DedupRecord) throws -> Void) throws {
        let stream = try SortedRecordStream(paths: paths)
        while let r = stream.current {
            try body(r)
            try stream.advance()
        }
    }
}

/// Random access to a file of records sorted by key: the record at an index, and binary search by key.
final class RecordFileAccess {
    let path: String
    let count: Int
    private let descriptor: Int32
    private let rerun: String

    /// Opens `path`; `rerun` names the phase that wrote it, for error messages.
    init(path: String, rerun: String) throws {
        self.path = path
        self.rerun = rerun
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw DedupIOError("cannot open \(path): \(String(cString: strerror(errno))); rerun the \(rerun) phase") }
        var info = stat()
        fstat(descriptor, &info)
        count = Int(info.st_size) / 24
        guard Int(info.st_size) % 24 == 0 else {
            close(descriptor)
            throw DedupIOError("\(path) is truncated; rerun the \(rerun) phase")
        }
    }

    deinit { close(descriptor) }

    func record(_ i: Int) throws -> DedupRecord {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &words) { pread(descriptor, $0.baseAddress, 24, off_t(i * 24)) }
        guard n == 24 else { throw DedupIOError("cannot read \(path) at record \(i); rerun the \(rerun) phase") }
        return DedupRecord(key: UInt64(littleEndian: words.0), position: UInt64(littleEndian: words.1), rank: UInt64(littleEndian: words.2))
    }

    /// The index of the first record whose key is at least `key` (`count` when there is none).
    func lowerBound(_ key: UInt64) throws -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if try record(mid).key < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
