/// The character classes the datatrove-exact filters need, one bit each, looked up per code point: spaCy's
/// English tokenizer classes (`ALPHA`, `ALPHA_LOWER`, ...), Python's `str.isalpha` and `str.isspace`, Unicode
/// punctuation (`P*`), and datatrove's punctuation sets. The table is generated data (`SpacyEnglishTables.swift`).
package struct CharClass: OptionSet, Sendable {
    package let rawValue: UInt16
    @inlinable package init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable package static var alpha: CharClass { CharClass(rawValue: 1 << 0) }
    @inlinable package static var alphaLower: CharClass { CharClass(rawValue: 1 << 1) }
    @inlinable package static var alphaUpper: CharClass { CharClass(rawValue: 1 << 2) }
    @inlinable package static var icon: CharClass { CharClass(rawValue: 1 << 3) }
    /// What may stand before a final `.` that spaCy splits off: `(?<=[0-9{al}{e}{p}(?:{q})])\.`.
    @inlinable package static var beforeDotSuffix: CharClass { CharClass(rawValue: 1 << 4) }
    @inlinable package static var quote: CharClass { CharClass(rawValue: 1 << 5) }
    /// Python `str.isalpha()`.
    @inlinable package static var pyAlpha: CharClass { CharClass(rawValue: 1 << 6) }
    /// Python `str.isspace()`.
    @inlinable package static var pySpace: CharClass { CharClass(rawValue: 1 << 7) }
    /// Unicode general category P* (spaCy's `is_punct`).
    @inlinable package static var unicodeP: CharClass { CharClass(rawValue: 1 << 8) }
    /// datatrove's `PUNCTUATION_SET`.
    @inlinable package static var datatrovePunctuation: CharClass { CharClass(rawValue: 1 << 9) }
    /// datatrove's `TERMINAL_PUNCTUATION`.
    @inlinable package static var terminalPunctuation: CharClass { CharClass(rawValue: 1 << 10) }
    /// spaCy's sentencizer `default_punct_chars`.
    @inlinable package static var sentencePunctuation: CharClass { CharClass(rawValue: 1 << 11) }
    /// A one-character prefix spaCy splits off.
    @inlinable package static var prefixChar: CharClass { CharClass(rawValue: 1 << 12) }
    /// A one-character suffix spaCy splits off (without look-behind).
    @inlinable package static var suffixChar: CharClass { CharClass(rawValue: 1 << 13) }
    /// `[A-Za-z0-9\u00a1-\uffff]` of spaCy's URL pattern.
    @inlinable package static var urlHostChar: CharClass { CharClass(rawValue: 1 << 14) }
    /// Python regex `\w`.
    @inlinable package static var pyWord: CharClass { CharClass(rawValue: 1 << 15) }
}

/// The lookup table. Hot code keeps a copy of this (a few pointers) in a local or a stored property, so the
/// lazily initialised global is not consulted per character.
package struct CharTable: @unchecked Sendable {
    /// Classes of every BMP code point (128 KiB), so text in any script costs one load per character.
    package let bmp: UnsafePointer<UInt16>
    package let firsts: UnsafePointer<UInt32>
    package let lasts: UnsafePointer<UInt32>
    package let masks: UnsafePointer<UInt16>
    package let count: Int

    @inlinable @inline(__always)
    package func classes(_ cp: UInt32) -> CharClass {
        if cp < 0x10000 { return CharClass(rawValue: bmp[Int(cp)]) }
        return CharClass(rawValue: lookup(cp))
    }

    @inlinable package func lookup(_ cp: UInt32) -> UInt16 {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if firsts[mid] <= cp { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, cp <= lasts[lo - 1] else { return 0 }
        return masks[lo - 1]
    }
}

package enum CharClasses {
    /// Parsed once from `spacyCharClassRanges`; never freed.
    package static let table: CharTable = {
        let ascii = UnsafeMutablePointer<UInt16>.allocate(capacity: 128)
        ascii.initialize(repeating: 0, count: 128)
        var firsts: [UInt32] = [], lasts: [UInt32] = [], masks: [UInt16] = []
        var fields: [UInt32] = []
        var value: UInt32 = 0, inNumber = false
        for b in spacyCharClassRanges.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(b - 48); inNumber = true
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(b - 87); inNumber = true
            default:
                if inNumber { fields.append(value); value = 0; inNumber = false }
                if b == UInt8(ascii: ";"), fields.count == 3 {
                    let (lo, hi, m) = (fields[0], fields[1], UInt16(fields[2]))
                    var cp = lo
                    while cp <= hi && cp < 128 { ascii[Int(cp)] = m; cp += 1 }
                    if hi >= 128 { firsts.append(max(lo, 128)); lasts.append(hi); masks.append(m) }
                    fields.removeAll(keepingCapacity: true)
                }
            }
        }
        func copy<T>(_ a: [T]) -> UnsafePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
            p.initialize(from: a, count: a.count)
            return UnsafePointer(p)
        }
        var table = CharTable(bmp: UnsafePointer(ascii), firsts: copy(firsts), lasts: copy(lasts), masks: copy(masks), count: firsts.count)
        let bmp = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x10000)
        for cp in 0..<0x10000 { bmp[cp] = cp < 128 ? ascii[cp] : table.lookup(UInt32(cp)) }
        ascii.deallocate()
        table = CharTable(bmp: UnsafePointer(bmp), firsts: table.firsts, lasts: table.lasts, masks: table.masks, count: table.count)
        return table
    }()

    /// Convenience for code off the hot path.
    @inlinable package static func classes(_ cp: UInt32) -> CharClass { table.classes(cp) }
}

