import Testing
import WinnowTestSupport
@testable import WinnowDedup

/// CMinHash's permutation kernel: every path this CPU has (scalar, AVX2, AVX-512) against a plain Swift
/// reference written with `%`, on seeded random hashes and parameters, for permutation counts that exercise
/// the vector blocks and their scalar tails, at 64- and 32-bit precision, and chained over two batches.
@Suite(.serialized) struct MinHashKernelTests {
    static let prime: UInt64 = (1 << 61) - 1

    /// The definition: `min(minima[i], ((h * a[i] + b[i]) mod 2^64) mod (2^61 - 1) & mask)`.
    static func reference(_ hashes: [UInt64], _ a: [UInt64], _ b: [UInt64], _ mask: UInt64, _ minima: [UInt64]) -> [UInt64] {
        var out = minima
        for i in 0..<a.count {
            for h in hashes { out[i] = min(out[i], ((h &* a[i] &+ b[i]) % prime) & mask) }
        }
        return out
    }

    @Test func everyPathEqualsTheDefinition() {
        defer { MinHashKernel.force(nil) }
        var random = SplitMix64(seed: 11)
        let available = MinHashKernel.allCases.filter { MinHashKernel.force($0) }
        #expect(available.contains(.scalar))
        var checked = 0
        for permutations in [112, 1, 3, 4, 8, 13, 32, 37, 40, 120, 256] {
            // datatrove's parameters (a < p) and arbitrary 64-bit ones (the kernel must be exact for any).
            let (da, db) = MinHasher.permutationParameters(count: permutations, seed: 1)
            let ra = (0..<permutations).map { _ in random.next() }, rb = (0..<permutations).map { _ in random.next() }
            for (a, b) in [(da, db), (ra, rb)] {
                for mask: UInt64 in [.max, 0xFFFF_FFFF] {
                    for count in [0, 1, 2, 5, 64, 700] {
                        let first = (0..<count).map { _ in random.next() }
                        let second = (0..<(count / 2 + 1)).map { _ in random.next() }
                        let start = [UInt64](repeating: .max, count: permutations)
                        let expectedFirst = Self.reference(first, a, b, mask, start)
                        let expected = Self.reference(second, a, b, mask, expectedFirst)
                        for kernel in available {
                            MinHashKernel.force(kernel)
                            #expect(MinHashKernel.current == kernel)
                            var minima = start
                            MinHasher.updateMinima(first, a: a, b: b, mask: mask, into: &minima)
                            #expect(minima == expectedFirst, "\(kernel), \(permutations) permutations, \(count) hashes, mask \(mask)")
                            MinHasher.updateMinima(second, a: a, b: b, mask: mask, into: &minima)
                            #expect(minima == expected, "\(kernel), \(permutations) permutations, chained, mask \(mask)")
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked >= 11 * 2 * 2 * 6)
    }

    /// Hashes that land exactly on the reduction's edge cases: x = h * a + b equal to p, 2p, 2^64 - 1 and
    /// values just below them, with a = 1.
    @Test func reductionEdgeCases() {
        defer { MinHashKernel.force(nil) }
        let p = Self.prime
        let edges: [UInt64] = [0, 1, p - 1, p, p + 1, 2 * p - 1, 2 * p, 2 * p + 1, UInt64.max, UInt64.max - 1, 1 << 63, (1 << 61)]
        let a = [UInt64](repeating: 1, count: 16), b = [UInt64](repeating: 0, count: 16)
        for kernel in MinHashKernel.allCases where MinHashKernel.force(kernel) {
            for h in edges {
                var minima = [UInt64](repeating: .max, count: 16)
                MinHasher.updateMinima([h], a: a, b: b, mask: .max, into: &minima)
                #expect(minima == [UInt64](repeating: h % p, count: 16), "\(kernel), h = \(h)")
            }
        }
    }

    /// The AVX-512 path keeps, at 64 bits, the minimum of `v - p` (mod 2^64) and computes a block again exactly
    /// when some `v = (x & p) + (x >> 61)` reached p (a reduced value below 8, out of the order it keeps): hand-made
    /// x = p (reduced 0), x = 2^64 - 1 (reduced 7), x = 2^61 + 5 (reduced 6), mixed with reduced values 5 and 3
    /// (smaller than 7 but above 0) and random ones, in one permutation of a 32-block and of an 8-block, the other
    /// permutations random, after a first batch and from none.
    @Test func reducedValuesBelowEightAmongOthers() {
        defer { MinHashKernel.force(nil) }
        let p = Self.prime
        var random = SplitMix64(seed: 61)
        let permutations = 112
        for target in [5, 100] {  // in the first 32-block, in an 8-block after the 32-blocks
            for edges: [UInt64] in [[p, 5], [UInt64.max, 5], [UInt64.max, 3], [(1 << 61) + 5, 7], [p - 1, UInt64.max], [UInt64.max]] {
                var a = (0..<permutations).map { _ in random.next() % p }, b = (0..<permutations).map { _ in random.next() % p }
                a[target] = 1
                b[target] = 0
                // With a = 1 and b = 0, x = h.
                let hashes = (0..<40).map { _ in random.next() } + edges
                let firstBatch = (0..<7).map { _ in random.next() }
                let start = Self.reference(firstBatch, a, b, .max, [UInt64](repeating: .max, count: permutations))
                let expected = Self.reference(hashes, a, b, .max, start)
                for kernel in MinHashKernel.allCases where MinHashKernel.force(kernel) {
                    var minima = start
                    MinHasher.updateMinima(hashes, a: a, b: b, mask: .max, into: &minima)
                    #expect(minima == expected, "\(kernel), permutation \(target), edges \(edges)")
                    var fromNone = [UInt64](repeating: .max, count: permutations)
                    MinHasher.updateMinima(hashes, a: a, b: b, mask: .max, into: &fromNone)
                    #expect(fromNone == Self.reference(hashes, a, b, .max, [UInt64](repeating: .max, count: permutations)), "\(kernel), from none")
                }
                #expect(expected[target] == edges.map { $0 % p }.min()!, "the edge decides permutation \(target)")
            }
        }
    }

    /// CMinHash's word n-gram hashing (`wordShingleHashes`, what `signature` uses for word shingles and xxHash),
    /// on the scalar path and (when the CPU has it) the AVX-512 one, equals hashing each shingle of
    /// `forEachShingle` (which `MinHashGoldenTests` ties to datatrove), on seeded random texts with repeated spaces, words the rules split without a space between them (`0km`) and
    /// non-ASCII words, for several n-gram sizes at 64 and 32 bits.
    @Test func wordShingleHashesEqualPerShingleHashing() {
        var random = SplitMix64(seed: 2026)
        defer { MinHashKernel.force(nil) }
        // Long words too: shingles of 32 bytes and more take xxHash's 32-byte stripes.
        let pieces = SimplifiedTextWordSplitterTests.pieces + ["Hello", ", ", "World!", "10km", "ÉTÉ", "\n\n", "3.5",
                                                               "internationalization", "Pneumonoultramicroscopicsilicovolcanoconiosis"]
        let kernels: [MinHashKernel] = [.scalar, .avx512]
        var joinedShingles = 0
        for precision in [64, 32] {
            for n in [1, 2, 3, 5, 7] {
                var configuration = MinHashConfiguration()
                configuration.ngramSize = n
                configuration.precision = precision
                let hasher = MinHasher(configuration: configuration)
                var hashes: [UInt64] = [1, 2, 3]
                for _ in 0..<1500 {
                    var text = ""
                    for _ in 0..<Int(random.next() % 40) { text += pieces[Int(random.next() % UInt64(pieces.count))] + " " }
                    let bytes = Array(text.utf8)
                    let expected = hasher.shingleHashes(bytes)
                    // Each kernel path: with AVX-512, 64-bit hashes of 8 or more bytes go 8 at a time (xxh64_lanes8).
                    for kernel in kernels where MinHashKernel.force(kernel) {
                        hasher.wordShingleHashes(bytes, into: &hashes)
                        #expect(hashes == expected, "\(kernel), n \(n), \(precision) bits: '\(text)'")
                    }
                    MinHashKernel.force(nil)
                    var shingles: [String] = []
                    hasher.forEachShingle(bytes) { shingles.append(String(decoding: $0, as: UTF8.self)) }
                    let simplified = String(decoding: hasher.lastSimplified, as: UTF8.self)
                    joinedShingles += shingles.filter { !simplified.contains($0) }.count
                }
            }
        }
        // Some shingles were not a slice of the simplified text (joined in the scratch buffer).
        #expect(joinedShingles > 100)
    }
}
