import WinnowText

/// A split pattern preset: the regex a byte-level BPE tokenizer splits text with before merging.
public enum SplitPattern: String, Sendable, CaseIterable {
    /// GPT-2 (also HF `ByteLevel(use_regex=True)`):
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2

    /// The pattern as a regex (for exports and for reference tests).
    public var regex: String {
        switch self {
        case .gpt2: return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        }
    }
}

/// Code point classes for the scanners: a table for the BMP (built once from ICU), ICU above it.
enum CharClass {
    static let letter: UInt8 = 0
    static let number: UInt8 = 1
    static let space: UInt8 = 2
    static let other: UInt8 = 3

    static let bmp: [UInt8] = {
        var table = [UInt8](repeating: other, count: 0x10000)
        for c in 0..<0x10000 where !(0xD800..<0xE000).contains(c) {
            table[c] = UnicodeProperties.regexClass(UInt32(c)).rawValue
        }
        return table
    }()

    @inline(__always)
    static func of(_ scalar: UInt32, table: UnsafePointer<UInt8>) -> UInt8 {
        scalar < 0x10000 ? table[Int(scalar)] : UnicodeProperties.regexClass(scalar).rawValue
    }
}

/// Splits UTF-8 text into pre-tokens exactly as the GPT-2 regex does under a backtracking engine
/// (Oniguruma in HF `tokenizers`, Python `regex`), with a hand-written scanner over the bytes.
///
/// Alternatives are tried in order at each position, as the regex does: the contractions (case-sensitive),
/// ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`, then `\s+(?!\S)` (a whitespace run, minus its last
/// character when a non-space follows, so that the space joins the next word), then `\s+`. The optional
/// prefix is the ASCII space only; `\s` is the White_Space property. Input must be valid UTF-8 (ill-formed
/// bytes are treated as one-byte `other` characters).
public struct GPT2PreTokenizer: Sendable {
    public init() {}

    /// Calls `body` with the byte range of each pre-token of `text`, in order; the ranges tile the text.
    public func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) rethrows {
        try CharClass.bmp.withUnsafeBufferPointer { tableBuffer in
            let table = tableBuffer.baseAddress!
            let n = text.count
            guard n > 0, let p = text.baseAddress else { return }

            // Decodes the code point at i: (class, length in bytes).
            @inline(__always) func classAt(_ i: Int) -> (UInt8, Int) {
                let b0 = p[i]
                if b0 < 0x80 { return (table[Int(b0)], 1) }
                var scalar: UInt32
                var len: Int
                if b0 & 0xE0 == 0xC0 { scalar = UInt32(b0 & 0x1F); len = 2 }
                else if b0 & 0xF0 == 0xE0 { scalar = UInt32(b0 & 0x0F); len = 3 }
                else if b0 & 0xF8 == 0xF0 { scalar = UInt32(b0 & 0x07); len = 4 }
                else { return (CharClass.other, 1) }
                if i + len > n { return (CharClass.other, 1) }
                for k in 1..<len {
                    let b = p[i + k]
                    if b & 0xC0 != 0x80 { return (CharClass.other, 1) }
                    scalar = scalar << 6 | UInt32(b & 0x3F)
                }
                return (CharClass.of(scalar, table: table), len)
            }

            // The end of the run of characters of class `cls` starting at i.
            @inline(__always) func runEnd(_ start: Int, _ cls: UInt8) -> Int {
                var i = start
                while i < n {
                    let (c, len) = classAt(i)
                    if c != cls { break }
                    i += len
                }
                return i
            }

            var i = 0
            while i < n {
                let start = i
                let b = p[i]
                // Contractions: 's 't 're 've 'm 'll 'd.
                if b == 0x27, i + 1 < n {
                    let c1 = p[i + 1]
                    if c1 == 0x73 || c1 == 0x74 || c1 == 0x6D || c1 == 0x64 {  // s t m d
                        try body(start..<(i + 2)); i += 2; continue
                    }
                    if i + 2 < n {
                        let c2 = p[i + 2]
                        if (c1 == 0x72 && c2 == 0x65) || (c1 == 0x76 && c2 == 0x65) || (c1 == 0x6C && c2 == 0x6C) {
                            try body(start..<(i + 3)); i += 3; continue
                        }
                    }
                }
                let (cls, len) = classAt(i)
                // ` ?X+` for X in letter, number, other: an optional ASCII space then a run.
                if b == 0x20, i + 1 < n {
                    let (next, _) = classAt(i + 1)
                    if next != CharClass.space {
                        i = runEnd(i + 1, next)
                        try body(start..<i)
                        continue
                    }
                }
                if cls != CharClass.space {
                    i = runEnd(i + len, cls)
                    try body(start..<i)
                    continue
                }
                // Whitespace: \s+(?!\S) backtracks to leave the last space for the next token; else \s+.
                let end = runEnd(i + len, CharClass.space)
                if end == n {
                    i = end
                } else {
                    // The start of the last whitespace character of the run.
                    var last = end - 1
                    while p[last] & 0xC0 == 0x80 { last -= 1 }
                    i = last > start ? last : end
                }
                try body(start..<i)
            }
        }
    }

    /// The pre-tokens of `text` as byte arrays (for tests and tools; training uses `split`).
    public func pieces(_ text: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        text.withUnsafeBufferPointer { buffer in
            split(buffer) { out.append(Array(buffer[$0])) }
        }
        return out
    }
}
