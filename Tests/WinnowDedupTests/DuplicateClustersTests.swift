import Foundation
import Testing
@testable import WinnowDedup

/// Union-find and the kept member, on hand-worked pair lists.
@Suite struct DuplicateClustersTests {
    static func clusters(_ pairs: [(UInt64, UInt64)], ranks: [UInt64: UInt64] = [:], keep: KeepPolicy) -> [DuplicateClusters.Cluster] {
        var forest = DuplicateClusters()
        for (a, b) in pairs { forest.union(a, b) }
        for (p, r) in ranks { forest.setRank(p, r) }
        return forest.clusters(keep: keep)
    }

    @Test func chainsMergeAndTheSmallestPositionIsKept() {
        // 9-4, 4-7, 2-3, 7-1: clusters {1,4,7,9} and {2,3}; 5 alone in a pair with itself is no cluster.
        let pairs: [(UInt64, UInt64)] = [(9, 4), (4, 7), (2, 3), (7, 1), (5, 5)]
        let expected = [DuplicateClusters.Cluster(members: [1, 4, 7, 9], kept: 1), .init(members: [2, 3], kept: 2)]
        #expect(Self.clusters(pairs, keep: .first) == expected)
        // Any order of the same pairs gives the same clusters.
        #expect(Self.clusters(pairs.reversed(), keep: .first) == expected)
        #expect(Self.clusters(pairs.map { ($0.1, $0.0) }, keep: .first) == expected)
    }

    @Test func longestKeepsTheLargestRankWithTiesToTheSmallestPosition() {
        let pairs: [(UInt64, UInt64)] = [(1, 2), (2, 3), (10, 11)]
        let got = Self.clusters(pairs, ranks: [1: 5, 2: 9, 3: 9, 10: 4, 11: 4], keep: .longest)
        #expect(got == [.init(members: [1, 2, 3], kept: 2), .init(members: [10, 11], kept: 10)])
    }

    @Test func noneKeepsNoMember() {
        #expect(Self.clusters([(3, 8)], keep: .none) == [.init(members: [3, 8], kept: nil)])
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
