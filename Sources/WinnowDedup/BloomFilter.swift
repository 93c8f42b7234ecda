import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The size of a Bloom filter over 64-bit keys (already hashes): `bits` bits, `hashes` probes per key, sized as
/// dolma's `bloom_filter` (`estimated_doc_count`, `desired_false_positive_rate`): m = -n ln p / (ln 2)^2 bits,
/// k = (m / n) ln 2 probes. Probe i of key h is bit `(h + i * h2) mod m` with `h2` a remix of `h` (double hashing).
struct BloomFilterShape: Sendable, Equatable {
    let bits: Int
    let hashes: Int

    init(bits: Int, hashes: Int) {
        self.bits = max(64, (bits + 63) / 64 * 64)
        self.hashes = max(1, hashes)
    }

    /// The shape for `expectedItems` keys at `falsePositiveRate`.
    init(expectedItems: Int, falsePositiveRate: Double) {
        let n = Double(max(1, expectedItems))
        let m = (-n * log(falsePositiveRate) / (log(2.0) * log(2.0))).rounded(.up)
        self.init(bits: Int(m), hashes: Int((m / n * log(2.0)).rounded()))
    }

    var bytes: Int { bits / 8 }

    /// Calls `body` with the bit index of each probe of `key`.
    @inline(__always)
    func forEachBit(of key: UInt64, _ body: (Int) -> Void) {
        var h2 = key ^ (key >> 31)
        h2 = (h2 &* 0x94D0_49BB_1331_11EB) ^ (h2 >> 29)
        h2 |= 1
        let m = UInt64(bits)
        var h = key
        for _ in 0..<hashes {
            body(Int(h % m))
            h = h &+ h2
        }
    }
}

/// A Bloom filter being filled (one per task of an index's keys phase; the index phase ORs them).
final class BloomFilterBuilder {
    let shape: BloomFilterShape
    private(set) var words: [UInt64]

    init(shape: BloomFilterShape) {
        self.shape = shape
        words = [UInt64](repeating: 0, count: shape.bits / 64)
    }

    func insert(_ key: UInt64) {
        words.withUnsafeMutableBufferPointer { w in shape.forEachBit(of: key) { w[$0 >> 6] |= 1 << UInt64($0 & 63) } }
    }

    /// ORs the filter file at `path` (of the same shape) into this one, streaming it.
    func merge(path: String) throws {
        guard let f = fopen(path, "rb") else { throw DedupIOError("cannot open \(path); rerun the phase that wrote it") }
        defer { fclose(f) }
        var chunk = [UInt64](repeating: 0, count: 8192)
        var at = 0
        while at < words.count {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 8, min(8192, words.count - at), f) }
            guard n > 0 else { throw DedupIOError("\(path) is truncated; rerun the phase that wrote it") }
            for i in 0..<n { words[at + i] |= UInt64(littleEndian: chunk[i]) }
            at += n
        }
    }

    /// The fraction of bits set (the false-positive rate is about this to the power `hashes`).
    var fillRatio: Double { Double(words.reduce(0) { $0 + $1.nonzeroBitCount }) / Double(shape.bits) }

    func write(path: String) throws {
        guard let f = fopen(path, "wb") else { throw DedupIOError("cannot create \(path): \(String(cString: strerror(errno)))") }
        let written = words.map(\.littleEndian).withUnsafeBytes { fwrite($0.baseAddress, 8, words.count, f) }
        guard written == words.count, fclose(f) == 0 else { throw DedupIOError("cannot write \(path) (disk full?)") }
    }
}

/// A Bloom filter file, mapped read-only (the page cache holds it, not the heap): membership of keys.
final class BloomFilterFile: @unchecked Sendable {
    let shape: BloomFilterShape
    private let base: UnsafeRawPointer
    private let length: Int

    init(path: String, shape: BloomFilterShape) throws {
        self.shape = shape
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DedupIOError("cannot open \(path): \(String(cString: strerror(errno))); rebuild the index") }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        guard Int(info.st_size) == shape.bytes else {
            throw DedupIOError("\(path) has \(info.st_size) bytes, its index.json says \(shape.bytes): rebuild the index")
        }
        guard let p = mmap(nil, shape.bytes, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw DedupIOError("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
        length = shape.bytes
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// Whether `key` may have been inserted (false: it certainly was not).
    func contains(_ key: UInt64) -> Bool {
        var all = true
        shape.forEachBit(of: key) { bit in
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: (bit >> 6) * 8, as: UInt64.self))
            if word & (1 << UInt64(bit & 63)) == 0 { all = false }
        }
        return all
    }
}
