"""Cross-checks `winnow filter perplexity` with a plain-Python back-off scorer (KenLM's formula, CCNet's
per-paragraph combination). Not KenLM itself: a second, independent implementation for larger models.

    winnow filter perplexity --param model=M.arpa IN.jsonl --output OUT
    python3 perplexity_crosscheck.py M.arpa IN.jsonl <(zstd -dc OUT/kept/*.zst)

Documents containing non-ASCII whitespace are reported separately: Python's str.split() separates tokens
there and Winnow does not (see docs/filters.md).
"""
import json
import sys


def load(path):
    order, prob, backoff, section = 0, {}, {}, None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("\\"):
            section = int(line[1:line.index("-")]) if line.endswith("-grams:") else section
            continue
        if section is None:
            continue
        f = line.split()
        g = tuple(f[1:1 + section])
        prob[g] = float(f[0])
        if len(f) > 1 + section:
            backoff[g] = float(f[1 + section])
        order = max(order, section)
    return order, prob, backoff


def main(arpa, inputs, outputs):
    order, prob, backoff = load(arpa)
    vocab = {g[0] for g in prob if len(g) == 1}

    def score(ctx, w):
        ctx = ctx[len(ctx) - (order - 1):] if order > 1 else []
        for n in range(len(ctx), -1, -1):
            g = tuple(ctx[len(ctx) - n:]) + (w,)
            if g in prob:
                s = prob[g]
                for m in range(n + 1, len(ctx) + 1):
                    s += backoff.get(tuple(ctx[len(ctx) - m:]), 0.0)
                return s
        return prob.get(("<unk>",), -100.0)

    def perplexity(text):
        total, length = 0.0, 0
        for para in text.split("\n"):
            ctx = ["<s>"]
            for w in para.split() + ["</s>"]:
                w = w if w in vocab else "<unk>"
                total += score(ctx, w)
                length += 1
                ctx.append(w)
        return 10 ** (-total / length)

    texts = {}
    for line in open(inputs, encoding="utf-8"):
        d = json.loads(line)
        texts[d["id"]] = d["text"]
    worst, n, spaces = 0.0, 0, 0
    for line in open(outputs, encoding="utf-8"):
        d = json.loads(line)
        text = texts[d["id"]]
        if any(ord(c) > 127 and c.isspace() for c in text):
            spaces += 1
            continue
        want = perplexity(text)
        worst = max(worst, abs(d["perplexity"] - want) / want)
        n += 1
    print(f"{n} documents compared, worst relative difference {worst:.3g}; "
          f"{spaces} skipped for non-ASCII whitespace")


if __name__ == "__main__":
    main(*sys.argv[1:4])
