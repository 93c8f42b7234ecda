import Foundation

/// The documents the `encode` phase wrote, across all its task files: where each one's tokens are and where it
/// stood in the input. Read from the `.docs` files (32 bytes per document); tokens stay on disk.
struct EncodedDocuments {
    /// Task file prefixes: `<prefix>.tokens`, `<prefix>.docs`.
    let prefixes: [String]
    /// Each document's tokens: `<prefix>.tokens` (uint32), where it starts, its length.
    private(set) var locations = DocumentLocations()
    var length: [Int32] { locations.length }
    /// Input position packed for sorting: file index, record ordinal.
    private(set) var file: [UInt32] = []
    private(set) var record: [UInt64] = []
    /// The `mix:` source of each document (0 without a mix).
    private(set) var mixSource: [Int] = []
    private(set) var totalTokens = 0

    var count: Int { locations.count }

    init(prefixes: [String]) throws {
        self.prefixes = prefixes
        locations.files = prefixes.map { .init(path: $0 + ".tokens", headerBytes: 0, dtype: .uint32) }
        for (s, prefix) in prefixes.enumerated() {
            guard let data = FileManager.default.contents(atPath: prefix + ".docs") else {
                throw ShardError("cannot read \(prefix).docs (written by the encode phase); rerun the step")
            }
            guard data.count % 32 == 0 else { throw ShardError("\(prefix).docs is truncated (\(data.count) bytes); rerun the step") }
            var at: Int64 = 0
            data.withUnsafeBytes { raw in
                for i in 0..<(raw.count / 32) {
                    let n = raw.loadLE(UInt64.self, at: i * 32 + 16)
                    locations.append(file: s, offset: Int(at), length: Int(n))
                    file.append(UInt32(raw.loadLE(UInt64.self, at: i * 32)))
                    record.append(raw.loadLE(UInt64.self, at: i * 32 + 8))
                    mixSource.append(Int(raw.loadLE(UInt64.self, at: i * 32 + 24)))
                    at += Int64(n)
                }
            }
            let tokensSize = fileSize(prefix + ".tokens")
            guard tokensSize == Int(at) * 4 else {
                throw ShardError("\(prefix).tokens has \(tokensSize) bytes, its .docs says \(at * 4); rerun the step")
            }
            totalTokens += Int(at)
        }
    }

    /// Document indices in input order (file, then record), then shuffled with `seed` when `shuffle` is set.
    /// Depends only on the documents, not on how they were split into tasks.
    func order(shuffle: Bool, seed: UInt64) -> [Int] {
        var order = Array(0..<count).sorted { (file[$0], record[$0]) < (file[$1], record[$1]) }
        if shuffle {
            var random = SeededRandom(seed: seed)
            random.shuffle(&order)
        }
        return order
    }
}

/// Consecutive runs of the document order, one per shard: a shard closes once it holds `shardTokens` tokens.
/// The validation documents come first, in shards of their own.
struct ShardPlan {
    /// Per shard: the range of `order` it holds, its token count and role.
    var shards: [(documents: Range<Int>, tokens: Int, role: ShardRole)] = []
    /// Validation documents, then training documents.
    let order: [Int]

    /// `validation`: the held-out documents (nil: no split configured; llm.c then uses its first shard).
    init(validation: [Int]?, training: [Int], lengths: [Int32], shardTokens: Int, format: ShardFormat) {
        order = (validation ?? []) + training
        func cut(_ range: Range<Int>, _ role: ShardRole) {
            var start = range.lowerBound, tokens = 0
            for i in range {
                tokens += Int(lengths[order[i]])
                if tokens >= shardTokens {
                    shards.append((start..<(i + 1), tokens, role))
                    start = i + 1
                    tokens = 0
                }
            }
            if start < range.upperBound { shards.append((start..<range.upperBound, tokens, role)) }
        }
        let held = validation?.count ?? 0
        cut(0..<held, .validation)
        cut(held..<order.count, .train)
        if format == .llmc {
            // llm.c trainers read a validation shard and at least one training shard.
            if validation == nil, !shards.isEmpty { shards[0].role = .validation }
            if !shards.contains(where: { $0.role == .validation }) { shards.insert((held..<held, 0, .validation), at: 0) }
            if !shards.contains(where: { $0.role == .train }) { shards.append((order.count..<order.count, 0, .train)) }
        } else if shards.isEmpty {
            shards.append((0..<0, 0, .train))
        }
    }
}

/// SplitMix64: the shuffle's generator, the same on every machine for a seed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// Fisher-Yates.
    mutating func shuffle(_ a: inout [Int]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(next() % UInt64(i + 1))) }
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
}
