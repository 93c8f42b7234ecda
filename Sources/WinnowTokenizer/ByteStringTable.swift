/// A read-only map from byte strings to token ids: open addressing over one byte arena, looked up by pointer and
/// length with a precomputed hash, so the encoder hashes a piece once for the vocabulary and its cache.
struct ByteStringTable {
    private var hashes: [UInt64]
    private var offsets: [Int32]
    private var lengths: [Int32]
    private var values: [UInt32]
    private var arena: [UInt8] = []
    private(set) var count = 0

    init(capacity: Int) {
        var slots = 16
        while slots < capacity * 2 { slots <<= 1 }
        hashes = [UInt64](repeating: 0, count: slots)
        offsets = [Int32](repeating: 0, count: slots)
        lengths = [Int32](repeating: 0, count: slots)
        values = [UInt32](repeating: 0, count: slots)
    }

    /// Hashes `n` bytes at `p` (never 0).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: n &+ 1)
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h = (h ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 32
        return h == 0 ? 1 : h
    }

    /// Adds `key` with `value` unless the key is present; returns whether it was added.
    @discardableResult
    mutating func insert(_ key: [UInt8], _ value: UInt32) -> Bool {
        let h = key.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
        if key.withUnsafeBufferPointer({ find($0.baseAddress!, $0.count, h) }) != nil { return false }
        if (count + 1) * 2 > hashes.count { grow() }
        place(h, Int32(arena.count), Int32(key.count), value)
        arena += key
        count += 1
        return true
    }

    private mutating func place(_ h: UInt64, _ offset: Int32, _ length: Int32, _ value: UInt32) {
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while hashes[slot] != 0 { slot = (slot + 1) & mask }
        hashes[slot] = h
        offsets[slot] = offset
        lengths[slot] = length
        values[slot] = value
    }

    private mutating func grow() {
        let old = (hashes, offsets, lengths, values)
        hashes = [UInt64](repeating: 0, count: old.0.count * 2)
        offsets = [Int32](repeating: 0, count: hashes.count)
        lengths = [Int32](repeating: 0, count: hashes.count)
        values = [UInt32](repeating: 0, count: hashes.count)
        for i in 0..<old.0.count where old.0[i] != 0 { place(old.0[i], old.1[i], old.2[i], old.3[i]) }
    }

    /// The value of the `n` bytes at `p` whose hash is `h`, or nil.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64) -> UInt32? {
        hashes.withUnsafeBufferPointer { hashes in
            let mask = hashes.count - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let stored = hashes[slot]
                if stored == 0 { return nil }
                if stored == h, Int(lengths[slot]) == n {
                    let equal = arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + Int(offsets[slot]), p, n) == 0 }
                    if equal { return values[slot] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func find(_ key: [UInt8]) -> UInt32? {
        key.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return find(base, buffer.count, Self.hash(base, buffer.count))
        }
    }
}

/// A read-only map from token-id pairs to the merge they make: (rank << 32 | merged id), open addressing.
struct PairTable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var shift: UInt64

    static let none: UInt64 = .max

    init(capacity: Int) {
        var bits: UInt64 = 4
        while (1 << bits) < capacity * 2 { bits += 1 }
        keys = [UInt64](repeating: .max, count: 1 << bits)
        values = [UInt64](repeating: .max, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Sets the merge of (left, right) unless one with a lower rank is there.
    mutating func insert(_ left: UInt32, _ right: UInt32, rank: UInt32, result: UInt32) {
        let key = UInt64(left) << 32 | UInt64(right)
        let value = UInt64(rank) << 32 | UInt64(result)
        let mask = keys.count - 1
        var s = slot(key)
        while keys[s] != .max {
            if keys[s] == key {
                if value < values[s] { values[s] = value }
                return
            }
            s = (s + 1) & mask
        }
        keys[s] = key
        values[s] = value
    }

    /// (rank << 32 | merged id) of the pair, or `PairTable.none`.
    @inline(__always)
    func merge(_ left: UInt32, _ right: UInt32) -> UInt64 {
        let key = UInt64(left) << 32 | UInt64(right)
        return keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var s = slot(key)
            while true {
                let k = keys[s]
                if k == key { return values[s] }
                if k == .max { return PairTable.none }
                s = (s + 1) & mask
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
