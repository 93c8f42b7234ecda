import WinnowText

/// The text normalization shared by n-gram language-model training (`winnow lm train --normalize`) and
/// scoring (`perplexity` with `normalize: true`): CCNet's `text_normalizer.normalize` with its defaults
/// (cc_net/text_normalizer.py), applied to every line while keeping the `\n` between lines:
///
/// 1. lowercase (Unicode: each scalar's full lowercase mapping);
/// 2. strip accents: canonical decomposition (NFD), then drop nonspacing marks (category Mn); the rest of
///    the text stays decomposed, as in CCNet;
/// 3. every decimal digit (category Nd, any script) becomes `0`;
/// 4. CCNet's Unicode punctuation table: `，`→`,`, `。`→`.`, `“ ” „ « »`→`"`, `’ ´`→`'`, `–`→`-`, `—`→` - `,
///    `…`→`...` and the others of `UNICODE_PUNCT`;
/// 5. drop control characters U+0000-U+001F (but `\n`) and U+007F-U+009F: a tab between two words joins
///    them, as in CCNet.
///
/// CCNet also strips each line's surrounding whitespace, which changes no token. ASCII-only text is
/// normalized in one byte pass; other text goes through the steps above once per call. Not thread-safe
/// (it keeps scratch buffers): one per task.
public final class LanguageModelNormalizer {
    private let decomposer = UnicodeNormalizer(form: .nfd)
    private var lowered: [UInt8] = []

    public init() {}

    /// Normalizes `text` (valid UTF-8) into `output`, which is cleared first.
    public func normalize(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(text.count)
        var ascii = true
        for b in text where b >= 0x80 { ascii = false; break }
        if ascii {
            for b in text {
                if b >= 0x41 && b <= 0x5A { output.append(b | 0x20) }
                else if b >= 0x30 && b <= 0x39 { output.append(0x30) }
                else if (b < 0x20 && b != 0x0A) || b == 0x7F { continue }
                else { output.append(b) }
            }
            return
        }
        // 1. Lowercase.
        lowered.removeAll(keepingCapacity: true)
        lowered.reserveCapacity(text.count)
        forEachScalar(text) { scalar in
            if scalar.value < 0x80 {
                let b = UInt8(scalar.value)
                lowered.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            } else {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        // 2. Decompose; then marks, digits, punctuation and controls scalar by scalar.
        let decomposed = decomposer.normalize(lowered)
        decomposed.withUnsafeBufferPointer { bytes in
            forEachScalar(bytes) { scalar in
                let v = scalar.value
                if v < 0x80 {
                    let b = UInt8(v)
                    if b >= 0x30 && b <= 0x39 { output.append(0x30) }
                    else if (b < 0x20 && b != 0x0A) || b == 0x7F { return }
                    else { output.append(b) }
                    return
                }
                if v <= 0x9F { return }  // C1 controls
                if let replacement = Self.punctuation(v) {
                    replacement.withUTF8Buffer { output.append(contentsOf: $0) }
                    return
                }
                let properties = scalar.properties
                if properties.generalCategory == .nonspacingMark { return }
                if properties.numericType == .decimal { output.append(0x30); return }
                var units: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
                let count = withUnsafeMutableBytes(of: &units) { raw -> Int in
                    var n = 0
                    UTF8.encode(scalar) { raw[n] = $0; n += 1 }
                    return n
                }
                withUnsafeBytes(of: &units) { output.append(contentsOf: $0.prefix(count)) }
            }
        }
    }

    /// Normalizes `text` into a new array.
    public func normalize(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        text.withUnsafeBufferPointer { normalize($0, into: &output) }
        return output
    }

    /// CCNet's `UNICODE_PUNCT` replacements.
    static func punctuation(_ v: UInt32) -> StaticString? {
        switch v {
        case 0xFF0C: return ","       // ，
        case 0x3002: return "."       // 。
        case 0x3001: return ","       // 、
        case 0x201E, 0x201D, 0x201C, 0x00AB, 0x00BB, 0xFF11, 0x300D, 0x300C, 0x300A, 0x300B:
            return "\""               // „ ” “ « » １ 」 「 《 》
        case 0x00B4: return "'"       // ´
        case 0x2236, 0xFF1A: return ":"  // ∶ ：
        case 0xFF1F: return "?"       // ？
        case 0xFF01: return "!"       // ！
        case 0xFF08: return "("       // （
        case 0xFF09: return ")"       // ）
        case 0xFF1B: return ";"       // ；
        case 0x2013: return "-"       // –
        case 0x2014: return " - "     // —
        case 0xFF0E: return ". "      // ．
        case 0xFF5E: return "~"       // ～
        case 0x2019: return "'"       // ’
        case 0x2026: return "..."     // …
        case 0x2501: return "-"       // ━
        case 0x3008: return "<"       // 〈
        case 0x3009: return ">"       // 〉
        case 0x3010: return "["       // 【
        case 0x3011: return "]"       // 】
        case 0xFF05: return "%"       // ％
        case 0x25BA: return "-"       // ►
        default: return nil
        }
    }
}

/// Calls `body` with each scalar of valid UTF-8 bytes (a truncated sequence at the end becomes U+FFFD).
@inline(__always)
func forEachScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Unicode.Scalar) -> Void) {
    var i = 0
    let n = bytes.count
    while i < n {
        let lead = bytes[i]
        var value: UInt32, length: Int
        if lead < 0x80 { value = UInt32(lead); length = 1 }
        else if lead < 0xE0 { value = UInt32(lead & 0x1F); length = 2 }
        else if lead < 0xF0 { value = UInt32(lead & 0x0F); length = 3 }
        else { value = UInt32(lead & 0x07); length = 4 }
        if i + length > n {
            body("\u{FFFD}")
            return
        }
        var k = 1
        while k < length { value = value << 6 | UInt32(bytes[i + k] & 0x3F); k += 1 }
        body(Unicode.Scalar(value) ?? "\u{FFFD}")
        i += length
    }
}
