/// o200k_base's pattern as a scanner:
/// `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`
/// `|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`
/// `|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
///
/// Write U for `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`, C for `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`, and B for their overlap
/// (Lm, Lo, marks). The first word alternative, `P?U*C+K?`, is tried first with the prefix P taken and then
/// without; with U* greedy, the backtracking engine's first success is: the whole U run when a C follows it
/// (then the whole C run), else the U run cut after its last B (that B is the C+), else failure. The second,
/// `P?U+C*K?`, succeeds with any non-empty U run followed by the C run. K is a case-insensitive contraction.
enum O200KScanner {
    @inline(__always)
    static func pieceEnd(_ t: ScanText, _ start: Int) -> Int {
        let (c0, l0) = t.classAt(start)
        let bit0: UInt8 = 1 << c0
        if bit0 & (CodePointClass.numbers | 1 << CodePointClass.newline) == 0 {
            if let end = wordEnd(t, start, canTakePrefix: bit0 & CodePointClass.wordPrefix != 0, l0) {
                return end < t.n ? end + t.caseInsensitiveContraction(end) : end
            }
        }
        if c0 == CodePointClass.number {
            var i = start + l0
            var digits = 1
            while digits < 3, i < t.n {
                let (c, l) = t.classAt(i)
                if c != CodePointClass.number { break }
                i += l
                digits += 1
            }
            return i
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
        var i = start
        if t.p[start] == 0x20, start + 1 < t.n, t.isIn(start + 1, CodePointClass.punctuation) { i += 1 }
        if t.isIn(i, CodePointClass.punctuation) {
            i = t.runEnd(i, CodePointClass.punctuation)
            while i < t.n, t.p[i] == 0x0A || t.p[i] == 0x0D || t.p[i] == 0x2F { i += 1 }
            return i
        }
        return WhitespaceRun.end(t, start, trailingRunIsOnePiece: false)
    }

    /// The end of the word alternatives (before the contraction), or nil when neither matches at `start`.
    @inline(__always)
    static func wordEnd(_ t: ScanText, _ start: Int, canTakePrefix: Bool, _ prefixLength: Int) -> Int? {
        if canTakePrefix, let end = lowerEndingWord(t, start + prefixLength) { return end }
        if let end = lowerEndingWord(t, start) { return end }
        if canTakePrefix, let end = upperStartingWord(t, start + prefixLength) { return end }
        return upperStartingWord(t, start)
    }

    /// `U*C+` at `start`.
    @inline(__always)
    static func lowerEndingWord(_ t: ScanText, _ start: Int) -> Int? {
        var i = start
        var afterLastCaseless = -1
        while i < t.n {
            let (c, l) = t.classAt(i)
            if (CodePointClass.upperOrCaseless >> c) & 1 == 0 { break }
            if c != CodePointClass.upper { afterLastCaseless = i + l }
            i += l
        }
        if i < t.n {
            let (c, l) = t.classAt(i)
            if (CodePointClass.lowerOrCaseless >> c) & 1 != 0 { return t.runEnd(i + l, CodePointClass.lowerOrCaseless) }
        }
        return afterLastCaseless >= 0 ? afterLastCaseless : nil
    }

    /// `U+C*` at `start`.
    @inline(__always)
    static func upperStartingWord(_ t: ScanText, _ start: Int) -> Int? {
        let i = t.runEnd(start, CodePointClass.upperOrCaseless)
        return i > start ? t.runEnd(i, CodePointClass.lowerOrCaseless) : nil
    }
}
