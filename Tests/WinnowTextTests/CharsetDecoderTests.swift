import Testing
import WinnowTestSupport
import WinnowText

@Suite struct CharsetDecoderTests {
    func decode(_ bytes: [UInt8], _ charset: String) -> (text: [UInt8], replacements: Int)? {
        CharsetDecoder.decodeToUTF8(bytes, charset: charset)
    }

    @Test func pythonReference() throws {
        for (label, input, expected, replacements) in PythonReference.legacy {
            let result = try #require(decode(hex(input), label), "label \(label)")
            #expect(hexString(result.text) == expected, "label \(label): got \(String(decoding: result.text, as: UTF8.self))")
            #expect(result.replacements == replacements, "label \(label) input \(input)")
            // The raw-buffer entry point agrees with the array one.
            let raw = hex(input).withUnsafeBytes { CharsetDecoder.decodeToUTF8($0, charset: label) }
            #expect(raw?.text == result.text && raw?.replacements == result.replacements, "label \(label)")
        }
    }

    @Test func labelsMapAsInBrowsers() {
        let expectations: [(String, String)] = [
            ("latin1", "windows-1252"), ("ISO-8859-1", "windows-1252"), ("US-ASCII", "windows-1252"),
            ("ascii", "windows-1252"), (" Windows-1252 \n", "windows-1252"), ("gb2312", "gbk"), ("GBK", "gbk"),
            ("gb18030", "gb18030"), ("Shift_JIS", "shift_jis"), ("sjis", "shift_jis"), ("x-sjis", "shift_jis"),
            ("EUC-JP", "euc-jp"), ("euc-kr", "euc-kr"), ("ks_c_5601-1987", "euc-kr"), ("big5", "big5"),
            ("KOI8-R", "koi8-r"), ("koi8-u", "koi8-u"), ("iso-8859-9", "windows-1254"), ("tis-620", "windows-874"),
            ("utf8", "utf-8"), ("UTF-8", "utf-8"), ("utf-16", "utf-16le"), ("UTF-16BE", "utf-16be"),
            ("iso-8859-2", "iso-8859-2"), ("iso-8859-15", "iso-8859-15"), ("cp1251", "windows-1251"),
        ]
        for (label, name) in expectations {
            #expect(CharsetDecoder.canonicalName(label) == name, "label \(label)")
        }
    }

