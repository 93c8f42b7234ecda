#!/usr/bin/env python3
"""Precision and recall of a dedup run against the slice's planted duplicates.

usage: score.py SLICE_DIR REMOVED_DIR
  recall@0.8: planted pairs (exact, or near with 5-gram Jaccard >= 0.8) of which at least one document was removed
  precision: removed documents that belong to a planted pair or whose text also occurs in another document
"""
import collections, glob, json, sys
import zstandard

slice_dir, removed_dir = sys.argv[1], sys.argv[2]
texts = collections.Counter()
for p in sorted(glob.glob(slice_dir + "/part-*.jsonl.zst")):
    for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, "rb").read()).splitlines():
        texts[hash(json.loads(line)["text"])] += 1
removed = {}
for p in glob.glob(removed_dir + "/**/*.jsonl*", recursive=True):
    raw = open(p, "rb").read()
    if p.endswith(".zst"):
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    for line in raw.splitlines():
        d = json.loads(line)
        removed[d["id"]] = d["text"]
truth = [json.loads(l) for l in open(slice_dir + "/truth.jsonl")]
in_pair = {t["id"] for t in truth} | {t["of"] for t in truth}
pairs = [t for t in truth if t["kind"] == "exact_dup" or t.get("jaccard_5gram", 0) >= 0.8]
caught = sum(1 for t in pairs if t["id"] in removed or t["of"] in removed)
good = sum(1 for i, text in removed.items() if i in in_pair or texts[hash(text)] > 1)
print(json.dumps({"removed": len(removed), "pairs_at_0.8": len(pairs), "recall_at_0.8": round(caught / max(1, len(pairs)), 4),
                  "precision": round(good / max(1, len(removed)), 4)}))
