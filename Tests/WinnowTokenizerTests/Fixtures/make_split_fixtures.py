"""Writes split_fixtures.json: each preset's splits of the edge cases below and of the first SAMPLE_DOCS documents
of Samples/sample-00000.jsonl.zst, computed by Python `regex` (split_reference.py's rules), so that
WinnowTokenizerTests checks the scanners without Python. Run from this directory:

    python3 make_split_fixtures.py      # needs `pip install regex` and the zstd command

The patterns are read from split_patterns.json (the presets' regexes, also checked against SplitPattern.regex).
"""
import base64
import json
import subprocess

import regex

from split_reference import split_lengths

SAMPLE_DOCS = 25

EDGE_CASES = [
    "a\u0085b \u0085 c", "x\u00a0y \u00a0\u00a0z \u00a0", "mongol\u180eian \u180e x", "zero\u200bwidth \u200b",
    "line\u2028sep \u2029para\u2028", "ideo\u3000space\u3000\u3000x\u3000漢字", "\ufeffbom \ufeffx",
    "cafe\u0301 e\u0301\u0302te \u0301x \u0301\u0301 a\u0300B ́", "👨\u200d👩\u200d👧 family 🏳️\u200d🌈! 🇫🇷🇩🇪 👍🏽 1️⃣",
    "漢字かなカナ混じり文ひらがなカタカナ漢字漢字" * 20, " " * 300, " " * 300 + "x" + " " * 300,
    "Tab\tthen\t\tx\r\n\r\nCRLF  \n  \n", "\x0b\x0c x\x0b\x0cy", "a\n\n  ", "x  \n  \n", "\r\n\r\n  y",
    "I'm you're we've they'll he'd IT'S DON'T Don'T 'ſ 'S 'LL 'Ve", "’s ''s '' 'x ' '", "'", "x'", "'ll'",
    "٣٤٥ ¼½ ⅷ 𝟘𝟙 x² 1234567 12a 9999999999", "a1b2 3c !!a ?1", "𝐀𝐁𝐂 𐍈 \U0010ffff \ue000",
    "HelloWorld HELLOworld ǅungla ǈ ΣΑΣ σας Ǆǅǆ ʰʲ ˀx aʰB", "a /\n/ b!\n/ abc/\n x!!\r\n\r\n",
    "हिन्दी नमस्ते ภาษาไทย العربية ١٢٣ 한국어 텍스트", "  hello\n\n\tworld  ", "\n", " ", "\t\n \u3000",
    "\u2028abc \u0085def \u00a0ghi", "«quoted» “curly” —dash— …", "<|endoftext|> <s>[INST]</s>",
]

# Not UTF-8: each ill-formed byte is one `other` character.
EDGE_BYTES = [
    b"\xff\xfeabc", b"a\xc3", b"\xed\xa0\x80x", b"\xf4\x90\x80\x80 y", b"\xc0\xafx", b" \x80word", b"\xe6\x97 z",
    b"ab\xf0\x9f\x98", b"\xe0\x80\x80 \xf0\x80\x80\x80", b"'\xc5s '\xc5\xbf", b"\x80\x80\x80 \n\xfe",
]


def main():
    with open("split_patterns.json", encoding="utf-8") as f:
        patterns = json.load(f)
    lines = subprocess.run(["zstd", "-dc", "../../../Samples/sample-00000.jsonl.zst"], check=True,
                           capture_output=True).stdout.decode("utf-8").splitlines()
    samples = [json.loads(line)["text"] for line in lines if line.strip()][:SAMPLE_DOCS]
    texts = [t.encode("utf-8") for t in EDGE_CASES] + EDGE_BYTES
    everything = texts + [s.encode("utf-8") for s in samples]
    pieces = {}
    for name, source in patterns.items():
        pattern = regex.compile(source)
        pieces[name] = [",".join(map(str, split_lengths(pattern, t))) for t in everything]
    with open("split_fixtures.json", "w", encoding="utf-8") as f:
        json.dump({"regex_version": regex.__version__, "texts": [base64.b64encode(t).decode() for t in texts],
                   "sample_documents": SAMPLE_DOCS, "pieces": pieces}, f, indent=0)


if __name__ == "__main__":
    main()
