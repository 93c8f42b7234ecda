import WinnowText

/// The classes of code points the split patterns distinguish, one table entry per code point.
///
/// `\p{L}` = upper, lower, otherLetter; `\p{N}` = number; `\s` (the White_Space property) = space, newline;
/// o200k's `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]` = upper, otherLetter, mark and `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` = lower,
/// otherLetter, mark. General categories and White_Space come from ICU (`WinnowText.UnicodeProperties`).
enum CodePointClass {
    /// Anything else: punctuation, symbols, format characters (U+200B, U+FEFF, U+180E), unassigned,
    /// private use, and every byte that does not start a well-formed UTF-8 sequence.
    static let other: UInt8 = 0
    /// Lu, Lt.
    static let upper: UInt8 = 1
    /// Ll.
    static let lower: UInt8 = 2
    /// Lm, Lo.
    static let otherLetter: UInt8 = 3
    /// Mn, Mc, Me.
    static let mark: UInt8 = 4
    /// Nd, Nl, No.
    static let number: UInt8 = 5
    /// White_Space other than CR and LF.
    static let space: UInt8 = 6
    /// CR and LF (`[\r\n]`).
    static let newline: UInt8 = 7

    /// Class masks (bit `1 << class`).
    static let letters: UInt8 = 1 << upper | 1 << lower | 1 << otherLetter
    static let numbers: UInt8 = 1 << number
    static let whitespace: UInt8 = 1 << space | 1 << newline
    /// `[^\s\p{L}\p{N}]`.
    static let punctuation: UInt8 = 1 << other | 1 << mark
    /// `[^\r\n\p{L}\p{N}]`.
    static let wordPrefix: UInt8 = 1 << other | 1 << mark | 1 << space
    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`.
    static let upperOrCaseless: UInt8 = 1 << upper | 1 << otherLetter | 1 << mark
    /// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`.
    static let lowerOrCaseless: UInt8 = 1 << lower | 1 << otherLetter | 1 << mark

    /// The class of every code point 0...0x10FFFF, built once from ICU (planes 4-13 are unassigned and
    /// planes 15-16 private use: `other` without asking).
    nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x110000)
        table.initialize(repeating: other, count: 0x110000)
        for range in [0..<0x40000, 0xE0000..<0xF0000] {
            for c in range where !(0xD800..<0xE000).contains(c) {
                table[c] = classify(UInt32(c))
            }
        }
        return UnsafePointer(table)
    }()

    static func classify(_ scalar: UInt32) -> UInt8 {
        if scalar == 0x0A || scalar == 0x0D { return newline }
        if UnicodeProperties.regexClass(scalar) == .whitespace { return space }
        switch UnicodeProperties.generalCategory(scalar) {
        case 1, 3: return upper  // Lu, Lt
        case 2: return lower  // Ll
        case 4, 5: return otherLetter  // Lm, Lo
        case 6, 7, 8: return mark  // Mn, Me, Mc
        case 9, 10, 11: return number  // Nd, Nl, No
        default: return other
        }
    }
}

/// UTF-8 text being split: decodes one code point at a time and classifies it with `CodePointClass.table`.
///
/// Only well-formed UTF-8 sequences decode (no overlongs, surrogates or values above U+10FFFF); any other
/// byte is one character of class `other` by itself, as if each ill-formed byte were a lone U+FFFD.
struct ScanText {
    let p: UnsafePointer<UInt8>
    let n: Int
    let table: UnsafePointer<UInt8>

    init(_ text: UnsafeBufferPointer<UInt8>) {
        p = text.baseAddress!
        n = text.count
        table = CodePointClass.table
    }

    /// The class of the character at byte `i` and its length in bytes.
    @inline(__always)
    func classAt(_ i: Int) -> (cls: UInt8, length: Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (table[Int(b0)], 1) }
        return classOfMultibyte(i, b0)
    }

    @inline(__always)
    private func continuation(_ i: Int) -> UInt32? {
        let b = p[i]
        return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
    }

    private func classOfMultibyte(_ i: Int, _ b0: UInt8) -> (cls: UInt8, length: Int) {
        let invalid = (CodePointClass.other, 1)
        if b0 < 0xC2 { return invalid }
        if b0 < 0xE0 {
            guard i + 1 < n, let c1 = continuation(i + 1) else { return invalid }
            return (table[Int(UInt32(b0 & 0x1F) << 6 | c1)], 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < n, let c1 = continuation(i + 1), let c2 = continuation(i + 2) else { return invalid }
            if b0 == 0xE0 && c1 < 0x20 { return invalid }  // overlong
            if b0 == 0xED && c1 >= 0x20 { return invalid }  // surrogate
            return (table[Int(UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2)], 3)
        }
        if b0 < 0xF5 {
            guard i + 3 < n, let c1 = continuation(i + 1), let c2 = continuation(i + 2), let c3 = continuation(i + 3)
            else { return invalid }
            if b0 == 0xF0 && c1 < 0x10 { return invalid }  // overlong
            if b0 == 0xF4 && c1 >= 0x10 { return invalid }  // above U+10FFFF
            return (table[Int(UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3)], 4)
        }
        return invalid
    }

    /// The end of the run of characters whose class is in `mask`, starting at `start`.
    @inline(__always)
    func runEnd(_ start: Int, _ mask: UInt8) -> Int {
        var i = start
        while i < n {
            let (c, length) = classAt(i)
            if (mask >> c) & 1 == 0 { break }
            i += length
        }
        return i
    }

    /// Whether the character at `i` (which must be < n) has a class in `mask`.
    @inline(__always)
    func isIn(_ i: Int, _ mask: UInt8) -> Bool {
        (mask >> classAt(i).cls) & 1 != 0
    }

    /// The length of `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `i`, or 0. Case-insensitive as Python `regex`,
    /// fancy-regex and Oniguruma fold: `s` also matches U+017F (ſ). (`b | 0x20` equals an ASCII lowercase
    /// letter only for that letter and its uppercase.)
    @inline(__always)
    func caseInsensitiveContraction(_ i: Int) -> Int {
        guard i + 1 < n, p[i] == 0x27 else { return 0 }
        let c1 = p[i + 1] | 0x20
        if c1 == 0x73 || c1 == 0x74 || c1 == 0x6D || c1 == 0x64 { return 2 }  // s t m d
        if p[i + 1] == 0xC5, i + 2 < n, p[i + 2] == 0xBF { return 3 }  // ſ
        guard i + 2 < n else { return 0 }
        let c2 = p[i + 2] | 0x20
        if (c1 == 0x72 && c2 == 0x65) || (c1 == 0x76 && c2 == 0x65) || (c1 == 0x6C && c2 == 0x6C) { return 3 }
        return 0
    }

    /// The length of the case-sensitive GPT-2 contraction `'s|'t|'re|'ve|'m|'ll|'d` at `i`, or 0.
    @inline(__always)
    func contraction(_ i: Int) -> Int {
        guard i + 1 < n, p[i] == 0x27 else { return 0 }
        let c1 = p[i + 1]
        if c1 == 0x73 || c1 == 0x74 || c1 == 0x6D || c1 == 0x64 { return 2 }
        guard i + 2 < n else { return 0 }
        let c2 = p[i + 2]
        if (c1 == 0x72 && c2 == 0x65) || (c1 == 0x76 && c2 == 0x65) || (c1 == 0x6C && c2 == 0x6C) { return 3 }
        return 0
    }
}
