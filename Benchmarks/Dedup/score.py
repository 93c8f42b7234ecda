#!/usr/bin/env python3
"""Precision and recall of a dedup run against the slice's planted duplicates.

usage: score.py SLICE_DIR REMOVED_DIR
  recall@0.8: planted pairs (exact, or near with 5-gram Jaccard >= 0.8) of which at least one document was removed
  precision_planted: removed documents that belong to a planted pair or whose text also occurs in another
    document (a lower bound: the corpus also has natural near duplicates, such as untranslated pages)
With WINNOW_KEPT (Winnow's documents/), also the word 5-gram Jaccard of each removed document with the kept
document its filter_reason names, in bins, and the precision by that measure (a removal is right when its
Jaccard with the kept document is >= 0.8).
"""
import collections, glob, json, sys
import zstandard

slice_dir, removed_dir = sys.argv[1], sys.argv[2]


def records(pattern):
    """Every JSON line of the files matching `pattern` (plain or .zst)."""
    for p in sorted(glob.glob(pattern, recursive=True)):
        raw = open(p, "rb").read()
        if p.endswith(".zst"):
            raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
        for line in raw.splitlines():
            yield json.loads(line)


texts = collections.Counter()
for d in records(slice_dir + "/input/part-*.jsonl.zst"):
    texts[hash(d["text"])] += 1
removed = {d["id"]: d["text"] for d in records(removed_dir + "/**/*.jsonl*")}
truth = [json.loads(l) for l in open(slice_dir + "/truth.jsonl")]
in_pair = {t["id"] for t in truth} | {t["of"] for t in truth}
pairs = [t for t in truth if t["kind"] == "exact_dup" or t.get("jaccard_5gram", 0) >= 0.8]
caught = sum(1 for t in pairs if t["id"] in removed or t["of"] in removed)
good = sum(1 for i, text in removed.items() if i in in_pair or texts[hash(text)] > 1)
print(json.dumps({"removed": len(removed), "pairs_at_0.8": len(pairs), "recall_at_0.8": round(caught / max(1, len(pairs)), 4),
                  "precision_planted": round(good / max(1, len(removed)), 4)}))

if len(sys.argv) > 3:
    import re
    kept = {d["id"]: d["text"] for d in records(sys.argv[3] + "/*.jsonl*")}
    reasons = {d["id"]: d.get("filter_reason", "").split()[-1] for d in records(removed_dir + "/**/*.jsonl*")}
    def shingles(t):
        w = re.findall(r"\w+", t.lower())
        return {tuple(w[i:i + 5]) for i in range(max(0, len(w) - 4))} or {tuple(w)}
    bins = collections.Counter()
    for i, k in reasons.items():
        a, b = shingles(removed[i]), shingles(kept.get(k, ""))
        j = len(a & b) / max(1, len(a | b))
        bins[">=0.8" if j >= 0.8 else "0.7-0.8" if j >= 0.7 else "0.5-0.7" if j >= 0.5 else "<0.5"] += 1
    print(json.dumps({"jaccard_with_kept": dict(sorted(bins.items())),
                      "precision_jaccard_0.8": round(bins[">=0.8"] / max(1, sum(bins.values())), 4)}))
