extension UTF8Validation {
    /// The length (2, 3 or 4) of the well-formed UTF-8 sequence starting at `p[i]`, a byte >= 0x80, or 0
    /// when no well-formed sequence starts there (Unicode Table 3-7: no overlongs, surrogates or values
    /// above U+10FFFF). Inlinable so that byte scanners in other modules can validate as they go.
    @inlinable @inline(__always)
    public static func wellFormedSequenceLength(_ p: UnsafeRawPointer, at i: Int, count n: Int) -> Int {
        let b = p.load(fromByteOffset: i, as: UInt8.self)
        if b < 0xE0 {
            guard b >= 0xC2, i &+ 1 < n, p.load(fromByteOffset: i &+ 1, as: UInt8.self) & 0xC0 == 0x80 else { return 0 }
            return 2
        }
        if b < 0xF0 {
            guard i &+ 2 < n else { return 0 }
            let b1 = p.load(fromByteOffset: i &+ 1, as: UInt8.self), b2 = p.load(fromByteOffset: i &+ 2, as: UInt8.self)
            let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b == 0xED ? 0x9F : 0xBF
            guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80 else { return 0 }
            return 3
        }
        guard b <= 0xF4, i &+ 3 < n else { return 0 }
        let b1 = p.load(fromByteOffset: i &+ 1, as: UInt8.self)
        let b2 = p.load(fromByteOffset: i &+ 2, as: UInt8.self), b3 = p.load(fromByteOffset: i &+ 3, as: UInt8.self)
        let low: UInt8 = b == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = b == 0xF4 ? 0x8F : 0xBF
        guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return 0 }
        return 4
    }
}
