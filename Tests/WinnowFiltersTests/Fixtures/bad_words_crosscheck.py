#!/usr/bin/env python3
"""Cross-checks `bad_words` decisions with the regular expression datatrove's C4BadWordsFilter builds,
`(?:\\W|^)(w1|w2|...)(?:\\W|$)` searched in `text.lower()`, using Winnow's shipped English list:

    winnow filter bad_words --param hits_field=h INPUT.jsonl --output OUT --compression none
    python3 Tests/WinnowFiltersTests/Fixtures/bad_words_crosscheck.py INPUT.jsonl OUT

On the first 20,000 documents of the benchmark corpus: 34 documents with a hit, 0 differences.
Expected differences: phrases split by more than one space or a line break (Winnow matches them), and
capitals outside ASCII and the two-byte UTF-8 range (datatrove lowercases them, Winnow does not).
"""
import json
import re
import sys
from pathlib import Path

source = (Path(__file__).parents[3] / "Sources/WinnowFilters/BadWordsFilter.swift").read_text()
block = source[source.index("static let english"):]
block = block[block.index('"""') + 3:]
block = block[:block.index('"""')]
words = [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
regex = re.compile(r"(?:\W|^)(" + "|".join(re.escape(w) for w in words) + r")(?:\W|$)")

winnow = {}
for sub in ("kept", "excluded"):
    path = Path(sys.argv[2]) / sub / "00000.jsonl"
    if path.exists():
        for line in path.open():
            d = json.loads(line)
            winnow[d["id"]] = d["h"]

documents = hits = differences = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    documents += 1
    expected = bool(regex.search(d["text"].lower()))
    hits += expected
    if expected != (winnow[d["id"]] > 0):
        differences += 1
        print("difference:", d["id"], "datatrove regex:", expected, "winnow hits:", winnow[d["id"]])
print(f"{documents} documents, {hits} with a hit by the datatrove regex, {differences} differences")
