internal import CUTF8

/// UTF-8 validation and repair on raw bytes (the hot path of every reader and the JSON parser).
///
/// Well-formed means Unicode table 3-7: no overlong forms, no surrogates (ED A0..BF), nothing above
/// U+10FFFF, no truncated sequences. Repair replaces each *maximal subpart* of an ill-formed sequence with
/// one U+FFFD (Unicode §3.9 "substitution of maximal subparts", as WHATWG, Python's
/// `decode('utf-8', 'replace')` and Swift's `String(decoding:as:)` do).
public enum UTF8Validation {
    /// The UTF-8 encoding of U+FFFD REPLACEMENT CHARACTER.
    public static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Whether `bytes` is entirely well-formed UTF-8. Thirty-two bytes at a time with AVX2, sixteen with
    /// SSSE3, where the CPU has them (see `Sources/CUTF8`), which matters on text that mixes ASCII and
    /// other scripts.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let p = bytes.baseAddress, !bytes.isEmpty else { return true }
        return winnow_utf8_is_valid(p.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// The validator kernels of `Sources/CUTF8`, for tests that compare them.
    package enum Kernel: Int32, CaseIterable, Sendable { case scalar = 0, ssse3 = 1, avx2 = 2 }

    /// The fastest kernel this CPU runs.
    package static var bestKernel: Kernel { Kernel(rawValue: winnow_utf8_best_kernel()) ?? .scalar }

    /// `isValid` with `kernel` (or the best this CPU runs, when it lacks `kernel`).
    package static func isValid(_ bytes: UnsafeRawBufferPointer, kernel: Kernel) -> Bool {
        guard let p = bytes.baseAddress, !bytes.isEmpty else { return true }
        return winnow_utf8_is_valid_with(p.assumingMemoryBound(to: UInt8.self), bytes.count, kernel.rawValue)
    }

    /// Whether `bytes` is entirely well-formed UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }

    /// The length of the longest well-formed prefix: the offset of the first byte that does not start a
    /// complete, well-formed sequence (`bytes.count` when all is valid). The prefix never ends inside a
    /// character.
    public static func validPrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let p = bytes.baseAddress else { return 0 }
        return scan(p, from: 0, count: bytes.count)
    }

    /// The length of the longest prefix that is pure ASCII (bytes below 0x80).
    public static func asciiPrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let p = bytes.baseAddress else { return 0 }
        return asciiRun(p, from: 0, count: bytes.count)
    }

    /// Appends `bytes` to `output`, replacing every maximal ill-formed subpart with U+FFFD (EF BF BD).
    /// Returns the number of replacements.
    @discardableResult
    public static func appendRepairing(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Int {
        guard let p = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let n = bytes.count
        // Room for the valid case up front, growing at least geometrically: callers append chunk after
        // chunk, and exact reservations would make that quadratic.
        if output.capacity - output.count < n {
            output.reserveCapacity(max(output.count + n, output.capacity * 2))
        }
        var i = 0
        var replacements = 0
        while true {
            let end = scan(p, from: i, count: n)
            if end > i {
                output.append(contentsOf: UnsafeRawBufferPointer(start: p + i, count: end - i))
            }
            if end == n { break }
            i = end + maximalSubpartLength(p, at: end, count: n)
            output.append(0xEF)
            output.append(0xBF)
            output.append(0xBD)
            replacements += 1
        }
        return replacements
    }

    /// `bytes` with every maximal ill-formed subpart replaced by U+FFFD, and the number of replacements.
    /// Valid input is returned as is (the same array storage, no copy).
    public static func repaired(_ bytes: [UInt8]) -> (bytes: [UInt8], replacements: Int) {
        bytes.withUnsafeBytes { raw -> ([UInt8], Int) in
            let valid = validPrefixLength(raw)
            if valid == raw.count { return (bytes, 0) }
            var output = [UInt8]()
            output.reserveCapacity(raw.count + 16)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<valid]))
            let n = appendRepairing(UnsafeRawBufferPointer(rebasing: raw[valid...]), to: &output)
            return (output, n)
        }
    }

    // MARK: Internals

    @inline(__always)
    private static func byte(_ p: UnsafeRawPointer, _ i: Int) -> UInt8 {
        p.load(fromByteOffset: i, as: UInt8.self)
    }

    /// Index of the first non-ASCII byte at or after `i` (or `n`), 8 bytes at a time.
    @inline(__always)
    private static func asciiRun(_ p: UnsafeRawPointer, from start: Int, count n: Int) -> Int {
        var i = start
        while i &+ 8 <= n {
            let high = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & 0x8080_8080_8080_8080
            if high != 0 { return i &+ (high.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < n, byte(p, i) < 0x80 { i &+= 1 }
        return i
    }

    /// Offset of the first byte at or after `start` that does not begin a complete well-formed sequence.
    private static func scan(_ p: UnsafeRawPointer, from start: Int, count n: Int) -> Int {
        var i = start
        while i < n {
            let b = byte(p, i)
            if b < 0x80 {
                i = asciiRun(p, from: i &+ 1, count: n)
                continue
            }
            if b < 0xE0 {
                // C2..DF 80..BF
                guard b >= 0xC2, i &+ 1 < n, byte(p, i &+ 1) & 0xC0 == 0x80 else { return i }
                i &+= 2
            } else if b < 0xF0 {
                // E0 A0..BF | E1..EC 80..BF | ED 80..9F | EE..EF 80..BF, then 80..BF
                guard i &+ 2 < n else { return i }
                let b1 = byte(p, i &+ 1), b2 = byte(p, i &+ 2)
                let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = b == 0xED ? 0x9F : 0xBF
                guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80 else { return i }
                i &+= 3
            } else {
                // F0 90..BF | F1..F3 80..BF | F4 80..8F, then 80..BF 80..BF
                guard b <= 0xF4, i &+ 3 < n else { return i }
                let b1 = byte(p, i &+ 1), b2 = byte(p, i &+ 2), b3 = byte(p, i &+ 3)
                let low: UInt8 = b == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = b == 0xF4 ? 0x8F : 0xBF
                guard b1 >= low, b1 <= high, (b2 & 0xC0) == 0x80, (b3 & 0xC0) == 0x80 else { return i }
                i &+= 4
            }
        }
        return n
    }

    /// The length of the maximal subpart starting at `i`, where `scan` found no well-formed sequence: the
    /// longest prefix of a well-formed sequence there, or 1 when the byte cannot start one.
    private static func maximalSubpartLength(_ p: UnsafeRawPointer, at i: Int, count n: Int) -> Int {
        let b = byte(p, i)
        let total: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: total = 2
        case 0xE0: total = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: total = 3
        case 0xED: total = 3; high = 0x9F
        case 0xF0: total = 4; low = 0x90
        case 0xF1...0xF3: total = 4
        case 0xF4: total = 4; high = 0x8F
        default: return 1  // 80..C1, F5..FF: never a lead byte
        }
        guard i + 1 < n else { return 1 }
        let b1 = byte(p, i + 1)
        guard b1 >= low, b1 <= high else { return 1 }
        var length = 2
        while length < total, i + length < n, byte(p, i + length) & 0xC0 == 0x80 { length += 1 }
        return length
    }
}
