#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WinnowIO

/// Sorted runs of pre-token counts on disk, and their merge: how tokenizer training stays within a memory
/// budget on corpora with more distinct pre-tokens than fit. A run is a WinnowIO spill file of length-prefixed
/// byte records (`SpillRecordLayout.lengthPrefixed`), each the key bytes followed by the count as 8
/// little-endian bytes, sorted by key bytes (byte order, then length).
public enum PreTokenRuns {
    /// Writes the counter's entries sorted by key to `path`.
    public static func write(_ counter: PreTokenCounter, to path: String) throws {
        let writer = try SpillRunWriter<UInt8>(path: path, layout: .lengthPrefixed)
        var record: [UInt8] = []
        try counter.forEachSorted { key, count in
            record.removeAll(keepingCapacity: true)
            record.append(contentsOf: key)
            withUnsafeBytes(of: count.littleEndian) { record.append(contentsOf: $0) }
            try record.withUnsafeBufferPointer { try writer.append($0) }
        }
        try writer.close()
    }

    /// Merges sorted runs: calls `body` once per distinct key, in key order, with the sum of its counts.
    public static func merge(_ paths: [String], _ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) throws {
        let records = try SortedRecords(runs: paths, layout: .lengthPrefixed, order: PreTokenCountOrder())
        while let record = records.current {
            try body(UnsafeBufferPointer(rebasing: record.dropLast(8)), PreTokenCountOrder.count(record))
            try records.advance()
        }
    }
}

/// Pre-token count records (key bytes, then an 8-byte little-endian count) ordered by key, counts of equal
/// keys added.
struct PreTokenCountOrder: SpillRecordOrder {
    @inline(__always)
    static func count(_ record: UnsafeBufferPointer<UInt8>) -> Int64 {
        Int64(littleEndian: UnsafeRawPointer(record.baseAddress! + record.count - 8).loadUnaligned(as: Int64.self))
    }

    @inline(__always)
    func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let la = a.count - 8, lb = b.count - 8
        let c = memcmp(a.baseAddress!, b.baseAddress!, min(la, lb))
        return c != 0 ? c < 0 : la < lb
    }

    @inline(__always)
    func combine(_ a: UnsafeMutableBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count, memcmp(a.baseAddress!, b.baseAddress!, a.count - 8) == 0 else { return false }
        let sum = Self.count(UnsafeBufferPointer(a)) &+ Self.count(b)
        UnsafeMutableRawPointer(a.baseAddress! + a.count - 8).storeBytes(of: sum.littleEndian, as: Int64.self)
        return true
    }
}
