/// Phone numbers written in a script's own decimal digits (`+৮৮০-২-৩-২২৪৭-২৯৯১` in Bengali, `۰۹۱۲ ۳۴۵ ۶۷۸۹`
/// in Persian, fullwidth `０３-１２３４-５６７８`). The phone rules work on ASCII digits, so a run of such digits
/// and separators is rewritten with ASCII digits into a small buffer, behind an unchanged copy of the bytes
/// before it (for the phone words), and scanned for phones alone; the spans found are mapped back to the
/// original offsets. Nothing is allocated unless the text holds such digits.
enum NativeDigits {
    /// Whether `b` is the lead byte of one of the digits `digit` knows (a cheap test before calling it).
    @inline(__always)
    static func mayStart(_ b: UInt8) -> Bool { b == 0xE0 || b == 0xEF || b == 0xD9 || b == 0xDB }

    /// Decimal digit value and UTF-8 length of the digit at `p[i]`, if it is one of: Arabic-Indic
    /// (U+0660-0669), Extended Arabic-Indic (U+06F0-06F9), Devanagari (U+0966-096F), Bengali
    /// (U+09E6-09EF), Thai (U+0E50-0E59) or fullwidth (U+FF10-FF19).
    @inline(__always)
    static func digit(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt8, length: Int)? {
        let n = p.count
        guard i + 1 < n else { return nil }
        let b0 = p[i], b1 = p[i + 1]
        switch b0 {
        case 0xD9 where b1 >= 0xA0 && b1 <= 0xA9: return (b1 - 0xA0, 2)
        case 0xDB where b1 >= 0xB0 && b1 <= 0xB9: return (b1 - 0xB0, 2)
        case 0xE0 where i + 2 < n:
            let b2 = p[i + 2]
            if (b1 == 0xA5 || b1 == 0xA7) && b2 >= 0xA6 && b2 <= 0xAF { return (b2 - 0xA6, 3) }
            if b1 == 0xB9 && b2 >= 0x90 && b2 <= 0x99 { return (b2 - 0x90, 3) }
            return nil
        case 0xEF where i + 2 < n && b1 == 0xBC && p[i + 2] >= 0x90 && p[i + 2] <= 0x99: return (p[i + 2] - 0x90, 3)
        default: return nil
        }
    }
}

extension Scan {
    /// A phone number in native digits starting at `i` (a word start); returns the end of the digit run
    /// when one was found.
    mutating func nativeDigitPhone(at i: Int, into spans: inout [PIISpan]) -> Int? {
        guard NativeDigits.digit(p, i) != nil else { return nil }
        var start = i
        if i > 0, p[i - 1] == UInt8(ascii: "+") || p[i - 1] == UInt8(ascii: "(") {
            start = i - 1
            if start > 0, p[start] == UInt8(ascii: "+"), p[start - 1] == UInt8(ascii: "(") { start -= 1 }
        }
        let contextStart = Swift.max(0, start - PhoneContext.window)
        var buffer: [UInt8] = Array(p[contextStart..<start])
        let prefix = buffer.count
        // origin[k]: where the k-th rewritten byte starts in `p`; the end of the run is `runEnd`.
        var origin: [Int] = []
        var j = start
        var runEnd = i
        while j < n, buffer.count - prefix < 40 {
            if let d = NativeDigits.digit(p, j) {
                buffer.append(0x30 + d.value)
                origin.append(j)
                j += d.length
                runEnd = j
            } else if isDigit(j) || p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "(") || p[j] == UInt8(ascii: ")")
                        || ((p[j] == UInt8(ascii: " ") || p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: ".") || p[j] == UInt8(ascii: "/")) && j > start) {
                buffer.append(p[j])
                origin.append(j)
                j += 1
                if isDigit(j - 1) || p[j - 1] == UInt8(ascii: ")") { runEnd = j }
            } else {
                break
            }
        }
        // Keep the byte after the run (a word byte there makes the run part of a word).
        if runEnd < n, let last = origin.lastIndex(where: { $0 < runEnd }) {
            buffer.removeSubrange((prefix + last + 1)...)
            origin.removeSubrange((last + 1)...)
            if NativeDigits.digit(p, runEnd) == nil { buffer.append(p[runEnd]) }
        }
        var found: [PIISpan] = []
        var phonesOnly = scanner
        phonesOnly.types = PIITypeSet([.phone])
        buffer.withUnsafeBufferPointer { b in
            var sub = Scan(p: b, cls: cls, scanner: phonesOnly)
            sub.nativeDigits = false
            sub.run(into: &found)
        }
        for s in found where s.start >= prefix && s.end - prefix <= origin.count {
            let a = origin[s.start - prefix]
            let last = origin[s.end - 1 - prefix]
            let e = last + (NativeDigits.digit(p, last)?.length ?? 1)
            if a >= floor { emit(.phone, a, e, into: &spans) }
        }
        return runEnd
    }
}
