#!/usr/bin/env python3
"""Writes every value of a Parquet file's text column as a 4-byte little-endian length and its UTF-8 bytes,
for utf8_validate_bench.c (validation alone, on the values the Parquet reader validates one by one).

    python3 dump_text_values.py FILE.parquet OUT.bin [--ascii]

--ascii drops every non-ASCII character first (a pure-ASCII variant of the same text).
"""
import struct
import sys

import pyarrow.parquet as pq

path, out = sys.argv[1], sys.argv[2]
ascii_only = "--ascii" in sys.argv[3:]
texts = pq.read_table(path, columns=["text"]).column("text").to_pylist()
with open(out, "wb") as f:
    for text in texts:
        data = text.encode("ascii", "ignore") if ascii_only else text.encode("utf-8")
        f.write(struct.pack("<I", len(data)))
        f.write(data)
print("%d values" % len(texts))
