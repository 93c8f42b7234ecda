/// Counts distinct byte strings (pre-tokens) with 64-bit counts: an open-addressing hash table whose keys
/// live in one byte arena, so counting a pre-token that was seen before allocates nothing.
///
/// Memory grows with the number and total length of distinct pre-tokens, not with the text counted.
public struct PreTokenCounter: Sendable {
    // Slot i: hash (0 = empty), key offset and length in `arena`, count.
    private var hashes: [UInt64]
    private var offsets: [Int]
    private var lengths: [Int32]
    private var counts: [Int64]
    private var arena: [UInt8] = []
    public private(set) var count = 0
    /// The sum of all counts.
    public private(set) var total: Int64 = 0

    public init(capacity: Int = 1 << 16) {
        var slots = 16
        while slots < capacity * 2 { slots <<= 1 }
        hashes = [UInt64](repeating: 0, count: slots)
        offsets = [Int](repeating: 0, count: slots)
        lengths = [Int32](repeating: 0, count: slots)
        counts = [Int64](repeating: 0, count: slots)
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        // FNV-1a over 8-byte words with a final mix; never 0.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h == 0 ? 1 : h
    }

    /// Adds `amount` to the count of the bytes `key[range]`.
    public mutating func add(_ key: UnsafeBufferPointer<UInt8>, amount: Int64 = 1) {
        guard let base = key.baseAddress, !key.isEmpty else { return }
        add(base, key.count, amount: amount)
    }

    public mutating func add(_ p: UnsafePointer<UInt8>, _ n: Int, amount: Int64 = 1) {
        let h = Self.hash(p, n)
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        total += amount
        while true {
            let sh = hashes[slot]
            if sh == 0 { break }
            if sh == h, Int(lengths[slot]) == n {
                let offset = offsets[slot]
                let equal = arena.withUnsafeBufferPointer { memcmp(p, $0.baseAddress! + offset, n) == 0 }
                if equal {
                    counts[slot] += amount
                    return
                }
            }
            slot = (slot + 1) & mask
        }
        hashes[slot] = h
        offsets[slot] = arena.count
        lengths[slot] = Int32(n)
        counts[slot] = amount
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        count += 1
        if count * 2 > hashes.count { grow() }
    }

    private mutating func grow() {
        let old = (hashes, offsets, lengths, counts)
        let slots = hashes.count * 2
        hashes = [UInt64](repeating: 0, count: slots)
        offsets = [Int](repeating: 0, count: slots)
        lengths = [Int32](repeating: 0, count: slots)
        counts = [Int64](repeating: 0, count: slots)
        let mask = slots - 1
        for i in 0..<old.0.count where old.0[i] != 0 {
            var slot = Int(truncatingIfNeeded: old.0[i]) & mask
            while hashes[slot] != 0 { slot = (slot + 1) & mask }
            hashes[slot] = old.0[i]
            offsets[slot] = old.1[i]
            lengths[slot] = old.2[i]
            counts[slot] = old.3[i]
        }
    }

    /// Adds all counts of `other` (for merging per-worker counters).
    public mutating func merge(_ other: PreTokenCounter) {
        other.forEach { key, count in add(key, amount: count) }
    }

    /// Approximate bytes held: the key arena and the slot arrays.
    public var memoryBytes: Int { arena.capacity + hashes.count * 28 }

    /// Calls `body` with every distinct key and its count, sorted by key bytes (byte order, then length).
    public func forEachSorted(_ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) rethrows {
        var slots: [Int32] = []
        slots.reserveCapacity(count)
        for i in 0..<hashes.count where hashes[i] != 0 { slots.append(Int32(i)) }
        try arena.withUnsafeBufferPointer { a in
            let base = a.baseAddress!
            slots.sort { x, y in
                let ox = offsets[Int(x)], lx = Int(lengths[Int(x)]), oy = offsets[Int(y)], ly = Int(lengths[Int(y)])
                let c = memcmp(base + ox, base + oy, min(lx, ly))
                return c != 0 ? c < 0 : lx < ly
            }
            for slot in slots {
                let i = Int(slot)
                try body(UnsafeBufferPointer(rebasing: a[offsets[i]..<(offsets[i] + Int(lengths[i]))]), counts[i])
            }
        }
    }

    /// Calls `body` with every distinct key and its count, in table order.
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) rethrows {
        try arena.withUnsafeBufferPointer { a in
            for i in 0..<hashes.count where hashes[i] != 0 {
                try body(UnsafeBufferPointer(rebasing: a[offsets[i]..<(offsets[i] + Int(lengths[i]))]), counts[i])
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
