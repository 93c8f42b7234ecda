#!/usr/bin/env python3
"""An evaluation set planted in a benchmark slice, for decontamination benchmarks: N items drawn (seeded) from the
slice's documents, each a "question" of 30 words and an "answer" of 15 words cut from one document (so that
document is contaminated), half of them with case and punctuation changed (so only a normalized comparison finds
them), plus N items whose words are shuffled (they should match nothing). Writes OUT (JSONL: id, question,
answer) and OUT.truth.json (the planted items and the ids of the documents they came from).

usage: make_eval_set.py SLICE_DIR OUT.jsonl N SEED
"""
import glob, json, random, sys
import zstandard

slice_dir, out, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
docs = []
for path in sorted(glob.glob(slice_dir + "/input/*.jsonl.zst")):
    with zstandard.ZstdDecompressor().stream_reader(open(path, "rb")) as r:
        for line in r.read().splitlines():
            d = json.loads(line)
            words = d["text"].split()
            if len(words) >= 120:
                docs.append((d["id"], words))
picked = rng.sample(docs, n)

def disguise(words):
    out = []
    for w in words:
        r = rng.random()
        out.append(w.upper() if r < 0.2 else w.strip(".,;:!?") if r < 0.5 else w + "," if r < 0.6 else w)
    return " ".join(out)

items, truth = [], []
for i, (doc_id, words) in enumerate(picked):
    start = rng.randrange(0, len(words) - 60)
    question, answer = words[start:start + 30], words[start + 35:start + 50]
    changed = i % 2 == 1
    items.append({"id": f"planted-{i}", "question": disguise(question) if changed else " ".join(question),
                  "answer": disguise(answer) if changed else " ".join(answer)})
    truth.append({"item": f"planted-{i}", "document": doc_id, "changed": changed})
for i in range(n):
    _, words = rng.choice(docs)
    shuffled = words[:45]
    rng.shuffle(shuffled)
    items.append({"id": f"shuffled-{i}", "question": " ".join(shuffled[:30]), "answer": " ".join(shuffled[30:])})
with open(out, "w") as f:
    for item in items:
        f.write(json.dumps(item, ensure_ascii=False) + "\n")
json.dump(truth, open(out + ".truth.json", "w"), indent=0)
print(f"{len(items)} items ({n} planted in {len({t['document'] for t in truth})} documents) -> {out}")
