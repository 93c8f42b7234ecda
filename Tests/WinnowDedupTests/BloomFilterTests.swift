import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowDedup

/// The Bloom filter of `dedup_index`'s Bloom variant: sized for n keys at rate p, it never misses an inserted key
/// and answers "present" for about a fraction p of keys never inserted (seeded random keys, held out).
@Suite struct BloomFilterTests {
    @Test(arguments: [0.01, 0.001, 0.0001])
    func measuredFalsePositiveRateIsTheConfiguredOne(rate: Double) throws {
        var random = SplitMix64(seed: 2024)
        // At least 500 expected false positives, so that +-30 % is over 6 standard deviations.
        let n = 20_000, queries = max(300_000, Int(500 / rate))
        let shape = BloomFilterShape(expectedItems: n, falsePositiveRate: rate)
        let filter = BloomFilterBuilder(shape: shape)
        let inserted = (0..<n).map { _ in random.next() }
        inserted.forEach(filter.insert)
        let dir = try temporaryDirectory("bloom-\(rate)")
        try filter.write(path: dir + "/bloom.bin")
        let file = try BloomFilterFile(path: dir + "/bloom.bin", shape: shape)
        #expect(inserted.allSatisfy(file.contains), "an inserted key was missed")
        var positives = 0
        for _ in 0..<queries where file.contains(random.next()) { positives += 1 }
        let measured = Double(positives) / Double(queries)
        #expect(measured > rate * 0.7 && measured < rate * 1.3, "configured \(rate), measured \(measured)")
    }

    /// The size follows the textbook formulas: m = -n ln p / (ln 2)^2 (rounded up to 64 bits), k = (m/n) ln 2.
    @Test func shapeByHand() {
        // n = 1000, p = 0.01: m = 9585.06 -> 9586 -> 9600 bits; k = 9586 / 1000 * 0.6931 = 6.64 -> 7.
        let shape = BloomFilterShape(expectedItems: 1000, falsePositiveRate: 0.01)
        #expect(shape.bits == 9600 && shape.hashes == 7)
    }

    /// OR-ing the filters of two halves gives the filter of the whole (what the index phase does with its tasks').
    @Test func mergingTasksFiltersIsTheWholeFilter() throws {
        var random = SplitMix64(seed: 9)
        let shape = BloomFilterShape(expectedItems: 500, falsePositiveRate: 0.01)
        let whole = BloomFilterBuilder(shape: shape), a = BloomFilterBuilder(shape: shape), b = BloomFilterBuilder(shape: shape)
        for i in 0..<500 {
            let k = random.next()
            whole.insert(k)
            (i % 2 == 0 ? a : b).insert(k)
        }
        let dir = try temporaryDirectory()
        try b.write(path: dir + "/b.bin")
        try a.merge(path: dir + "/b.bin")
        #expect(a.words == whole.words)
    }
}
