#!/usr/bin/env python3
"""An independent reference for `line_dedup`, written from CCNet's definitions (cc_net/text_normalizer.py
`normalize_for_dedup`, cc_net/dedup.py `deduplicate` and `finalize_doc`), not from Winnow's code.

    python3 line_dedup_reference.py INPUT.jsonl MIN_LINE_LENGTH [MAX_DOCUMENTS]

Lines are `text.split("\n")`. A line normalizes to: stripped, lowercased, each `\d` digit -> "0", CCNet's Unicode
punctuation and the control characters removed. Without MAX_DOCUMENTS a line is removed when its normalized
form appeared earlier (in an earlier document, or earlier in the same one); with it, when its normalized form
occurs in more than MAX_DOCUMENTS documents. Lines whose normalized form is shorter than MIN_LINE_LENGTH stay.
A document left blank is dropped. Prints {"id", "text"} per kept document.
"""
import json
import re
import sys

PUNCT = set("，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►")
CONTROL = set(map(chr, list(range(0, 32)) + list(range(127, 160))))
DIGIT = re.compile(r"\d")


def normalize(line):
    line = line.strip()
    if not line:
        return line
    line = DIGIT.sub("0", line.lower())
    return "".join(c for c in line if c not in PUNCT and c not in CONTROL)


def main():
    path, min_len = sys.argv[1], int(sys.argv[2])
    max_docs = int(sys.argv[3]) if len(sys.argv) > 3 else None
    docs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    counts = {}
    if max_docs is not None:
        for d in docs:
            for key in {normalize(l) for l in d["text"].split("\n")}:
                counts[key] = counts.get(key, 0) + 1
    seen = set()
    for d in docs:
        kept = []
        for line in d["text"].split("\n"):
            key = normalize(line)
            if len(key) < min_len:
                kept.append(line)
            elif max_docs is None:
                if key not in seen:
                    kept.append(line)
                seen.add(key)
            elif counts[key] <= max_docs:
                kept.append(line)
        text = "\n".join(kept)
        if text.strip():
            print(json.dumps({"id": d["id"], "text": text}, ensure_ascii=False))


if __name__ == "__main__":
    main()
