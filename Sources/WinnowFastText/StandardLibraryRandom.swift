/// The random numbers fastText draws, exactly as GCC's libstdc++ (which Debian's `fasttext` is built with)
/// produces them: `std::minstd_rand` and the distributions and shuffle fastText uses on it. Reproducing
/// them makes a one-thread training run and product quantization draw the same numbers as the C++ tool.
struct MinstdRandom {
    static let modulus: UInt64 = 2_147_483_647
    /// `max() - min()` of the engine (its values are 1...modulus-1).
    static let range: UInt64 = modulus - 2
    private(set) var state: UInt64

    /// `std::minstd_rand(seed)`: the seed converted to the engine's unsigned type, reduced modulo 2^31-1,
    /// and 0 replaced by 1.
    init(seed: Int) {
        let s = UInt64(bitPattern: Int64(seed)) % Self.modulus
        state = s == 0 ? 1 : s
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state = state &* 48_271 % Self.modulus
        return state
    }

    /// `std::generate_canonical<double, 53>`: two draws, `(d1 + d2 * r) / r^2` with `r = 2^31 - 2`, where
    /// `r^2` is rounded to double once (libstdc++ multiplies in long double).
    mutating func canonical() -> Double {
        let r = Double(Self.range + 1)
        var sum = Double(next() - 1)
        sum += Double(next() - 1) * r
        let result = sum / Self.rangeSquared
        return result >= 1 ? (1.0 as Double).nextDown : result
    }

    private static let rangeSquared = Double((range + 1) * (range + 1))

    /// `std::uniform_real_distribution<double>(low, high)`.
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        canonical() * (high - low) + low
    }

    /// `std::uniform_int_distribution(low, high)` for ranges narrower than the engine's (libstdc++'s
    /// downscaling by rejection: draws until one falls below a multiple of the range, then divides).
    mutating func uniformInt(_ low: UInt64, _ high: UInt64) -> UInt64 {
        let span = high - low
        precondition(span < Self.range, "range wider than the engine's")
        let buckets = span + 1
        let scaling = Self.range / buckets
        let past = buckets * scaling
        var value: UInt64
        repeat { value = next() - 1 } while value >= past
        return value / scaling + low
    }

    /// `std::shuffle(first, last, rng)` of libstdc++: when the engine's range holds the square of the
    /// length, one draw places two elements; otherwise one draw per element.
    mutating func shuffle<T>(_ a: inout [T]) {
        let n = UInt64(a.count)
        guard n > 1 else { return }
        if Self.range / n >= n {
            var i: UInt64 = 1
            if n % 2 == 0 {
                a.swapAt(Int(i), Int(uniformInt(0, 1)))
                i += 1
            }
            while i != n {
                let swapRange = i + 1
                let x = uniformInt(0, swapRange * (swapRange + 1) - 1)
                a.swapAt(Int(i), Int(x / (swapRange + 1)))
                a.swapAt(Int(i + 1), Int(x % (swapRange + 1)))
                i += 2
            }
            return
        }
        for i in 1..<Int(n) {
            a.swapAt(i, Int(uniformInt(0, UInt64(i))))
        }
    }
}
