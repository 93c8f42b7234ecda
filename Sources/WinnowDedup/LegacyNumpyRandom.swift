/// numpy's legacy `RandomState(seed)` (MT19937 seeded with `init_genrand`), just enough to draw
/// `randint(low, high, dtype=uint64)` as datatrove does for its MinHash permutations: 64-bit draws are two
/// 32-bit outputs (high word first), masked to the range's bit width and rejected until in range.
struct LegacyNumpyRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    mutating func next32() -> UInt32 {
        if index >= 624 {
            for i in 0..<624 {
                let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
                state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `randint(low, high, dtype=np.uint64)` for a range wider than 32 bits: a value in `low..<high`.
    mutating func uint64(low: UInt64, high: UInt64) -> UInt64 {
        let range = high - 1 - low
        var mask = range
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32
        precondition(range > 0xFFFF_FFFF, "only ranges wider than 32 bits are implemented")
        while true {
            let value = (UInt64(next32()) << 32 | UInt64(next32())) & mask
            if value <= range { return low + value }
        }
    }
}
