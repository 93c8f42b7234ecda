/// A slow, obviously-regex-shaped reference for GPT-2's split pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`: at each position the
/// alternatives are tried in order, as a backtracking regex engine does, over Unicode scalars classified with the
/// standard library's properties. Used by the `pretoken` target on text whose characters have had the same
/// properties in every Unicode version (`differentialAlphabet`), so the two implementations' tables cannot differ.
enum GPT2SplitReference {
    enum Kind { case letter, number, space, other }

    static func kind(_ s: Unicode.Scalar) -> Kind {
        if s.properties.isWhitespace { return .space }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// The pieces as scalar ranges.
    static func split(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let kinds = scalars.map(kind)
        let n = scalars.count
        var pieces: [Range<Int>] = []
        var i = 0
        func run(_ from: Int, _ k: Kind) -> Int {
            var j = from
            while j < n, kinds[j] == k { j += 1 }
            return j
        }
        while i < n {
            var end = -1
            // Contractions (case-sensitive in GPT-2's pattern).
            if scalars[i] == "'" {
                for suffix in ["s", "t", "re", "ve", "m", "ll", "d"] {
                    let tail = Array(suffix.unicodeScalars)
                    if i + tail.count < n, Array(scalars[(i + 1)...(i + tail.count)]) == tail { end = i + 1 + tail.count; break }
                }
            }
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: the optional space first, then without it.
            if end < 0 {
                for k in [Kind.letter, .number, .other] {
                    if scalars[i] == " ", i + 1 < n, kinds[i + 1] == k { end = run(i + 1, k); break }
                    if kinds[i] == k { end = run(i, k); break }
                }
            }
            // `\s+(?!\S)`, then `\s+`.
            if end < 0 {
                let j = run(i, .space)
                end = j == n || j - 1 == i ? j : j - 1
            }
            pieces.append(i..<end)
            i = end
        }
        return pieces
    }

    /// Characters whose White_Space, letter and number properties are the same in every Unicode version the
    /// scanner's tables or the standard library may use: ASCII, Latin-1, a CJK ideograph, marks, spaces, digits.
    static let differentialAlphabet: [Unicode.Scalar] = {
        var alphabet: [Unicode.Scalar] = ["\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        alphabet += (0x20...0x7E).map { Unicode.Scalar(UInt8($0)) }
        alphabet += ["é", "ß", "ª", "²", "½", "\u{A0}", "東", "京", "\u{2028}", "\u{3000}", "\u{0301}", "١", "ǅ", "😀", "µ", "¿"]
        return alphabet
    }()
}
