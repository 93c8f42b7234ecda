@_implementationOnly import CICU

/// Answers whether a text contains letters of one writing system (an ISO 15924 script such as `Latn`,
/// `Cyrl`, `Hani`), with ICU's Script and Script_Extensions properties. Language ID uses it to flag a
/// prediction whose script does not occur in the text (a model saying Russian for Latin-script text).
///
/// The composite scripts are expanded as ISO 15924 defines them: `Jpan` is Han, Hiragana or Katakana, `Kore` is
/// Hangul or Han, and `Hans`/`Hant` are Han. Characters of the Common and Inherited scripts (digits,
/// punctuation, combining marks) count only through their Script_Extensions (U+30FC is in Hiragana and
/// Katakana). Invalid UTF-8 bytes are skipped.
public struct ScriptMatcher: Sendable {
    /// ICU script codes (UScriptCode) that satisfy the script.
    public let scriptCodes: [Int32]
    /// The ISO 15924 code asked for.
    public let script: String
    private let acceptsLatin: Bool

    private static let latin: Int32 = 25, common: Int32 = 0, inherited: Int32 = 1

    /// A matcher for an ISO 15924 code, or nil when ICU does not know the code.
    public init?(script: String) {
        let parts: [String]
        switch script {
        case "Jpan": parts = ["Hira", "Kana", "Hani"]
        case "Kore": parts = ["Hang", "Hani"]
        case "Hans", "Hant": parts = ["Hani"]
        default: parts = [script]
        }
        var codes: [Int32] = []
        for part in parts {
            let code = part.withCString { winnow_uscript_codeOf($0) }
            guard code >= 0, code != Self.common, code != Self.inherited else { return nil }
            codes.append(code)
        }
        self.script = script
        scriptCodes = codes
        acceptsLatin = codes.contains(Self.latin)
    }

    /// Whether a code point of `text` (UTF-8) belongs to the script. Stops at the first one.
    public func occurs(in text: UnsafeRawBufferPointer) -> Bool {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        let n = text.count
        var i = 0
        while i < n {
            let b = base[i]
            if b < 0x80 {
                // ASCII letters are Latin; nothing else in ASCII belongs to a script other than Common.
                if acceptsLatin, (b | 0x20) >= 0x61, (b | 0x20) <= 0x7A { return true }
                i += 1
                continue
            }
            let (scalar, length) = Self.decode(base, i, n)
            i += length
            guard let scalar else { continue }
            let code = winnow_uscript_getScript(Int32(bitPattern: scalar))
            if code == Self.common || code == Self.inherited {
                for wanted in scriptCodes where winnow_uscript_hasScript(Int32(bitPattern: scalar), wanted) != 0 { return true }
            } else if scriptCodes.contains(code) {
                return true
            }
        }
        return false
    }

    /// Whether `text` contains a code point of the script.
    public func occurs(in text: [UInt8]) -> Bool {
        text.withUnsafeBytes { occurs(in: $0) }
    }

    /// Decodes the non-ASCII sequence at `i`: the scalar (nil when invalid) and the bytes it spans.
    @inline(__always)
    private static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32?, Int) {
        let b0 = UInt32(p[i])
        let length: Int, minimum: UInt32
        var scalar: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; scalar = b0 & 0x1F; minimum = 0x80
        case 0xE0...0xEF: length = 3; scalar = b0 & 0x0F; minimum = 0x800
        case 0xF0...0xF4: length = 4; scalar = b0 & 0x07; minimum = 0x10000
        default: return (nil, 1)
        }
        guard i + length <= n else { return (nil, 1) }
        for k in 1..<length {
            let b = UInt32(p[i + k])
            guard b & 0xC0 == 0x80 else { return (nil, 1) }
            scalar = scalar << 6 | (b & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return (nil, 1) }
        return (scalar, length)
    }
}
