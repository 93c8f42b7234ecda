import Testing
import WinnowTestSupport
import WinnowText

@Suite struct CharsetDetectorTests {
    /// The names a correct guess may carry, per CPython codec (ICU reports GBK text as its superset GB18030).
    static let acceptedNames: [String: Set<String>] = [
        "cp1251": ["windows-1251"], "shift_jis": ["shift_jis"], "gbk": ["gbk", "gb18030"],
        "iso-8859-7": ["iso-8859-7"], "cp1252": ["windows-1252"],
    ]

    /// Prose and HTML pages in legacy charsets, declaring nothing or (wrongly) UTF-8, decode as CPython
    /// decodes them in their real charset.
    @Test func pythonReferenceUndeclaredAndMisdeclared() throws {
        #expect(PythonReference.detection.count == 10)
        for (codec, input, expected) in PythonReference.detection {
            for declared in [nil, "utf-8"] as [String?] {
                let result = CharsetDetector.decodeToUTF8(hex(input), declared: declared)
                #expect(hexString(result.text) == expected, "\(codec) declared \(declared ?? "nothing"): got \(String(decoding: result.text, as: UTF8.self))")
                #expect(result.replacements == 0, "\(codec)")
                #expect(result.choice == .detected, "\(codec)")
                #expect(Self.acceptedNames[codec]!.contains(result.charset ?? ""), "\(codec): read as \(result.charset ?? "nil")")
                #expect((result.confidence ?? 0) >= CharsetDetector.minimumConfidence, "\(codec)")
            }
        }
    }

    @Test func guessesAreBestFirstAndDecodable() throws {
        let (_, input, _) = try #require(PythonReference.detection.first { $0.0 == "cp1251" })
        let guesses = hex(input).withUnsafeBytes { CharsetDetector.guesses($0) }
        let best = try #require(guesses.first)
        #expect(best.charset == "windows-1251")
        #expect(best.language == "ru")
        #expect(zip(guesses, guesses.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
        #expect(guesses.allSatisfy { CharsetDecoder.canonicalName($0.charset) != nil && !$0.charset.hasPrefix("utf-") })
        #expect(([] as [UInt8]).withUnsafeBytes { CharsetDetector.guesses($0) }.isEmpty)
    }

    /// A declared charset other than UTF-8 is used as declared, even when detection would say otherwise.
    @Test func declaredLegacyCharsetsAreTrusted() throws {
        let (_, input, _) = try #require(PythonReference.detection.first { $0.0 == "cp1251" })
        let result = CharsetDetector.decodeToUTF8(hex(input), declared: "koi8-r")
        #expect(result.choice == .declared)
        #expect(result.charset == "koi8-r")
        #expect(result.text == CharsetDecoder.decodeToUTF8(hex(input), charset: "koi8-r")?.text)
        // Labels are resolved: latin1 means windows-1252.
        #expect(CharsetDetector.decodeToUTF8([0x80], declared: "latin1").charset == "windows-1252")
    }

    /// Valid UTF-8 with multi-byte characters overrules a declared legacy charset (a page converted to UTF-8
    /// that kept its old `<meta>`): one such character is enough against a single-byte charset, eight against
    /// a double-byte one; never against UTF-16 or a byte order mark. Pure ASCII and text that is not UTF-8
    /// keep the declared charset.
    @Test func validUTF8OverrulesADeclaredLegacyCharset() {
        let german = Array("Für die Straße".utf8)
        for label in ["windows-1252", "iso-8859-1", "latin1", "koi8-r", "iso-8859-2"] {
            let result = CharsetDetector.decodeToUTF8(german, declared: label)
            #expect(result.text == german && result.charset == "utf-8" && result.choice == .detected, "\(label)")
        }
        let ascii = CharsetDetector.decodeToUTF8(Array("plain text".utf8), declared: "windows-1252")
        #expect(ascii.charset == "windows-1252" && ascii.choice == .declared)
        // "Für" in Latin-1 (FC then 'r') is not UTF-8: the declaration stands.
        let latin1 = CharsetDetector.decodeToUTF8([0x46, 0xFC, 0x72], declared: "iso-8859-1")
        #expect(latin1.text == Array("Für".utf8) && latin1.charset == "windows-1252" && latin1.choice == .declared)
        // Seven three-byte characters are not enough against Shift_JIS; eight are.
        let seven = Array("日本語のテキス".utf8), eight = Array("日本語のテキスト".utf8)
        #expect(CharsetDetector.decodeToUTF8(seven, declared: "shift_jis").charset == "shift_jis")
        let overruled = CharsetDetector.decodeToUTF8(eight, declared: "shift_jis")
        #expect(overruled.text == eight && overruled.charset == "utf-8")
        #expect(CharsetDetector.decodeToUTF8(german, declared: "utf-16le").charset == "utf-16le")
        let bom = CharsetDetector.decodeToUTF8([0xFF, 0xFE] + german, declared: "windows-1252")
        #expect(bom.charset == "utf-16le" && bom.choice == .declared)
    }

