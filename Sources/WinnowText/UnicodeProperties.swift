@_implementationOnly import CICU

/// Unicode character properties from ICU, for scanners that classify code points the way regex engines do.
public enum UnicodeProperties {
    /// The coarse class of a code point as regex engines see it: `\p{L}`, `\p{N}`, `\s`, or anything else.
    public enum RegexClass: UInt8, Sendable {
        /// General category L (Lu, Ll, Lt, Lm, Lo): `\p{L}`.
        case letter = 0
        /// General category N (Nd, Nl, No): `\p{N}`.
        case number = 1
        /// The White_Space property: Unicode `\s` in Oniguruma, PCRE2 (UCP), Python `regex` and Rust `regex`.
        case whitespace = 2
        /// Everything else, including unassigned code points and surrogates.
        case other = 3
    }

    /// The class of `scalar` (a code point, 0...0x10FFFF; anything larger is `.other`).
    public static func regexClass(_ scalar: UInt32) -> RegexClass {
        guard scalar <= 0x10FFFF else { return .other }
        let c = Int32(bitPattern: scalar)
        if winnow_u_isUWhiteSpace(c) != 0 { return .whitespace }
        switch winnow_u_charType(c) {
        case 1, 2, 3, 4, 5: return .letter  // Lu, Ll, Lt, Lm, Lo
        case 9, 10, 11: return .number  // Nd, Nl, No
        default: return .other
        }
    }

    /// The ICU general category (`UCharCategory`: 1 = Lu, 2 = Ll, ..., 9 = Nd, ...) of `scalar`.
    public static func generalCategory(_ scalar: UInt32) -> Int {
        guard scalar <= 0x10FFFF else { return 0 }
        return Int(winnow_u_charType(Int32(bitPattern: scalar)))
    }
}
