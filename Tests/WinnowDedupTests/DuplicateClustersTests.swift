import Foundation
import Testing
@testable import WinnowDedup

/// Union-find roots on hand-worked pair lists, and LSH parameters.
@Suite struct DuplicateClustersTests {
    /// `position -> root` for every position in some pair.
    static func roots(_ pairs: [(UInt64, UInt64)]) -> [UInt64: UInt64] {
        var forest = DuplicateClusters()
        for (a, b) in pairs { forest.union(a, b) }
        var result: [UInt64: UInt64] = [:]
        for (i, p) in forest.positions.enumerated() { result[p] = forest.root(ofNode: i) }
        return result
    }

    @Test func chainsMergeAndTheRootIsTheSmallestPosition() {
        // 9-4, 4-7, 2-3, 7-1: sets {1,4,7,9} and {2,3}; 5 paired with itself is its own root.
        let pairs: [(UInt64, UInt64)] = [(9, 4), (4, 7), (2, 3), (7, 1), (5, 5)]
        let expected: [UInt64: UInt64] = [1: 1, 4: 1, 7: 1, 9: 1, 2: 2, 3: 2, 5: 5]
        #expect(Self.roots(pairs) == expected)
        // Any order of the same pairs gives the same roots.
        #expect(Self.roots(pairs.reversed()) == expected)
        #expect(Self.roots(pairs.map { ($0.1, $0.0) }) == expected)
    }

    /// Bands and rows for a threshold: the S-curve's midpoint `(1/b)^(1/r)` lies near the threshold, and the
    /// defaults' shape (few rows, many bands) comes out for 0.7-0.8.
    @Test(arguments: [0.5, 0.7, 0.8, 0.9])
    func lshParametersFollowTheThreshold(threshold: Double) {
        let (b, r) = LSHParameters.optimal(threshold: threshold, permutations: 112)
        #expect(b * r <= 112)
        let midpoint = Foundation.pow(1 / Double(b), 1 / Double(r))
        #expect(abs(midpoint - threshold) < 0.1, "b=\(b) r=\(r) midpoint \(midpoint)")
    }
}
