import CMinHash
import WinnowWordRules

/// Splits `simplify_text` output into words exactly as `EnglishWordTokenizer` (spaCy's rules) does, faster.
///
/// Simplified text is lowercase with punctuation turned into spaces and digit runs into `0`, so a chunk between
/// spaces that is all `a-z` or all `0-9` meets no prefix, suffix, infix or URL rule: it is one word unless it is
/// one of spaCy's special cases (`cannot` -> `can` `not`, `gonna`, `10am`, `dont`, ...). Those chunks are emitted
/// directly; every other chunk (non-ASCII bytes, letters and digits mixed such as `0km`, anything that may be a
/// special case) goes to the full tokenizer. Whether a chunk may be a special case is looked up by its first byte,
/// last byte and length in a table built from the tokenizer's own special-case strings; a false alarm only
/// costs the full tokenizer's time. One instance per task: the tokenizer keeps scratch buffers.
final class SimplifiedTextWordSplitter {
    private let full = EnglishWordTokenizer()
    /// The full tokenizer's words of one chunk (`wordBounds`).
    private var chunkTokens: [TokenSpan] = []
    /// Per byte: 1 for `a-z`, 2 for `0-9`, 4 otherwise (space is handled before the lookup).
    private let byteKind: [UInt8]
    /// Index of an `a-z0-9` byte among those 36 bytes, 0 otherwise.
    private let symbol: [UInt8]
    /// Per (first symbol, last symbol): bit `min(length, 63)` is set when a special case of that shape exists.
    private let specialLengths: [UInt64]
    /// The tokenizer's classes of every BMP scalar, and those its affix and infix rules test: a chunk of `a-z`
    /// and non-ASCII letters without them is one word (the full tokenizer's own fast path), unless its first byte
    /// is marked in `specialFirst` (first bytes of special cases made only of such letters).
    private let classes = CharClasses.table
    private let specialFirst: [UInt8]

    init() {
        var kind = [UInt8](repeating: 4, count: 256), symbol = [UInt8](repeating: 0, count: 256)
        for (i, b) in (Array("abcdefghijklmnopqrstuvwxyz".utf8) + Array("0123456789".utf8)).enumerated() {
            kind[Int(b)] = b >= 0x61 ? 1 : 2
            symbol[Int(b)] = UInt8(i)
        }
        var lengths = [UInt64](repeating: 0, count: 36 * 36)
        for key in EnglishWordTokenizer.specialCaseKeys where !key.isEmpty && key.allSatisfy({ kind[Int($0)] != 4 }) {
            lengths[Int(symbol[Int(key[0])]) * 36 + Int(symbol[Int(key[key.count - 1])])] |= 1 << UInt64(min(key.count, 63))
        }
        byteKind = kind
        self.symbol = symbol
        specialLengths = lengths
        var first = [UInt8](repeating: 0, count: 256)
        let table = CharClasses.table, relevant = EnglishWordTokenizer.affixRelevant.rawValue
        for key in EnglishWordTokenizer.specialCaseKeys where key.contains(where: { $0 >= 0x80 }) {
            let plain = String(decoding: key, as: UTF8.self).unicodeScalars.allSatisfy { scalar in
                scalar.value < 0x80 ? (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A
                    : table.classes(scalar.value).rawValue & relevant == 0
            }
            if plain { first[Int(key[0])] = 1 }
        }
        specialFirst = first
    }

    /// Appends the words of bytes `[0, count)` to `out` (no whitespace tokens), as
    /// `EnglishWordTokenizer.tokenize(p, 0, count, spaceTokens: false, into:)` would.
    func tokenize(_ p: UnsafePointer<UInt8>, _ count: Int, into out: inout [TokenSpan]) {
        byteKind.withUnsafeBufferPointer { kind in
            symbol.withUnsafeBufferPointer { symbol in
                specialLengths.withUnsafeBufferPointer { specialLengths in
                    var i = 0
                    while i < count {
                        if p[i] == 0x20 { i += 1; continue }
                        let start = i
                        var kinds: UInt8 = 0
                        while i < count, p[i] != 0x20 { kinds |= kind[Int(p[i])]; i += 1 }
                        if kinds == 1 || kinds == 2 {
                            let n = i - start
                            let shape = Int(symbol[Int(p[start])]) * 36 + Int(symbol[Int(p[i - 1])])
                            if specialLengths[shape] & (1 << UInt64(min(n, 63))) == 0 {
                                out.append(TokenSpan(start: start, end: i, space: false))
                                continue
                            }
                        }
                        full.tokenize(p, start, i, spaceTokens: false, into: &out)
                    }
                }
            }
        }
    }

    /// The same words as `tokenize`, as (start, end) pairs in `bounds[0..<2 * words]`; returns the number of
    /// words. `bounds` grows to `2 * (count + 1)` values (every word has at least one byte). The fast path runs
    /// in CMinHash (`winnow_split_simplified_words`; there also chunks of letters of any script that no affix or
    /// infix rule tests), other chunks through the full tokenizer.
    func wordBounds(_ p: UnsafePointer<UInt8>, _ count: Int, into bounds: inout [Int64]) -> Int {
        if bounds.count < 2 * (count + 1) { bounds = [Int64](repeating: 0, count: 2 * (count + 1)) }
        var words = 0
        var position = 0, chunkEnd = 0
        var tokens: [TokenSpan] = []  // the reused `chunkTokens`, held locally: no exclusivity check per chunk
        swap(&tokens, &chunkTokens)
        defer { swap(&tokens, &chunkTokens) }
        let relevant = EnglishWordTokenizer.affixRelevant.rawValue, bmp = classes.bmp
        byteKind.withUnsafeBufferPointer { kind in
            symbol.withUnsafeBufferPointer { symbol in
                specialLengths.withUnsafeBufferPointer { specialLengths in
                    specialFirst.withUnsafeBufferPointer { specialFirst in
                        bounds.withUnsafeMutableBufferPointer { out in
                            while position < count {
                                words += winnow_split_simplified_words(p, count, &position, kind.baseAddress, symbol.baseAddress,
                                                                       specialLengths.baseAddress, bmp, relevant,
                                                                       specialFirst.baseAddress, out.baseAddress! + 2 * words, &chunkEnd)
                                guard position < count else { break }
                                tokens.removeAll(keepingCapacity: true)
                                full.tokenize(p, position, chunkEnd, spaceTokens: false, into: &tokens)
                                for t in tokens {
                                    out[2 * words] = Int64(t.start)
                                    out[2 * words + 1] = Int64(t.end)
                                    words += 1
                                }
                                position = chunkEnd
                            }
                        }
                    }
                }
            }
        }
        return words
    }
}