    /// Valid UTF-8 never reaches detection; with nothing declared no charset is reported.
    @Test func validUTF8IsUsedAsIs() {
        let text = Array("<p>déjà vu, 漢字</p>".utf8)
        let undeclared = CharsetDetector.decodeToUTF8(text, declared: nil)
        #expect(undeclared.text == text && undeclared.charset == nil && undeclared.choice == .declared)
        let declared = CharsetDetector.decodeToUTF8(text, declared: "UTF-8")
        #expect(declared.text == text && declared.charset == "utf-8" && declared.choice == .declared)
        let ascii = CharsetDetector.decodeToUTF8(Array("plain".utf8), declared: nil)
        #expect(ascii.charset == nil && ascii.choice == .declared)
    }

    /// A byte order mark wins over everything, as in browsers.
    @Test func byteOrderMarksWin() {
        let result = CharsetDetector.decodeToUTF8([0xEF, 0xBB, 0xBF, 0x41, 0xFF], declared: nil)
        #expect(result.text == Array("A\u{FFFD}".utf8))
        #expect(result.charset == "utf-8" && result.choice == .declared && result.replacements == 1)
        let utf16 = CharsetDetector.decodeToUTF8([0xFF, 0xFE, 0x41, 0x00], declared: "windows-1252")
        #expect(utf16.text == [0x41] && utf16.charset == "utf-16le")
    }

    /// UTF-8 with a few damaged bytes stays UTF-8: repaired when UTF-8 was declared (the fallback), and
    /// reported as detected when nothing was.
    @Test func corruptUTF8StaysUTF8() {
        let bytes = Array("Grüße aus Köln, déjà vu, naïve ".utf8) + [0xFF] + Array(" café".utf8)
        let expected = Array("Grüße aus Köln, déjà vu, naïve \u{FFFD} café".utf8)
        let declared = CharsetDetector.decodeToUTF8(bytes, declared: "utf-8")
        #expect(declared.text == expected && declared.replacements == 1)
        #expect(declared.charset == "utf-8" && declared.choice == .fallback)
        let undeclared = CharsetDetector.decodeToUTF8(bytes, declared: nil)
        #expect(undeclared.text == expected && undeclared.charset == "utf-8" && undeclared.choice == .detected)
    }

    /// Without usable evidence: windows-1252 when nothing was declared, UTF-8 with U+FFFD when UTF-8 was.
    @Test func fallbacks() {
        let bytes: [UInt8] = Array("x = ".utf8) + [0xFF, 0x80, 0xFE]
        let undeclared = CharsetDetector.decodeToUTF8(bytes, declared: nil)
        #expect(undeclared.choice == .fallback)
        #expect(undeclared.charset == "windows-1252")
        #expect(undeclared.text == Array("x = ÿ€þ".utf8) && undeclared.replacements == 0)
        let declared = CharsetDetector.decodeToUTF8(bytes, declared: "utf-8")
        #expect(declared.choice == .fallback)
        #expect(declared.charset == "utf-8")
        #expect(declared.text == Array("x = \u{FFFD}\u{FFFD}\u{FFFD}".utf8) && declared.replacements == 3)
    }

    /// An unknown declared label counts as nothing declared.
    @Test func unknownLabelsCountAsUndeclared() throws {
        let (_, input, expected) = try #require(PythonReference.detection.first { $0.0 == "cp1251" })
        let result = CharsetDetector.decodeToUTF8(hex(input), declared: "no-such-charset")
        #expect(hexString(result.text) == expected && result.choice == .detected)
    }
}
