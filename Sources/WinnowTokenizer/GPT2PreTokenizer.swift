/// The GPT-2 pattern `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` as a scanner.
///
/// Alternatives are tried in order at each position, as a backtracking engine does: the contractions
/// (case-sensitive), ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`, then `\s+(?!\S)` (a whitespace run, minus its
/// last character when a non-space follows, so that the space joins the next word), then `\s+`. The optional
/// prefix is the ASCII space only; `\s` is the White_Space property.
enum GPT2Scanner {
    @inline(__always)
    static func pieceEnd(_ t: ScanText, _ start: Int) -> Int {
        let contraction = t.contraction(start)
        if contraction > 0 { return start + contraction }
        // ` ?X+` for X in letters, numbers, punctuation: an optional ASCII space then a run.
        var i = start
        if t.p[i] == 0x20, i + 1 < t.n, !t.isIn(i + 1, CodePointClass.whitespace) { i += 1 }
        let (cls, length) = t.classAt(i)
        let bit: UInt8 = 1 << cls
        if bit & CodePointClass.whitespace == 0 {
            let mask = bit & CodePointClass.letters != 0 ? CodePointClass.letters
                : bit & CodePointClass.numbers != 0 ? CodePointClass.numbers : CodePointClass.punctuation
            return t.runEnd(i + length, mask)
        }
        // \s+(?!\S) backtracks to leave the last whitespace character for the next token; else \s+.
        var last = start
        var end = start
        while end < t.n {
            let (c, l) = t.classAt(end)
            if (CodePointClass.whitespace >> c) & 1 == 0 { break }
            last = end
            end += l
        }
        return end == t.n || last == start ? end : last
    }
}

/// The GPT-2 split (`PreTokenizer(pattern: .gpt2)`), kept as its own type for callers that only need it.
public struct GPT2PreTokenizer: Sendable {
    public init() {}

    /// Calls `body` with the byte range of each pre-token of `text`, in order; the ranges tile the text.
    public func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) rethrows {
        try PreTokenizer(pattern: .gpt2).split(text, body)
    }

    /// The pre-tokens of `text` as byte arrays.
    public func pieces(_ text: [UInt8]) -> [[UInt8]] {
        PreTokenizer(pattern: .gpt2).pieces(text)
    }
}
