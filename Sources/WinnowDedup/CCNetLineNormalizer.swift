import WinnowWordRules

/// CCNet's `normalize_for_dedup` (cc_net/text_normalizer.py) on UTF-8 bytes: the line is stripped (Python
/// whitespace), lowercased (each scalar's full lowercase mapping), every decimal digit (`\d`: any script) becomes
/// `0`, and CCNet's Unicode punctuation (`，。、„”“«»」「《》´∶：？！（）；–—．～’…━〈〉【】％►`) and control characters
/// (U+0000-U+001F, U+007F-U+009F) are removed. ASCII punctuation and accents stay, as in CCNet.
///
/// Not reproduced: Python's context-dependent final sigma (`Σ` at the end of a word lowercases to `ς` in Python,
/// to `σ` here). One instance per task: it keeps scratch buffers.
final class CCNetLineNormalizer {
    static let punctuation: Set<UInt32> = Set("，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►".unicodeScalars.map(\.value))

    /// Normalizes bytes `[start, end)` of `p` into `output` (cleared first); returns its length in characters.
    @discardableResult
    func normalize(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into output: inout [UInt8]) -> Int {
        output.removeAll(keepingCapacity: true)
        let (s, e) = UTF8Scan.strip(p, start, end)
        var characters = 0
        var i = s
        while i < e {
            let b = p[i]
            if b < 0x80 {
                i += 1
                if b < 0x20 || b == 0x7F { continue }
                output.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : (b >= 0x30 && b <= 0x39 ? 0x30 : b))
                characters += 1
                continue
            }
            let (cp, len) = UTF8Scan.decode(p, i, e)
            i += len
            guard let scalar = Unicode.Scalar(cp) else { continue }
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                let v = lowered.value
                if v < 0x80 {
                    output.append(v >= 0x30 && v <= 0x39 ? 0x30 : UInt8(v))
                } else if lowered.properties.numericType == .decimal {
                    output.append(0x30)  // before the punctuation: CCNet replaces digits first (fullwidth 1 is both)
                } else if v <= 0x9F || Self.punctuation.contains(v) {
                    continue
                } else {
                    for unit in UTF8.encode(lowered)! { output.append(unit) }
                }
                characters += 1
            }
        }
        return characters
    }
}
