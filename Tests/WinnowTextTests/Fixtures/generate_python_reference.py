#!/usr/bin/env python3
"""Writes ../PythonReference.swift: expectations for WinnowText computed by CPython, not by our code.

    python3 Tests/WinnowTextTests/Fixtures/generate_python_reference.py

- UTF-8 repair: random ill-formed byte strings, bytes.decode('utf-8', 'replace') and the number of times
  the error handler was called (one call per maximal subpart, as Unicode section 3.9 prescribes).
- Legacy charsets: sample texts encoded with CPython codecs, under the WHATWG label a web page would use.
- Charset detection: paragraphs in legacy charsets, encoded with CPython codecs, and their decoding.
- Normalization: unicodedata.normalize on random strings drawn from characters whose normalization has
  been stable since Unicode 3.2, so CPython's Unicode version and ICU's need not match.

Deterministic (fixed seed). The output is Swift source so the test target needs no resources.
"""
import codecs
import os
import random
import unicodedata

rng = random.Random(20240611)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "PythonReference.swift")

calls = 0


def counting_replace(exc):
    global calls
    calls += 1
    return ("\ufffd", exc.end)


codecs.register_error("count_replace", counting_replace)


def decode(data, codec):
    global calls
    calls = 0
    text = data.decode(codec, "count_replace")
    return text.encode("utf-8"), calls


def hx(b):
    return b.hex()


def swift_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- UTF-8 repair -------------------------------------------------------------------------------
interesting = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
               0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF]
valid_chars = ["a", "é", "ß", "中", "\u0800", "\uffff", "\ud7ff", "\ue000", "😀", "\U0010ffff", "\U00010000"]


def random_bytes():
    out = bytearray()
    for _ in range(rng.randint(0, 10)):
        r = rng.random()
        if r < 0.35:
            out += rng.choice(valid_chars).encode("utf-8")
        elif r < 0.55:  # a valid character cut short
            c = rng.choice(valid_chars[1:]).encode("utf-8")
            out += c[: rng.randint(1, len(c) - 1)] if len(c) > 1 else c
        elif r < 0.9:
            out.append(rng.choice(interesting))
        else:
            out.append(rng.randrange(256))
    return bytes(out)


utf8_cases = []
seen = set()
while len(utf8_cases) < 300:
    b = random_bytes()
    if b in seen:
        continue
    seen.add(b)
    expected, n = decode(b, "utf-8")
    utf8_cases.append((b, expected, n))

# --- Legacy charsets ----------------------------------------------------------------------------
# (WHATWG label, CPython codec, text). The label is what a page declares; the codec is CPython's closest
# equivalent of the encoding browsers use for that label.
samples = [
    ("windows-1252", "cp1252", "Économie: “quotes” – dash … €100, naïve café, Œuvre, ß"),
    ("iso-8859-1", "cp1252", "latin1 label means windows-1252: “smart” € ‰ Ÿ"),
    ("latin1", "cp1252", "Ça coûte 5 € — déjà vu"),
    ("ascii", "cp1252", "plain ASCII, and a byte above: ™"),
    ("iso-8859-2", "iso8859_2", "Zażółć gęślą jaźń, Příliš žluťoučký kůň"),
    ("iso-8859-5", "iso8859_5", "Съешь же ещё этих мягких французских булок"),
    ("iso-8859-7", "iso8859_7", "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία"),
    ("iso-8859-8", "iso8859_8", "דג סקרן שט בים מאוכזב ולפתע מצא חברה"),
    ("iso-8859-9", "cp1254", "Pijamalı hasta yağız şoföre çabucak güvendi"),
    ("iso-8859-15", "iso8859_15", "Œuvre à 10 € - Šš Žž"),
    ("windows-1250", "cp1250", "Příliš žluťoučký kůň úpěl ďábelské ódy „citace“"),
    ("windows-1251", "cp1251", "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр! №5"),
    ("windows-1253", "cp1253", "Γαζέες και μυρτιές δεν θα βρω πια"),
    ("windows-1255", "cp1255", "עטלף אבק נס דרך מזגן שהתפוצץ כי חם"),
    ("windows-1256", "cp1256", "نص حكيم له سر قاطع وذو شأن عظيم"),
    ("windows-1257", "cp1257", "Įlinkdama fechtuotojo špaga sublykčiojusi"),
    ("windows-874", "cp874", "เป็นมนุษย์สุดประเสริฐเลิศคุณค่า"),
    ("tis-620", "cp874", "ภาษาไทย"),
    ("koi8-r", "koi8_r", "Съешь же ещё этих мягких французских булок, да выпей чаю"),
    ("koi8-u", "koi8_u", "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!"),
    ("ibm866", "cp866", "Широкая электрификация южных губерний"),
    ("macintosh", "mac_roman", "Mac Roman: café – “quotes” • ∞ π"),
    ("x-mac-cyrillic", "mac_cyrillic", "Мак кириллица"),
    ("shift_jis", "cp932", "いろはにほへと ちりぬるを 日本語テキスト、カタカナ・ｶﾀｶﾅ。"),
    ("sjis", "cp932", "色は匂へど散りぬるを"),
    ("x-sjis", "cp932", "東京都"),
    ("windows-31j", "cp932", "①②③ ≒≡∫"),
    ("euc-jp", "euc_jp", "わかよたれそ つねならむ 漢字かな交じり文"),
    ("euc-kr", "cp949", "다람쥐 헌 쳇바퀴에 타고파 똠방각하"),
    ("ks_c_5601-1987", "cp949", "키스의 고유조건은 입술끼리 만나야 하고"),
    # A1 A4 (the middle dot) and the other pairs where IBM's EUC-KR tables differ from Windows-949.
    ("euc-kr", "cp949", "서울·부산 ― 약∼10㎞, 물결～ ⊙ 똠방각하"),
    ("gb2312", "gb18030", "我能吞下玻璃而不伤身体。"),
    ("gbk", "gb18030", "中文维基百科，繁體「臺灣」也可以。"),
    ("gb18030", "gb18030", "四字节：😀 ɑ ǹ 和 一般汉字"),
    ("big5", "big5", "我能吞下玻璃而不傷身體。臺灣的繁體中文"),
    ("utf-16le", "utf-16-le", "UTF-16 little endian: é 中 😀"),
    ("utf-16be", "utf-16-be", "UTF-16 big endian: é 中 😀"),
    ("utf-16", "utf-16-le", "the label utf-16 means little endian"),
    ("utf-8", "utf-8", "UTF-8 passes through: é 中 😀"),
]
legacy_cases = []
for label, codec, text in samples:
    data = text.encode(codec)
    expected, n = decode(data, codec)
    assert n == 0 and expected.decode("utf-8") == text, (label, text)
    legacy_cases.append((label, data, expected, n))

