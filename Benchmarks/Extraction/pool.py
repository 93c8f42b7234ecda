#!/usr/bin/env python3
"""Pooled held-out F1: the mean per-page F1 of each tool over the `test` pages of several evaluation sets, from
the `--json` files `evaluate.py` writes (so a set's weight is its number of pages).

    python3 Benchmarks/Extraction/pool.py readability.json newspaper.json fundus.json [--all sample.json]

`--all FILE`: a set no setting was chosen on (the sample WARC's pages), pooled with all its pages.
"""
import argparse, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import split_of  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--all", action="append", default=[])
    args = ap.parse_args()
    pooled = {}
    for path, held_out in [(f, lambda n: split_of(n) == "test") for f in args.files] + \
                          [(f, lambda n: True) for f in args.all]:
        result = json.load(open(path))
        for tool, pages in result["f1"].items():
            pooled.setdefault(tool, []).extend(f for n, f in pages.items() if held_out(n))
    for tool, scores in pooled.items():
        print(f"{tool:32} {sum(scores) / len(scores):.4f}  ({len(scores)} pages)")


if __name__ == "__main__":
    main()
