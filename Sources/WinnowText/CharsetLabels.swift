/// The WHATWG Encoding Standard's labels (https://encoding.spec.whatwg.org/#names-and-labels), each mapped
/// to the encoding browsers use for it and to the ICU converter that decodes it. Browsers decode `latin1`,
/// `iso-8859-1` and `ascii` as windows-1252, `gb2312` as GBK (decoded with the gb18030 superset), `euc-kr` as
/// windows-949, `big5` as Big5-HKSCS, `iso-8859-9` as windows-1254 and `iso-8859-11` as windows-874.
enum CharsetLabels {
    enum Decoding: Sendable, Equatable {
        case utf8
        case xUserDefined
        case icu(String)
    }

    struct Encoding: Sendable {
        /// The WHATWG name, lower-cased: `windows-1252`, `shift_jis`, `utf-8`.
        let name: String
        let decoding: Decoding
        /// Bytes the encoding never uses, in any position, but that the ICU converter maps anyway: each
        /// becomes U+FFFD (and is counted), as in the WHATWG decoder.
        var invalidBytes: [UInt8] = []
    }

    /// Label (lower-case) to encoding.
    static let table: [String: Encoding] = {
        var t: [String: Encoding] = [:]
        for (name, decoding, labels) in entries {
            let encoding = Encoding(name: name, decoding: decoding, invalidBytes: neverValid[name] ?? [])
            for label in labels { t[label] = encoding }
        }
        return t
    }()

    /// Lower-cases ASCII letters and trims ASCII whitespace, as the standard's "get an encoding" does.
    static func normalize(_ label: String) -> String {
        var bytes = Array(label.utf8)
        while let last = bytes.last, isASCIIWhitespace(last) { bytes.removeLast() }
        var start = 0
        while start < bytes.count, isASCIIWhitespace(bytes[start]) { start += 1 }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count - start)
        for b in bytes[start...] { out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func isASCIIWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    /// ICU's windows-949-2000 maps 80 to U+0080 and FF to U+F8F7; in WHATWG euc-kr (and CPython's cp949)
    /// neither byte is ever valid, as a lead byte or as a trail byte.
    private static let neverValid: [String: [UInt8]] = ["euc-kr": [0x80, 0xFF]]

    private static let entries: [(String, Decoding, [String])] = [
        ("utf-8", .utf8, ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]),
        ("ibm866", .icu("IBM866"), ["866", "cp866", "csibm866", "ibm866"]),
        ("iso-8859-2", .icu("ISO-8859-2"), ["csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
                                            "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"]),
        ("iso-8859-3", .icu("ISO-8859-3"), ["csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
                                            "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"]),
        ("iso-8859-4", .icu("ISO-8859-4"), ["csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
                                            "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"]),
        ("iso-8859-5", .icu("ISO-8859-5"), ["csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144",
                                            "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988"]),
        ("iso-8859-6", .icu("ISO-8859-6"), ["arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
                                            "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127",
                                            "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"]),
        ("iso-8859-7", .icu("ISO-8859-7"), ["csisolatingreek", "ecma-118", "elot_928", "greek", "greek8",
                                            "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7",
                                            "iso_8859-7:1987", "sun_eu_greek"]),
        ("iso-8859-8", .icu("ISO-8859-8"), ["csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8",
                                            "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8",
                                            "iso_8859-8:1988", "visual"]),
        ("iso-8859-8-i", .icu("ISO-8859-8"), ["csiso88598i", "iso-8859-8-i", "logical"]),
        ("iso-8859-10", .icu("ISO-8859-10"), ["csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10",
                                              "iso885910", "l6", "latin6"]),
        ("iso-8859-13", .icu("ISO-8859-13"), ["iso-8859-13", "iso8859-13", "iso885913"]),
        ("iso-8859-14", .icu("ISO-8859-14"), ["iso-8859-14", "iso8859-14", "iso885914"]),
        ("iso-8859-15", .icu("ISO-8859-15"), ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915",
                                              "iso_8859-15", "l9"]),
        // ISO-8859-16 is a WHATWG encoding, but ICU has no converter for it: the label resolves to nothing.
        ("koi8-r", .icu("KOI8-R"), ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"]),
        ("koi8-u", .icu("KOI8-U"), ["koi8-ru", "koi8-u"]),
        ("macintosh", .icu("macintosh"), ["csmacintosh", "mac", "macintosh", "x-mac-roman"]),
        ("windows-874", .icu("windows-874-2000"), ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620",
                                                   "windows-874"]),
        ("windows-1250", .icu("windows-1250"), ["cp1250", "windows-1250", "x-cp1250"]),
        ("windows-1251", .icu("windows-1251"), ["cp1251", "windows-1251", "x-cp1251"]),
        ("windows-1252", .icu("windows-1252"), ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1",
                                                "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591",
                                                "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
                                                "windows-1252", "x-cp1252"]),
        ("windows-1253", .icu("windows-1253"), ["cp1253", "windows-1253", "x-cp1253"]),
        ("windows-1254", .icu("windows-1254"), ["cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9",
                                                "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5",
                                                "windows-1254", "x-cp1254"]),
        ("windows-1255", .icu("windows-1255"), ["cp1255", "windows-1255", "x-cp1255"]),
        ("windows-1256", .icu("windows-1256"), ["cp1256", "windows-1256", "x-cp1256"]),
        ("windows-1257", .icu("windows-1257"), ["cp1257", "windows-1257", "x-cp1257"]),
        ("windows-1258", .icu("windows-1258"), ["cp1258", "windows-1258", "x-cp1258"]),
        ("x-mac-cyrillic", .icu("x-mac-cyrillic"), ["x-mac-cyrillic", "x-mac-ukrainian"]),
        ("gbk", .icu("gb18030"), ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80",
                                  "gbk", "iso-ir-58", "x-gbk"]),
        ("gb18030", .icu("gb18030"), ["gb18030"]),
        ("big5", .icu("Big5-HKSCS"), ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]),
        ("euc-jp", .icu("EUC-JP"), ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]),
        ("iso-2022-jp", .icu("ISO-2022-JP"), ["csiso2022jp", "iso-2022-jp"]),
        ("shift_jis", .icu("windows-31j"), ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
                                            "windows-31j", "x-sjis"]),
        // Windows-949 (Unified Hangul Code), the EUC-KR superset browsers decode: ICU's windows-949-2000
        // agrees with CPython's cp949 on every valid pair (ibm-1363 differs on six, A1 A4 the most common).
        ("euc-kr", .icu("windows-949-2000"), ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean",
                                            "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601",
                                            "windows-949"]),
        // Browsers map these to the "replacement" encoding (one U+FFFD) to block script injection; for text
        // extraction we decode them for real.
        ("iso-2022-kr", .icu("ISO-2022-KR"), ["csiso2022kr", "iso-2022-kr"]),
        ("hz-gb-2312", .icu("HZ"), ["hz-gb-2312"]),
        ("iso-2022-cn", .icu("ISO-2022-CN"), ["iso-2022-cn"]),
        ("iso-2022-cn-ext", .icu("ISO-2022-CN-EXT"), ["iso-2022-cn-ext"]),
        ("utf-16be", .icu("UTF-16BE"), ["unicodefffe", "utf-16be"]),
        ("utf-16le", .icu("UTF-16LE"), ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
                                        "utf-16le"]),
        ("x-user-defined", .xUserDefined, ["x-user-defined"]),
    ]
}
