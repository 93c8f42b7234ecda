import Testing
import WinnowTestSupport
import WinnowText

/// Hand-worked cases from the Unicode Script and Script_Extensions properties (Scripts.txt,
/// ScriptExtensions.txt) and ISO 15924's composite codes.
struct ScriptMatcherTests {
    func occurs(_ script: String, _ text: String) -> Bool {
        ScriptMatcher(script: script)!.occurs(in: Array(text.utf8))
    }

    @Test func singleScripts() {
        #expect(occurs("Latn", "123 Hello"))
        #expect(!occurs("Latn", "123 — !?"))  // digits and punctuation are Common
        #expect(occurs("Latn", "\u{00E9}"))  // é is Latin
        #expect(occurs("Cyrl", "1. Москва"))
        #expect(!occurs("Cyrl", "Moskva"))
        #expect(!occurs("Latn", "Москва"))
        #expect(occurs("Arab", "مرحبا"))
        #expect(occurs("Deva", "नमस्ते"))
        #expect(occurs("Thai", "สวัสดี"))
        #expect(!occurs("Latn", "\u{0301}\u{0301}"))  // combining acute accents alone are Inherited
    }

    @Test func compositeScripts() {
        #expect(occurs("Jpan", "ひらがな"))
        #expect(occurs("Jpan", "カタカナ"))
        #expect(occurs("Jpan", "漢字"))
        #expect(occurs("Hani", "漢字"))
        #expect(occurs("Hans", "汉字"))
        #expect(!occurs("Hani", "ひらがな"))
        #expect(occurs("Kore", "한국어"))
        #expect(!occurs("Hani", "한국어"))
        // U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK is Common, with Script_Extensions {Hira, Kana}.
        #expect(occurs("Jpan", "\u{30FC}"))
        #expect(!occurs("Kore", "\u{30FC}"))
    }

    @Test func invalidBytesAreSkipped() {
        let m = ScriptMatcher(script: "Cyrl")!
        #expect(!m.occurs(in: [0xFF, 0xD0, 0x41, 0xED, 0xA0, 0x80]))  // stray lead, truncated, surrogate
        #expect(m.occurs(in: [0xFF, 0xD0, 0x9C]))  // then М (U+041C)
        #expect(!m.occurs(in: []))
    }

    @Test func unknownCodes() {
        #expect(ScriptMatcher(script: "Xxxx") == nil)
        #expect(ScriptMatcher(script: "Zyyy") == nil)  // Common: not a writing system to look for
        #expect(ScriptMatcher(script: "Latn")?.scriptCodes == [25])
    }
}