/// Byte tests on 8 bytes at once in a 64-bit word ("SIMD within a register"). Each answers exactly whether
/// some byte qualifies (the classic bit tricks can misreport a byte only after a qualifying one).
package enum SWAR {
    @inlinable package static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable package static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// Whether a byte of `x` is below `n` (n ≤ 128).
    @inlinable @inline(__always)
    package static func hasByteBelow(_ x: UInt64, _ n: UInt8) -> Bool {
        (x &- ones &* UInt64(n)) & ~x & highs != 0
    }

    /// Whether a byte of `x` equals `b`.
    @inlinable @inline(__always)
    package static func hasByte(_ x: UInt64, _ b: UInt8) -> Bool {
        hasByteBelow(x ^ (ones &* UInt64(b)), 1)
    }
}

/// UTF-8 helpers on valid UTF-8 (as `Document.text` is).
package enum UTF8Scan {
    /// The code point starting at `i` and its length in bytes.
    @inlinable @inline(__always)
    package static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0, i + 1 < end { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < end {
            return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
        }
        if i + 3 < end {
            return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                | UInt32(p[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// The start of the code point that ends just before `i`.
    @inlinable @inline(__always)
    package static func previousStart(_ p: UnsafePointer<UInt8>, _ i: Int, _ start: Int) -> Int {
        var j = i - 1
        while j > start && p[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// The code point ending just before `i` (i > start).
    @inlinable @inline(__always)
    package static func previous(_ p: UnsafePointer<UInt8>, _ i: Int, _ start: Int) -> UInt32 {
        let j = previousStart(p, i, start)
        return decode(p, j, i).0
    }

    /// Code points (Python `len`) in bytes `[start, end)`.
    @inlinable @inline(__always)
    package static func scalarCount(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var n = 0
        var i = start
        while i < end { if p[i] & 0xC0 != 0x80 { n += 1 }; i += 1 }
        return n
    }

    /// Whether the code point at `i` is Python whitespace (`str.isspace`); its length in bytes, or 0 when it
    /// is not. Python's whitespace: U+0009-000D, U+001C-0020, U+0085, U+00A0, U+1680, U+2000-200A, U+2028,
    /// U+2029, U+202F, U+205F, U+3000.
    @inlinable @inline(__always)
    package static func spaceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let b = p[i]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F) ? 1 : 0 }
        switch b {
        case 0xC2: return i + 1 < end && (p[i + 1] == 0x85 || p[i + 1] == 0xA0) ? 2 : 0
        case 0xE1: return i + 2 < end && p[i + 1] == 0x9A && p[i + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard i + 2 < end else { return 0 }
            let b1 = p[i + 1], b2 = p[i + 2]
            if b1 == 0x80 { return b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0 }
            return b1 == 0x81 && b2 == 0x9F ? 3 : 0
        case 0xE3: return i + 2 < end && p[i + 1] == 0x80 && p[i + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Python `str.strip()`: the range without leading and trailing whitespace.
    @inlinable package static func strip(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var a = start, b = end
        while a < b { let n = spaceLength(p, a, b); if n == 0 { break }; a += n }
        while b > a {
            let j = previousStart(p, b, a)
            if spaceLength(p, j, b) == 0 { break }
            b = j
        }
        return (a, b)
    }

    /// Python `str.splitlines()` break at `i`: its length in bytes (2 for CRLF), or 0.
    @inlinable @inline(__always)
    package static func lineBreakLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let b = p[i]
        switch b {
        case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E: return 1
        case 0x0D: return i + 1 < end && p[i + 1] == 0x0A ? 2 : 1
        case 0xC2: return i + 1 < end && p[i + 1] == 0x85 ? 2 : 0
        case 0xE2: return i + 2 < end && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    /// Whether the 8 bytes at `p + i` contain a control byte (< 0x20), 0xC2 or 0xE2: the only lead bytes of
    /// Python's line breaks (`\n`, `\r`, `\v`, `\f`, `\x1c`-`\x1e`, U+0085, U+2028, U+2029).
    @inlinable @inline(__always)
    package static func mayHoldLineBreak(_ p: UnsafePointer<UInt8>, _ i: Int) -> Bool {
        let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        return SWAR.hasByteBelow(x, 0x20) || SWAR.hasByte(x, 0xC2) || SWAR.hasByte(x, 0xE2)
    }

    /// Python `str.splitlines()`: calls `body(start, end)` for each line (without its break).
    @inlinable @inline(__always)
    package static func forEachLine(_ p: UnsafePointer<UInt8>, _ count: Int, _ body: (Int, Int) -> Void) {
        var start = 0, i = 0
        while i < count {
            // Skip 8 bytes at a time while none can start a line break.
            while i + 8 <= count && !mayHoldLineBreak(p, i) { i += 8 }
            guard i < count else { break }
            let b = p[i]
            if b >= 0x20 && b != 0xC2 && b != 0xE2 { i += 1; continue }
            let n = lineBreakLength(p, i, count)
            if n == 0 { i += 1; continue }
            body(start, i)
            i += n
            start = i
        }
        if start < count { body(start, count) }
    }

    /// Whether bytes `[start, end)` equal `literal`.
    @inlinable @inline(__always)
    package static func equals(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard end - start == n else { return false }
        let l = literal.utf8Start
        for k in 0..<n where p[start + k] != l[k] { return false }
        return true
    }

    @inlinable @inline(__always)
    package static func hasSuffix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard end - start >= n else { return false }
        return equals(p, end - n, end, literal)
    }

    @inlinable @inline(__always)
    package static func hasPrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard end - start >= n else { return false }
        return equals(p, start, start + n, literal)
    }
}
