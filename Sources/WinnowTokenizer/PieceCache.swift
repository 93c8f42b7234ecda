/// A direct-mapped cache of recently merged pieces (up to 32 bytes, up to 16 tokens): one slot per hash bucket,
/// overwritten on collision. Each encoder (worker) has its own; nothing is shared or locked.
struct PieceCache {
    static let maxKeyBytes = 32
    static let maxTokens = 16

    private let mask: Int
    private var hashes: [UInt64]
    private var keyLengths: [UInt8]
    private var tokenCounts: [UInt8]
    private var keys: [UInt8]
    private var tokens: [UInt32]

    init(slots: Int) {
        var n = 1
        while n < slots { n <<= 1 }
        mask = n - 1
        hashes = [UInt64](repeating: 0, count: n)
        keyLengths = [UInt8](repeating: 0, count: n)
        tokenCounts = [UInt8](repeating: 0, count: n)
        keys = [UInt8](repeating: 0, count: n * Self.maxKeyBytes)
        tokens = [UInt32](repeating: 0, count: n * Self.maxTokens)
    }

    /// Appends the cached tokens of the `n` bytes at `p` (hash `h`) to `out`; false on a miss.
    @inline(__always)
    func appendCached(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, to out: inout [UInt32]) -> Bool {
        let slot = Int(truncatingIfNeeded: h >> 7) & mask
        guard hashes[slot] == h, Int(keyLengths[slot]) == n else { return false }
        let equal = keys.withUnsafeBufferPointer { memcmp($0.baseAddress! + slot * Self.maxKeyBytes, p, n) == 0 }
        guard equal else { return false }
        let start = slot * Self.maxTokens
        out.append(contentsOf: tokens[start..<(start + Int(tokenCounts[slot]))])
        return true
    }

    /// Remembers that the `n` bytes at `p` (hash `h`) encode to `ids` (ignored when too long).
    @inline(__always)
    mutating func store(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ ids: ArraySlice<UInt32>) {
        guard n <= Self.maxKeyBytes, ids.count <= Self.maxTokens else { return }
        let slot = Int(truncatingIfNeeded: h >> 7) & mask
        hashes[slot] = h
        keyLengths[slot] = UInt8(n)
        tokenCounts[slot] = UInt8(ids.count)
        keys.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: slot * Self.maxKeyBytes).update(from: p, count: n) }
        var t = slot * Self.maxTokens
        for id in ids {
            tokens[t] = id
            t += 1
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
