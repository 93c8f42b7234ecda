#!/usr/bin/env python3
"""What sentence_dedup's near_duplicates adds over exact spans, for a hand check: the removed runs of a run with
near_duplicates that no exact-span run removed (annotate: true on both), a seeded sample of them, and for each the
earlier document (input order) holding most of its character 5-grams (lowercased, punctuation and digits as in
simplify_text, roughly), with that containment and the passage there that shares the first and last of them.

usage: near_span_check.py SLICE_DIR EXACT_STEP_DIR NEAR_STEP_DIR SAMPLE SEED
"""
import glob, json, random, re, sys
import zstandard

slice_dir, exact_dir, near_dir, sample, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def simplify(t):
    t = re.sub(r"\d+", "0", t.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", t)).strip()

def shingles(t, n=5):
    return {t[i:i + n] for i in range(len(t) - n + 1)}

def removed(step_dir):
    runs = {}
    for path in glob.glob(step_dir + "/**/*.jsonl*", recursive=True):
        data = open(path, "rb").read()
        if path.endswith(".zst"):
            data = zstandard.ZstdDecompressor().stream_reader(__import__("io").BytesIO(data)).read()
        for line in data.splitlines():
            d = json.loads(line)
            if d.get("sentence_dedup_removed"):
                runs[d["id"]] = d["sentence_dedup_removed"]
    return runs

order, texts = [], {}
for path in sorted(glob.glob(slice_dir + "/input/*.jsonl.zst")):
    with zstandard.ZstdDecompressor().stream_reader(open(path, "rb")) as r:
        for line in r.read().splitlines():
            d = json.loads(line)
            order.append(d["id"]); texts[d["id"]] = d["text"]
rank = {d: i for i, d in enumerate(order)}
exact, near = removed(exact_dir), removed(near_dir)
extra = []
for doc, runs in near.items():
    exact_text = " ".join(exact.get(doc, []))
    for run in runs:
        if simplify(run) not in simplify(exact_text):
            extra.append((doc, run))
print(f"documents changed: exact {len(exact)}, near {len(near)}; near runs not removed by exact spans: {len(extra)}")
rng = random.Random(seed)
simplified = {d: simplify(texts[d]) for d in order}
doc_shingles = {}
for doc, run in rng.sample(extra, min(sample, len(extra))):
    s = shingles(simplify(run))
    best, best_doc = 0.0, None
    for other in order[:rank[doc] + 1]:
        if other not in doc_shingles:
            doc_shingles[other] = shingles(simplified[other])
        c = len(s & doc_shingles[other]) / max(1, len(s))
        if other == doc:
            continue  # an earlier window of the same document can match too; reported separately below
        if c > best:
            best, best_doc = c, other
    print("=" * 100)
    print(f"{doc}: removed ({len(run)} chars): {run[:400]!r}")
    print(f"   best earlier document {best_doc}, containment of the run's 5-grams {best:.2f}")
    if best_doc:
        t = simplified[best_doc]; r = simplify(run)
        i = t.find(r[:25]) if r[:25] in t else max(0, max((t.find(g) for g in list(s)[:50] if g in t), default=0) - 100)
        print(f"   there: {t[max(0, i - 20):i + min(400, len(r) + 60)]!r}")