# Invalid or unmapped bytes where CPython and browsers agree on one U+FFFD per bad sequence.
bad = [
    ("windows-1253", "cp1253", b"A\xd2B\xffC"),          # D2 and FF are unassigned in windows-1253
    ("windows-1255", "cp1255", b"\xe0\xd9\xfb"),          # D9 and FB are unassigned
    ("shift_jis", "cp932", b"abc\x82"),                  # truncated double-byte character
    ("euc-kr", "cp949", b"\xb0\xa1\xff"),                # FF is never valid
    ("euc-kr", "cp949", b"A\x80B\xffC"),                # nor is 80, alone
    ("euc-kr", "cp949", b"\xb0\x80\xb0\xa1\xb0\xff"),    # or as a trail byte: two U+FFFD each
    ("utf-16le", "utf-16-le", b"A\x00\x00\xd8B\x00"),    # unpaired high surrogate
    ("utf-16be", "utf-16-be", b"\x00A\xdc\x00\x00B"),    # unpaired low surrogate
    ("utf-16le", "utf-16-le", b"A\x00B"),                # odd length
    ("utf-8", "utf-8", b"\xf0\x9f\x98 \xed\xa0\x80"),    # truncated 4-byte and a surrogate
]
for label, codec, data in bad:
    expected, n = decode(data, codec)
    assert n > 0
    legacy_cases.append((label, data, expected, n))

# --- Charset detection --------------------------------------------------------------------------
# Paragraphs of ordinary prose (statistical detection needs a few hundred bytes of real text), encoded
# with CPython codecs, as pages that declare nothing would send them.
detection_samples = [
    ("cp1251", "Москва — столица России, город федерального значения, административный центр Центрального "
               "федерального округа и центр Московской области, в состав которой не входит. Крупнейший по "
               "численности населения город России и её субъект."),
    ("shift_jis", "東京都は、日本の首都であり、関東地方に位置する都である。都庁所在地は新宿区。人口は日本の"
                  "都道府県の中で最も多く、経済や文化の中心地となっている。"),
    ("gbk", "北京市，简称“京”，是中华人民共和国的首都及直辖市，是中国的政治、文化、科技创新和国际交往中心，"
            "也是世界著名古都和现代化国际城市。"),
    ("iso-8859-7", "Η Αθήνα είναι η πρωτεύουσα και μεγαλύτερη πόλη της Ελλάδας. Είναι μία από τις αρχαιότερες "
                   "πόλεις του κόσμου, με καταγεγραμμένη ιστορία που ξεπερνά τα 3.400 χρόνια."),
    ("cp1252", "Paris est la capitale de la France. Elle se situe au cœur d’un vaste bassin sédimentaire aux "
               "sols fertiles et au climat tempéré, le bassin parisien, sur une boucle de la Seine. « Très "
               "belle ville », disent les étrangers."),
]
detection_cases = []
for codec, text in detection_samples:
    data = text.encode(codec)
    html = ("<!DOCTYPE html><html><head><title>page</title></head><body><p>" + text + "</p></body></html>").encode(codec)
    expected, n = decode(data, codec)
    assert n == 0
    detection_cases.append((codec, data, expected))
    expected, n = decode(html, codec)
    detection_cases.append((codec, html, expected))

