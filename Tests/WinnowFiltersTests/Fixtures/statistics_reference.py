#!/usr/bin/env python3
"""Reference values for the `statistics` stage's character and line metrics, written independently of the
Swift code from the definitions in docs/filters.md, with Python's own string predicates:

    python3 Tests/WinnowFiltersTests/Fixtures/statistics_reference.py > Tests/WinnowFiltersTests/Fixtures/statistics_expected.json

Word and sentence metrics need spaCy's tokenizer (the other filters' words); StatisticsTests checks them on
hand-worked texts instead.
"""
import json
import unicodedata

# The part of datatrove 0.10.1's TERMINAL_PUNCTUATION (datatrove/utils/text.py; FineWeb's line_punct_ratio)
# that the lines below end with. Every other line below ends in a letter, a digit or a symbol ("½"), none of
# which is in that set.
TERMINAL_PUNCTUATION = set(".!?\u3002")

TEXTS = [
    "",
    "Hello, World! 123",
    "  Leading and trailing spaces.  \n\n\tSecond line, tabbed?\nthird line without end\n   \n",
    "ÉCOLE élève Ωμέγα ЖУК 中文字符。 Ⅻ ① ² ٣ ½",
    "Prices: $5 + €10 = 15 © 2024 ... done… ok\r\nWindows line\rOld Mac line\u2028LS line",
    "A very long line that goes on and on and on beyond thirty characters for sure.\nShort one.\nx\n" * 3,
    "emoji 😀👍 and math ∑∞ ≤ ≥ — dashes – “quotes” «guillemets» ¿qué? ¡sí!",
    "\u00a0non-breaking\u00a0spaces\u3000ideographic\u2003em space",
]


def metrics(text: str) -> dict:
    n = len(text)

    def ratio(a, b):
        return a / b if b else 0.0

    out = {
        "chars": n,
        "whitespace_ratio": ratio(sum(c.isspace() for c in text), n),
        "digit_ratio": ratio(sum(c.isdigit() for c in text), n),
        "uppercase_ratio": ratio(sum(c.isupper() for c in text), n),
        "non_letter_ratio": ratio(sum(not c.isalpha() for c in text), n),
        "non_alpha_digit_ratio": ratio(sum(not c.isalpha() and not c.isdigit() for c in text), n),
        "punctuation_ratio": ratio(sum(unicodedata.category(c).startswith("P") for c in text), n),
        "symbol_ratio": ratio(sum(unicodedata.category(c).startswith("S") for c in text), n),
    }
    # Lines: str.splitlines(), whitespace-only lines dropped, each line stripped.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lengths = [len(line) for line in lines]
    out.update({
        "line_count": len(lines),
        "mean_line_length": ratio(sum(lengths), len(lines)),
        "max_line_length": max(lengths, default=0),
        "short_line_ratio": ratio(sum(length <= 30 for length in lengths), len(lines)),
        "terminal_punct_line_ratio": ratio(sum(line[-1] in TERMINAL_PUNCTUATION for line in lines), len(lines)),
    })
    return out


if __name__ == "__main__":
    print(json.dumps({"unicode_version": unicodedata.unidata_version,
                      "cases": [{"text": t, "metrics": metrics(t)} for t in TEXTS]}, ensure_ascii=False, indent=1))
