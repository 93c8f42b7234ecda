import CXXHash
import WinnowWordRules

/// An open-addressing table of 64-bit hashes (of lines, paragraphs or n-grams) with a count, a first position
/// and a character length each; reused between documents, so counting allocates nothing once warm.
/// Two different strings count as one only if their 64-bit hashes (and lengths) collide.
///
/// The slots live in one manually allocated block owned by a small class: the filters call `add` once per
/// n-gram, nine passes per document, and array bounds, uniqueness and class-property exclusivity checks cost
/// more than the probing itself there. The struct keeps the raw pointers, so its accesses are checked
/// statically. Copies share the memory: one counter per stage instance, never copied while in use.
struct HashCounter {
    struct Slot {
        var key: UInt64
        var count: Int32
        var first: Int32
        var length: Int32
    }

    /// Owns the memory of the table.
    private final class Memory {
        let slots: UnsafeMutablePointer<Slot>
        let used: UnsafeMutablePointer<Int32>
        init(_ size: Int) {
            slots = .allocate(capacity: size)
            slots.initialize(repeating: Slot(key: 0, count: 0, first: 0, length: 0), count: size)
            used = .allocate(capacity: size)
        }
        deinit {
            slots.deallocate()
            used.deallocate()
        }
    }

    private var memory: Memory
    private var slots: UnsafeMutablePointer<Slot>
    private var used: UnsafeMutablePointer<Int32>  // occupied slots, to clear quickly
    private var usedCount = 0
    private var capacity: Int
    private var mask: Int

    init() {
        capacity = 16
        mask = capacity - 1
        memory = Memory(capacity)
        slots = memory.slots
        used = memory.used
    }

    private mutating func allocate(_ size: Int) {
        capacity = size
        mask = size - 1
        memory = Memory(size)
        slots = memory.slots
        used = memory.used
        usedCount = 0
    }

    /// Empties the table, sized for `expected` distinct keys.
    mutating func reset(expected: Int) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        if size > capacity || size * 8 < capacity {
            allocate(size)
        } else {
            for k in 0..<usedCount { slots[Int(used[k])].count = 0 }
            usedCount = 0
        }
    }

    /// Counts one occurrence; returns the count before it (0 for a first occurrence).
    @inline(__always)
    mutating func add(_ key: UInt64, position: Int, length: Int) -> Int {
        if usedCount * 2 >= capacity { grow() }
        var h = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
        while true {
            let slot = slots + h
            if slot.pointee.count == 0 {
                slot.pointee = Slot(key: key, count: 1, first: Int32(truncatingIfNeeded: position),
                                    length: Int32(truncatingIfNeeded: length))
                used[usedCount] = Int32(h)
                usedCount += 1
                return 0
            }
            if slot.pointee.key == key {
                slot.pointee.count += 1
                return Int(slot.pointee.count - 1)
            }
            h = (h + 1) & mask
        }
    }

    private mutating func grow() {
        let old = (0..<usedCount).map { slots[Int(used[$0])] }
        allocate(max(16, capacity * 2))
        for slot in old {
            var h = Int(truncatingIfNeeded: slot.key ^ (slot.key >> 32)) & mask
            while slots[h].count != 0 { h = (h + 1) & mask }
            slots[h] = slot
            used[usedCount] = Int32(h)
            usedCount += 1
        }
    }

    /// Whether the key is present (without counting).
    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        var h = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
        while slots[h].count != 0 {
            if slots[h].key == key { return true }
            h = (h + 1) & mask
        }
        return false
    }

    /// Python's `Counter.most_common(1)`: the highest count, ties to the earliest first occurrence; returns
    /// length × count of that entry.
    func topLengthTimesCount() -> Int {
        var bestCount: Int32 = 0, bestFirst = Int32.max, bestLength: Int32 = 0
        for k in 0..<usedCount {
            let s = slots[Int(used[k])]
            if s.count > bestCount || (s.count == bestCount && s.first < bestFirst) {
                bestCount = s.count; bestFirst = s.first; bestLength = s.length
            }
        }
        return Int(bestLength) * Int(bestCount)
    }
}

/// The hash of a byte range (xxh3) combined with its length.
@inline(__always)
func hashBytes(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
    XXH3_64bits(p + start, end - start) ^ (UInt64(end - start) &* 0x9E37_79B9_7F4A_7C15)
}

/// Polynomial hashes modulo 2^61 - 1 of the concatenation of consecutive words, in O(1) per range after a
/// linear pass: datatrove joins n-grams with "" for its duplicate n-gram rule, so ["ab", "c"] and ["a", "bc"]
/// are the same n-gram; hashing the bytes of the concatenation (not the word sequence) keeps that.
struct ConcatenationHasher {
    static let modulus: UInt64 = (1 << 61) - 1
    static let base: UInt64 = 1_000_003
    /// prefix[k]: hash of the first k bytes of the concatenated words.
    private(set) var prefix: [UInt64] = [0]
    private(set) var powers: [UInt64] = [1]
    /// wordOffsets[i]: offset of word i in the concatenation.
    private(set) var wordOffsets: [Int] = [0]

    @inline(__always)
    static func mulmod(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        // (high * 2^64 + low) mod (2^61 - 1)
        let lo61 = low & modulus
        let rest = (low >> 61) | (high << 3)
        var r = lo61 &+ rest
        if r >= modulus { r -= modulus }
        return r
    }

    mutating func reset(_ p: UnsafePointer<UInt8>, _ words: [TokenSpan]) {
        prefix.removeAll(keepingCapacity: true)
        wordOffsets.removeAll(keepingCapacity: true)
        prefix.append(0)
        wordOffsets.append(0)
        var h: UInt64 = 0
        for w in words {
            for i in w.start..<w.end {
                h = Self.mulmod(h, Self.base) &+ UInt64(p[i]) &+ 1
                if h >= Self.modulus { h -= Self.modulus }
                prefix.append(h)
            }
            wordOffsets.append(prefix.count - 1)
        }
        while powers.count < prefix.count {
            powers.append(Self.mulmod(powers[powers.count - 1], Self.base))
        }
    }

    /// The hash of words `[i, j)` concatenated, with its byte length folded in.
    @inline(__always)
    func hash(words i: Int, _ j: Int) -> UInt64 {
        let a = wordOffsets[i], b = wordOffsets[j]
        let sub = Self.mulmod(prefix[a], powers[b - a])
        var h = prefix[b] &+ Self.modulus &- sub
        if h >= Self.modulus { h -= Self.modulus }
        return h ^ (UInt64(b - a) << 61)
    }
}
