#!/usr/bin/env python3
"""Cut the first N documents of the benchmark corpus (planted duplicates follow their original, so pairs stay
together) into K JSONL.zst files OUTDIR/input/part-XX.jsonl.zst, and the matching truth records into OUTDIR/truth.jsonl.

usage: make_slice.py BENCH.jsonl.zst BENCH.truth.jsonl[.zst] N K OUTDIR
"""
import json, os, sys
import zstandard

src, truth_src, n, k, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
os.makedirs(out + "/input", exist_ok=True)
lines = []
with zstandard.ZstdDecompressor().stream_reader(open(src, "rb")) as r:
    buf = b""
    while len(lines) < n:
        chunk = r.read(1 << 20)
        if not chunk:
            break
        buf += chunk
        parts = buf.split(b"\n")
        buf = parts.pop()
        lines.extend(parts)
lines = lines[:n]
ids = set()
per = (len(lines) + k - 1) // k
for i in range(k):
    part = lines[i * per:(i + 1) * per]
    ids.update(json.loads(l)["id"] for l in part)
    with open(f"{out}/input/part-{i:02d}.jsonl.zst", "wb") as f:
        f.write(zstandard.ZstdCompressor(level=3).compress(b"\n".join(part) + b"\n"))
kept = 0
raw = open(truth_src, "rb").read()
if truth_src.endswith(".zst"):
    raw = zstandard.ZstdDecompressor().stream_reader(__import__("io").BytesIO(raw)).read()
with open(f"{out}/truth.jsonl", "w") as t:
    for line in raw.decode().splitlines():
        d = json.loads(line)
        if d.get("kind") in ("exact_dup", "near_dup") and d["id"] in ids and d.get("of") in ids:
            t.write(line + "\n")
            kept += 1
print(f"{len(lines)} documents in {k} files, {kept} planted duplicate pairs -> {out}")