# --- Normalization ------------------------------------------------------------------------------
pool = (
    list("aeiouAEIOUnNcCsSzZ ")
    + [chr(c) for c in range(0x0300, 0x0316)]       # combining above (ccc 230) and others
    + ["\u0323", "\u0327", "\u0328", "\u031b", "\u0345", "\u05b0", "\u0f72"]  # ccc 220, 202, 216, 240, ...
    + list("éÅåñçöÖøǅǆǄ")                             # precomposed, and a compatibility digraph
    + list("ΆΈάέΐΰϓϔ")                               # Greek with tonos/dialytika
    + ["\u1100", "\u1161", "\u11a8", "\uac00", "\ud4db", "\u1112", "\u1175"]  # Hangul L, V, T, LV, LVT
    + list("ﬁﬂ²³¼½™㎏㎞Ⅻⅻ①ＡＺａｚ０９")          # compatibility
    + list("ｶﾞﾊﾟｱ")                                  # halfwidth katakana and voiced marks
    + ["\u304b", "\u3099", "\u30cf", "\u309a", "\u30ac"]  # kana + combining voiced marks
    + ["\uf900", "\uf9d0", "\u2126", "\u212b", "\u00b5", "\u03bc", "\u1e9b", "\u0387"]  # singletons
    + ["\u1ec7", "\u1ebf", "\u01d5", "\u1e69", "\u1e0b\u0323"]  # multiply accented
    + ["中", "文", "ß", "ẞ", "ς", "Σ", "İ", "ı"]
)
norm_cases = []
for k in range(120):
    s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
    norm_cases.append(s)
norm_cases += ["", "plain ASCII stays", "Ångström", "e\u0301", "\u0041\u030a\u0323", "ﬁancé ①"]
norm_rows = []
for s in norm_cases:
    row = [s.encode("utf-8")]
    for form in ("NFC", "NFKC", "NFD", "NFKD"):
        row.append(unicodedata.normalize(form, s).encode("utf-8"))
    norm_rows.append(row)

# NFKC_Casefold: CPython has no such form. For text without default-ignorable code points it equals
# NFKC(casefold(NFKC(casefold(NFD(x))))) once that has reached a fixed point; only such cases are kept.
casefold_samples = ["Hello WORLD", "Straße STRASSE", "ﬁnal ＦＵＬＬ", "ΣΑΣ σας", "Ⅻ ① ²", "Å Å Å",
                    "ǅungla ǄUNGLA", "ﬀ ﬃ", "㎏ ㎞", "ＡＢＣ１２３", "KELVIN \u212a", "Ohm \u2126"]


def nfkc_cf(s):
    t = unicodedata.normalize("NFD", s)
    for _ in range(3):
        t = unicodedata.normalize("NFKC", t.casefold())
    assert unicodedata.normalize("NFKC", t.casefold()) == t
    return t


casefold_rows = [(s.encode("utf-8"), nfkc_cf(s).encode("utf-8")) for s in casefold_samples]

# --- Swift output -------------------------------------------------------------------------------
lines = [
    "// Generated by Fixtures/generate_python_reference.py with CPython "
    + f"{os.sys.version.split()[0]} (unicodedata {unicodedata.unidata_version}). Do not edit.",
    "// Byte strings are hex.",
    "",
    "enum PythonReference {",
    "    /// (input, bytes.decode('utf-8', 'replace') re-encoded, number of replacements)",
    "    static let utf8Repair: [(String, String, Int)] = [",
]
for b, e, n in utf8_cases:
    lines.append(f'        ("{hx(b)}", "{hx(e)}", {n}),')
lines += ["    ]", "",
          "    /// (label, encoded input, UTF-8 decoding, number of replacements)",
          "    static let legacy: [(String, String, String, Int)] = ["]
for label, data, e, n in legacy_cases:
    lines.append(f'        ({swift_str(label)}, "{hx(data)}", "{hx(e)}", {n}),')
lines += ["    ]", "",
          "    /// (CPython codec, prose or an HTML page encoded with it, its UTF-8 decoding)",
          "    static let detection: [(String, String, String)] = ["]
for codec, data, e in detection_cases:
    lines.append(f'        ({swift_str(codec)}, "{hx(data)}", "{hx(e)}"),')
lines += ["    ]", "",
          "    /// (input, NFC, NFKC, NFD, NFKD)",
          "    static let normalization: [(String, String, String, String, String)] = ["]
for r in norm_rows:
    lines.append("        (" + ", ".join(f'"{hx(x)}"' for x in r) + "),")
lines += ["    ]", "",
          "    /// (input, NFKC_Casefold)",
          "    static let nfkcCasefold: [(String, String)] = ["]
for a, b in casefold_rows:
    lines.append(f'        ("{hx(a)}", "{hx(b)}"),')
lines += ["    ]", "}", ""]
with open(OUT, "w") as f:
    f.write("\n".join(lines))
print(f"wrote {OUT}: {len(utf8_cases)} utf-8, {len(legacy_cases)} legacy, {len(detection_cases)} detection, "
      f"{len(norm_rows)} normalization, "
      f"{len(casefold_rows)} casefold cases")
