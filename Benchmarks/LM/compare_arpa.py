"""Compares two ARPA files n-gram by n-gram (e.g. `winnow lm train` against KenLM's `lmplz`).

usage: python3 compare_arpa.py A.arpa B.arpa
Prints, per order, the n-gram counts, n-grams only in one file, and the largest difference of log10
probability and of log10 back-off (a missing back-off is 0). Exit status 1 when the n-gram sets differ
or a difference exceeds 1e-4.
"""
import sys


def read(path):
    orders, section = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("ngram "):
                orders.append({})
            elif line.startswith("\\"):
                section = int(line[1:line.index("-")]) if line.endswith("-grams:") else 0
            elif section:
                fields = line.split("\t")
                backoff = float(fields[2]) if len(fields) > 2 else 0.0
                orders[section - 1][fields[1]] = (float(fields[0]), backoff)
    return orders


a, b = read(sys.argv[1]), read(sys.argv[2])
bad = len(a) != len(b)
for n, (x, y) in enumerate(zip(a, b), 1):
    only_a, only_b = x.keys() - y.keys(), y.keys() - x.keys()
    common = x.keys() & y.keys()
    dp = max((abs(x[g][0] - y[g][0]) for g in common if g != "<s>"), default=0.0)
    db = max((abs(x[g][1] - y[g][1]) for g in common), default=0.0)
    print(f"{n}-grams: {len(x)} vs {len(y)}; only in A {len(only_a)}, only in B {len(only_b)}; "
          f"max |d log10 p| {dp:.3g}, max |d log10 backoff| {db:.3g}")
    for g in list(only_a)[:3] + list(only_b)[:3]:
        print("   ", repr(g))
    bad |= bool(only_a or only_b) or dp > 1e-4 or db > 1e-4
sys.exit(1 if bad else 0)
