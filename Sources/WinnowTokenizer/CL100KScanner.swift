/// The cl100k family of patterns as one scanner: cl100k_base, Llama 3 and Qwen2.
///
/// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
/// Qwen2 takes one digit (`\p{N}`) instead of up to three. cl100k_base (tiktoken's possessive spelling) ends with
/// `\s++$|\s*[\r\n]|\s+(?!\S)|\s`, which differs only for whitespace that runs to the end of the text: one piece,
/// where Llama 3 splits it after its last newline.
///
/// At each position, in the regex's order: a contraction (case-insensitive); an optional prefix character that is
/// not CR, LF, a letter or a number, then letters; one to three (Qwen2: one) numbers; an optional ASCII space,
/// characters that are not whitespace, letters or numbers, then CRs and LFs; whitespace: up to and including its
/// last CR/LF if it has one, else the run minus its last character when a non-space follows, else the run.
enum CL100KScanner {
    struct Variant {
        var maxDigits: Int
        var trailingWhitespaceIsOnePiece: Bool

        static let cl100k = Variant(maxDigits: 3, trailingWhitespaceIsOnePiece: true)
        static let llama3 = Variant(maxDigits: 3, trailingWhitespaceIsOnePiece: false)
        static let qwen2 = Variant(maxDigits: 1, trailingWhitespaceIsOnePiece: false)
    }

    @inline(__always)
    static func pieceEnd(_ t: ScanText, _ start: Int, _ variant: Variant) -> Int {
        let contraction = t.caseInsensitiveContraction(start)
        if contraction > 0 { return start + contraction }
        let (c0, l0) = t.classAt(start)
        let bit0: UInt8 = 1 << c0
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if bit0 & CodePointClass.letters != 0 { return t.runEnd(start + l0, CodePointClass.letters) }
        if bit0 & CodePointClass.wordPrefix != 0, start + l0 < t.n {
            let (c1, l1) = t.classAt(start + l0)
            if (CodePointClass.letters >> c1) & 1 != 0 { return t.runEnd(start + l0 + l1, CodePointClass.letters) }
        }
        // \p{N}{1,3}
        if c0 == CodePointClass.number {
            var i = start + l0
            var digits = 1
            while digits < variant.maxDigits, i < t.n {
                let (c, l) = t.classAt(i)
                if c != CodePointClass.number { break }
                i += l
                digits += 1
            }
            return i
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var i = start
        if t.p[start] == 0x20, start + 1 < t.n, t.isIn(start + 1, CodePointClass.punctuation) { i += 1 }
        if t.isIn(i, CodePointClass.punctuation) {
            i = t.runEnd(i, CodePointClass.punctuation)
            while i < t.n, t.p[i] == 0x0A || t.p[i] == 0x0D { i += 1 }
            return i
        }
        return WhitespaceRun.end(t, start, trailingRunIsOnePiece: variant.trailingWhitespaceIsOnePiece)
    }
}

/// The whitespace alternatives shared by the cl100k family and o200k, at a whitespace character:
/// `\s*[\r\n]+|\s+(?!\S)|\s+` (with `trailingRunIsOnePiece`, cl100k's `\s++$|\s*[\r\n]|\s+(?!\S)|\s`).
enum WhitespaceRun {
    @inline(__always)
    static func end(_ t: ScanText, _ start: Int, trailingRunIsOnePiece: Bool) -> Int {
        var end = start
        var last = start
        var afterLastNewline = -1
        while end < t.n {
            let (c, l) = t.classAt(end)
            if (CodePointClass.whitespace >> c) & 1 == 0 { break }
            if c == CodePointClass.newline { afterLastNewline = end + l }
            last = end
            end += l
        }
        if end == t.n && trailingRunIsOnePiece { return end }
        // \s*[\r\n]+: the greedy \s* gives back characters until the last CR/LF of the run.
        if afterLastNewline >= 0 { return afterLastNewline }
        // \s+(?!\S), else \s+ (one character before a non-space).
        return end == t.n || last == start ? end : last
    }
}
