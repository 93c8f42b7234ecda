/// A uniform random sample of at most `capacity` items from a stream of unknown length (Vitter's Algorithm R),
/// drawn with a seeded generator: the same stream and seed give the same sample on every machine. Memory is
/// `capacity` items whatever the stream's length.
struct Reservoir<Item> {
    let capacity: Int
    private(set) var items: [Item] = []
    /// Items offered so far.
    private(set) var seen = 0
    private var random: SeededRandom

    init(capacity: Int, seed: UInt64) {
        self.capacity = capacity
        random = SeededRandom(seed: seed)
    }

    /// Where the next offered item would go: an index into `items`, or nil when it is not sampled. Call
    /// `accept` with the item only when this returns an index, so items are built only when kept.
    mutating func slotForNext() -> Int? {
        defer { seen += 1 }
        if items.count < capacity { return items.count }
        let j = Int(random.next() % UInt64(seen + 1))
        return j < capacity ? j : nil
    }

    mutating func accept(_ item: Item, at slot: Int) {
        if slot == items.count { items.append(item) } else { items[slot] = item }
    }

    mutating func offer(_ make: () -> Item) {
        if let slot = slotForNext() { accept(make(), at: slot) }
    }
}

/// SplitMix64 (Steele, Lea and Flood): a small, fast generator with a 64-bit seed, used for the report's samples.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
