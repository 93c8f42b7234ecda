/// A split pattern preset: the regex a byte-level BPE tokenizer splits text with before merging. Each has a
/// hand-written scanner over UTF-8 bytes (`PreTokenizer`) that splits exactly as the regex does in Python
/// `regex`, HF `tokenizers` (Oniguruma) and tiktoken (fancy-regex).
public enum SplitPattern: String, Sendable, CaseIterable {
    /// GPT-2, r50k/p50k, HF `ByteLevel(use_regex=True)`.
    case gpt2
    /// GPT-4's cl100k_base as tiktoken writes it today (possessive quantifiers, `\s++$`).
    case cl100k
    /// Llama 3 (and cl100k_base as first published): like cl100k except that trailing whitespace at the end of
    /// the text splits before its last newline.
    case llama3
    /// GPT-4o's o200k_base: case-aware word pieces with marks, contractions attached to words.
    case o200k
    /// Qwen2 / Qwen2.5: Llama 3's pattern with single digits.
    case qwen2

    /// The pattern as a regex (for exports and for reference tests).
    public var regex: String {
        switch self {
        case .gpt2:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .cl100k:
            return #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
        case .llama3:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .o200k:
            return [
                #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
                #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
                #"\p{N}{1,3}"#,
                #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
                #"\s*[\r\n]+"#,
                #"\s+(?!\S)"#,
                #"\s+"#,
            ].joined(separator: "|")
        case .qwen2:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        }
    }

    /// The pattern spelled so that HF `tokenizers` (Oniguruma, Ruby syntax) splits as tiktoken does: Ruby reads
    /// cl100k's `\p{N}{1,3}+` as `(\p{N}{1,3})+`, any number of digits, so the HF spelling drops that `+`
    /// (possessive or not, `{1,3}` matches the same there). The other presets are spelled as `regex`.
    public var hfRegex: String {
        switch self {
        case .cl100k:
            return #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
        default:
            return regex
        }
    }

    /// r50k_base's possessive spelling of the GPT-2 pattern, which splits identically.
    static let r50kRegex = #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#

    /// The preset whose regex (as Python `regex` and tiktoken read it) is `regex`; also r50k's spelling of GPT-2's.
    public init?(regex: String) {
        if let preset = SplitPattern.allCases.first(where: { $0.regex == regex }) {
            self = preset
        } else if regex == Self.r50kRegex {
            self = .gpt2
        } else {
            return nil
        }
    }

    /// The preset that HF `tokenizers` splits with when a `Split` pre-tokenizer holds `regex`: the `hfRegex`
    /// spellings and r50k's. tiktoken's own cl100k spelling is not one: HF reads it with unbounded digit runs.
    public init?(hfRegex regex: String) {
        if let preset = SplitPattern.allCases.first(where: { $0.hfRegex == regex }) {
            self = preset
        } else if regex == Self.r50kRegex {
            self = .gpt2
        } else {
            return nil
        }
    }
}