    /// Every label of the WHATWG list resolves to its encoding, and ICU has a converter for each (the
    /// system ICU data could lack one): ASCII decodes to itself everywhere but in UTF-16.
    @Test func everyLabelHasAWorkingConverter() throws {
        let encodings: [(String, [String])] = [
        ("utf-8", ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]),
        ("ibm866", ["866", "cp866", "csibm866", "ibm866"]),
        ("iso-8859-2", ["csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"]),
        ("iso-8859-3", ["csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"]),
        ("iso-8859-4", ["csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"]),
        ("iso-8859-5", ["csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988"]),
        ("iso-8859-6", ["arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"]),
        ("iso-8859-7", ["csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"]),
        ("iso-8859-8", ["csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"]),
        ("iso-8859-8-i", ["csiso88598i", "iso-8859-8-i", "logical"]),
        ("iso-8859-10", ["csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"]),
        ("iso-8859-13", ["iso-8859-13", "iso8859-13", "iso885913"]),
        ("iso-8859-14", ["iso-8859-14", "iso8859-14", "iso885914"]),
        ("iso-8859-15", ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"]),
        ("koi8-r", ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"]),
        ("koi8-u", ["koi8-ru", "koi8-u"]),
        ("macintosh", ["csmacintosh", "mac", "macintosh", "x-mac-roman"]),
        ("windows-874", ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"]),
        ("windows-1250", ["cp1250", "windows-1250", "x-cp1250"]),
        ("windows-1251", ["cp1251", "windows-1251", "x-cp1251"]),
        ("windows-1252", ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"]),
        ("windows-1253", ["cp1253", "windows-1253", "x-cp1253"]),
        ("windows-1254", ["cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"]),
        ("windows-1255", ["cp1255", "windows-1255", "x-cp1255"]),
        ("windows-1256", ["cp1256", "windows-1256", "x-cp1256"]),
        ("windows-1257", ["cp1257", "windows-1257", "x-cp1257"]),
        ("windows-1258", ["cp1258", "windows-1258", "x-cp1258"]),
        ("x-mac-cyrillic", ["x-mac-cyrillic", "x-mac-ukrainian"]),
        ("gbk", ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk"]),
        ("gb18030", ["gb18030"]),
        ("big5", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]),
        ("euc-jp", ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]),
        ("iso-2022-jp", ["csiso2022jp", "iso-2022-jp"]),
        ("shift_jis", ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"]),
        ("euc-kr", ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"]),
        ("iso-2022-kr", ["csiso2022kr", "iso-2022-kr"]),
        ("hz-gb-2312", ["hz-gb-2312"]),
        ("iso-2022-cn", ["iso-2022-cn"]),
        ("iso-2022-cn-ext", ["iso-2022-cn-ext"]),
        ("utf-16be", ["unicodefffe", "utf-16be"]),
        ("utf-16le", ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]),
        ("x-user-defined", ["x-user-defined"]),
        ]
        for (name, labels) in encodings {
            for label in labels {
                #expect(CharsetDecoder.canonicalName(label) == name, "label \(label)")
                #expect(CharsetDecoder.canonicalName(label.uppercased()) == name, "label \(label)")
            }
            let decoded = try #require(decode(Array("Hello, <b>".utf8), labels[0]), "encoding \(name)")
            if !name.hasPrefix("utf-16") {
                #expect(decoded.text == Array("Hello, <b>".utf8), "encoding \(name)")
                #expect(decoded.replacements == 0, "encoding \(name)")
            }
        }
        // WHATWG encodings without a decoder here.
        #expect(CharsetDecoder.canonicalName("iso-8859-16") == nil)
    }

    @Test func unknownCharsetsAreNil() {
        for label in ["", "   ", "no-such-charset", "replacement", "utf-8\u{0}", "x-ünïcode"] {
            #expect(CharsetDecoder.canonicalName(label) == nil, "label \(label)")
            #expect(decode([0x41], label) == nil, "label \(label)")
        }
    }

    @Test func labelsOnlyICUKnowsStillDecode() throws {
        // IBM437 (DOS): 0x82 is é, 0xB0 a light shade.
        let result = try #require(decode([0x41, 0x82, 0xB0], "cp437"))
        #expect(result.text == Array("Aé░".utf8))
        #expect(CharsetDecoder.canonicalName("cp437") == "ibm437")
    }

    /// WHATWG windows-1252 maps the five bytes Microsoft left undefined (81 8D 8F 90 9D) to the C1 controls
    /// of the same value; CPython's cp1252 rejects them. Browsers win.
    @Test func windows1252UndefinedBytesAreC1Controls() throws {
        let result = try #require(decode([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x80], "latin1"))
        #expect(result.text == Array("\u{81}\u{8D}\u{8F}\u{90}\u{9D}€".utf8))
        #expect(result.replacements == 0)
    }

    @Test func byteOrderMarksAreDropped() throws {
        #expect(try #require(decode([0xEF, 0xBB, 0xBF, 0x41], "utf-8")).text == [0x41])
        #expect(try #require(decode([0xFF, 0xFE, 0x41, 0x00], "utf-16le")).text == [0x41])
        #expect(try #require(decode([0xFE, 0xFF, 0x00, 0x41], "utf-16be")).text == [0x41])
        // As in browsers, a BOM overrides the declared charset.
        #expect(try #require(decode([0xFF, 0xFE, 0x41, 0x00], "windows-1252")).text == [0x41])
        #expect(try #require(decode([0xEF, 0xBB, 0xBF, 0xC3, 0xA9], "latin1")).text == Array("é".utf8))
        #expect(try #require(decode([0xFE, 0xFF, 0x00, 0x41], "utf-16")).text == [0x41])
        #expect(decode([0xFF, 0xFE, 0x41, 0x00], "bogus") == nil)
    }

    @Test func validUTF8IsNotCopied() throws {
        let text = Array("déjà vu".utf8)
        let result = try #require(decode(text, "UTF-8"))
        #expect(result.replacements == 0)
        #expect(sameStorage(result.text, text))
    }

    @Test func emptyInput() throws {
        for label in ["utf-8", "shift_jis", "utf-16le", "x-user-defined"] {
            let result = try #require(decode([], label))
            #expect(result.text.isEmpty && result.replacements == 0)
        }
    }

    @Test func xUserDefined() throws {
        let result = try #require(decode([0x41, 0x80, 0xFF], "x-user-defined"))
        #expect(result.text == Array("A\u{F780}\u{F7FF}".utf8))
    }

    /// Output larger than the 64 KiB conversion chunk, with multi-byte characters across chunk borders.
    @Test func largeInputs() throws {
        // "Жж" in windows-1251 is C6 E6; 100 000 bytes become 200 000 bytes of UTF-8.
        let input: [UInt8] = (0..<100_000).map { $0 % 2 == 0 ? 0xC6 : 0xE6 }
        let result = try #require(decode(input, "windows-1251"))
        #expect(result.text == Array(String(repeating: "Жж", count: 50_000).utf8))
        #expect(result.replacements == 0)

        // Shift_JIS "日本" is 93 FA 96 7B; an invalid byte every so often is counted each time.
        var sjis = [UInt8]()
        var expected = ""
        for k in 0..<30_000 {
            sjis += [0x93, 0xFA, 0x96, 0x7B]
            expected += "日本"
            if k % 1000 == 999 { sjis.append(0xFF); expected += "\u{FFFD}" }
        }
        let decoded = try #require(decode(sjis, "shift_jis"))
        #expect(decoded.text == Array(expected.utf8))
        #expect(decoded.replacements == 30)
    }
}
