/// The tree of fastText's hierarchical softmax (`HierarchicalSoftmaxLoss::buildTree`), built from the label
/// counts (sorted most frequent first, as the dictionary keeps them): each new internal node joins the two
/// smallest of the remaining leaves (taken from the least frequent end) and internal nodes; on a tie the
/// internal node is taken. The second child chosen is the `true` branch.
///
/// For each label, `paths` lists the internal nodes from its parent up to the root, as output rows
/// (node index minus the label count), and `codes` the branch taken into each of them.
struct FastTextHuffmanTree {
    let paths: [[Int32]]
    let codes: [[Bool]]

    init(counts: [Int64]) {
        let n = counts.count
        guard n > 0 else { paths = []; codes = []; return }
        var count = [Int64](repeating: 1_000_000_000_000_000, count: 2 * n - 1)
        var parent = [Int](repeating: -1, count: 2 * n - 1)
        var binary = [Bool](repeating: false, count: 2 * n - 1)
        for i in 0..<n { count[i] = counts[i] }
        var leaf = n - 1, node = n
        for i in n..<(2 * n - 1) {
            var smallest = [0, 0]
            for j in 0..<2 {
                if leaf >= 0 && count[leaf] < count[node] {
                    smallest[j] = leaf; leaf -= 1
                } else {
                    smallest[j] = node; node += 1
                }
            }
            count[i] = count[smallest[0]] + count[smallest[1]]
            parent[smallest[0]] = i
            parent[smallest[1]] = i
            binary[smallest[1]] = true
        }
        var paths: [[Int32]] = [], codes: [[Bool]] = []
        for i in 0..<n {
            var path: [Int32] = [], code: [Bool] = []
            var j = i
            while parent[j] != -1 {
                path.append(Int32(parent[j] - n))
                code.append(binary[j])
                j = parent[j]
            }
            paths.append(path)
            codes.append(code)
        }
        self.paths = paths
        self.codes = codes
    }
}
