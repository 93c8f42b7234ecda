import CXXHash

/// An open-addressing table of 64-bit hashes (of lines, paragraphs or n-grams) with a count, a first position
/// and a character length each; reused between documents, so counting allocates nothing once warm.
/// Two different strings count as one only if their 64-bit hashes (and lengths) collide.
struct HashCounter {
    private(set) var keys: [UInt64] = []
    private(set) var counts: [Int32] = []
    private(set) var firsts: [Int32] = []
    private(set) var lengths: [Int32] = []
    private var used: [Int32] = []  // occupied slots, to clear quickly
    private var mask = 0

    /// Empties the table, sized for `expected` distinct keys.
    mutating func reset(expected: Int) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        if size > keys.count || size * 8 < keys.count {
            keys = [UInt64](repeating: 0, count: size)
            counts = [Int32](repeating: 0, count: size)
            firsts = [Int32](repeating: 0, count: size)
            lengths = [Int32](repeating: 0, count: size)
            used.removeAll(keepingCapacity: true)
            mask = size - 1
        } else {
            for slot in used { counts[Int(slot)] = 0 }
            used.removeAll(keepingCapacity: true)
        }
    }

    /// Counts one occurrence; returns the count before it (0 for a first occurrence).
    @inline(__always)
    mutating func add(_ key: UInt64, position: Int, length: Int) -> Int {
        if used.count * 2 >= keys.count { grow() }
        var h = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
        while true {
            if counts[h] == 0 {
                keys[h] = key
                counts[h] = 1
                firsts[h] = Int32(truncatingIfNeeded: position)
                lengths[h] = Int32(truncatingIfNeeded: length)
                used.append(Int32(h))
                return 0
            }
            if keys[h] == key {
                counts[h] += 1
                return Int(counts[h] - 1)
            }
            h = (h + 1) & mask
        }
    }

    private mutating func grow() {
        let old = used.map { (keys[Int($0)], counts[Int($0)], firsts[Int($0)], lengths[Int($0)]) }
        let size = max(16, keys.count * 2)
        keys = [UInt64](repeating: 0, count: size)
        counts = [Int32](repeating: 0, count: size)
        firsts = [Int32](repeating: 0, count: size)
        lengths = [Int32](repeating: 0, count: size)
        used.removeAll(keepingCapacity: true)
        mask = size - 1
        for (key, count, first, length) in old {
            var h = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
            while counts[h] != 0 { h = (h + 1) & mask }
            keys[h] = key; counts[h] = count; firsts[h] = first; lengths[h] = length
            used.append(Int32(h))
        }
    }

    /// Whether the key is present (without counting).
    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        var h = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
        while counts[h] != 0 {
            if keys[h] == key { return true }
            h = (h + 1) & mask
        }
        return false
    }

    /// Python's `Counter.most_common(1)`: the highest count, ties to the earliest first occurrence; returns
    /// length × count of that entry.
    func topLengthTimesCount() -> Int {
        var bestCount: Int32 = 0, bestFirst = Int32.max, bestLength: Int32 = 0
        for slot in used {
            let s = Int(slot)
            if counts[s] > bestCount || (counts[s] == bestCount && firsts[s] < bestFirst) {
                bestCount = counts[s]; bestFirst = firsts[s]; bestLength = lengths[s]
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
