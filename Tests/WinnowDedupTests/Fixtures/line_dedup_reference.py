#!/usr/bin/env python3
"""An independent reference for `line_dedup`, written from CCNet's definitions (cc_net/text_normalizer.py
`normalize_for_dedup`, cc_net/dedup.py `deduplicate` and `finalize_doc`), not from Winnow's code.

    python3 line_dedup_reference.py INPUT.jsonl MIN_LINE_LENGTH [MAX_DOCUMENTS] [--against OLD.jsonl]

Lines are `text.split("\n")`. A line normalizes to: stripped, lowercased, each `\d` digit -> "0", CCNet's Unicode
punctuation and the control characters removed. Without MAX_DOCUMENTS a line is removed when its normalized
form appeared earlier (in an earlier document, or earlier in the same one); with it, when its normalized form
occurs in more than MAX_DOCUMENTS documents. Lines whose normalized form is shorter than MIN_LINE_LENGTH stay.
With --against, every line whose normalized form (of at least MIN_LINE_LENGTH characters) occurs in OLD.jsonl is
removed too, first occurrence included. A document left blank is dropped. Prints {"id", "text"} per kept document.
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
    args = sys.argv[1:]
    old = set()
    if "--against" in args:
        i = args.index("--against")
        for l in open(args[i + 1], encoding="utf-8"):
            if l.strip():
                old.update(normalize(line) for line in json.loads(l)["text"].split("\n"))
        del args[i:i + 2]
    path, min_len = args[0], int(args[1])
    max_docs = int(args[2]) if len(args) > 2 else None
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
            elif key in old:
                pass
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
