/// Which member of a duplicate cluster stays.
public enum KeepPolicy: String, Sendable, CaseIterable {
    /// The member with the smallest position (input file index, then record index).
    case first
    /// The member with the largest rank (the document length, or a chosen field); ties go to the smallest position.
    case longest
    /// No member: the whole cluster is removed.
    case none
}

/// Union-find over document positions, deterministic by construction: the root of every set is its smallest
/// position, whatever order the pairs come in. The clustering phases' fallback when the label rounds did not
/// settle (see `ClusterLabelPhases.swift`). Memory is proportional to the documents that appear in some pair.
struct DuplicateClusters {
    private var index: [UInt64: Int32] = [:]
    private(set) var positions: [UInt64] = []
    private var parent: [Int32] = []
    private(set) var ranks: [UInt64] = []

    private mutating func node(_ position: UInt64) -> Int32 {
        if let i = index[position] { return i }
        let i = Int32(positions.count)
        index[position] = i
        positions.append(position)
        parent.append(i)
        ranks.append(0)
        return i
    }

    mutating func find(_ i: Int32) -> Int32 {
        var root = i
        while parent[Int(root)] != root { root = parent[Int(root)] }
        var j = i
        while parent[Int(j)] != root { let next = parent[Int(j)]; parent[Int(j)] = root; j = next }
        return root
    }

    /// The smallest position of the set of the node at index `i` (of `positions`).
    mutating func root(ofNode i: Int) -> UInt64 { positions[Int(find(Int32(i)))] }

    /// Records that `a` and `b` are duplicates.
    mutating func union(_ a: UInt64, _ b: UInt64) {
        let ra = find(node(a)), rb = find(node(b))
        if ra == rb { return }
        if positions[Int(ra)] < positions[Int(rb)] { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb }
    }

    mutating func setRank(_ position: UInt64, _ rank: UInt64) {
        ranks[Int(node(position))] = rank
    }
}
