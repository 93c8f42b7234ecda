#!/usr/bin/env python3
"""Language-ID accuracy on an out-of-domain set (lang<TAB>sentence, from make_ood_set.py), side by side:
fastText models through `winnow langid predict` (Winnow's embedded model, lid.176), CLD2 (`pycld2`) and
Lingua (`lingua-language-detector`, all languages loaded) when importable. Per language, by sentence length
(under 20, 20-50, over 50 characters), macro averages over the languages every tool knows, and CPU seconds.

    python3 Benchmarks/LangID/evaluate_ood.py WINNOW SET.tsv NAME=MODEL [NAME=MODEL ...] [--cld2] [--lingua]

Right means the predicted code is the set's code, or, for a tool without that exact code, the same language
without the script (`zh` for `zh-Hant`; Lingua's `nb` counts for `no`). A language a tool does not know is left
out of that tool's averages ("unknown").
"""
import collections, os, resource, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate_lid import base, model_labels, predict, target  # noqa: E402

BUCKETS = [("<20", 0, 20), ("20-50", 20, 51), (">50", 51, 10 ** 9)]


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def fasttext_tool(winnow, path):
    labels = model_labels(winnow, path)

    def run(texts):
        return predict(winnow, path, texts)

    return run, lambda code: target(code, labels)[0], children_cpu


def cld2_tool():
    import pycld2

    def one(t):
        try:
            return pycld2.detect(t)[2][0][1]
        except pycld2.error:
            return "un"

    known = {c for _, c in pycld2.LANGUAGES}
    return (lambda texts: [one(t) for t in texts]), (lambda code: code if code in known else (base(code) if base(code) in known else None)), time.process_time


def lingua_tool():
    from lingua import Language, LanguageDetectorBuilder
    detector = LanguageDetectorBuilder.from_all_languages().build()
    known = {l.iso_code_639_1.name.lower() for l in Language.all()}

    def one(t):
        lang = detector.detect_language_of(t)
        if lang is None:
            return "un"
        code = lang.iso_code_639_1.name.lower()
        return "no" if code == "nb" else code

    def want(code):
        if code == "no":
            return "no" if "nb" in known else None
        return code if code in known else (base(code) if base(code) in known else None)

    return (lambda texts: [one(t) for t in texts]), want, time.process_time


def main():
    args = sys.argv[1:]
    use_cld2 = "--cld2" in args
    use_lingua = "--lingua" in args
    args = [a for a in args if a not in ("--cld2", "--lingua")]
    winnow, path = args[0], args[1]
    rows = [l.rstrip("\n").split("\t", 1) for l in open(path, encoding="utf-8") if "\t" in l]
    tools = [(name, fasttext_tool(winnow, model)) for name, model in (a.split("=", 1) for a in args[2:])]
    if use_cld2:
        tools.append(("CLD2", cld2_tool()))
    if use_lingua:
        tools.append(("Lingua", lingua_tool()))
    langs = sorted({c for c, _ in rows})
    texts = [t for _, t in rows]
    results = {}
    for name, (run, want, clock) in tools:
        c0 = clock()
        predicted = run(texts)
        cpu = clock() - c0
        right, total = collections.Counter(), collections.Counter()
        for (code, text), p in zip(rows, predicted):
            w = want(code)
            if w is None:
                continue
            b = next(b for b, lo, hi in BUCKETS if lo <= len(text) < hi)
            for key in (code, (code, b), ("all", b)):
                total[key] += 1
                right[key] += p == w
        results[name] = (right, total, cpu)
    names = [n for n, _ in tools]
    print(f"{len(rows)} sentences in {len(langs)} languages ({path})\n")
    print("| language | sentences | " + " | ".join(names) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in names) + " |")
    count = collections.Counter(c for c, _ in rows)
    for code in langs:
        cells = []
        for n in names:
            right, total, _ = results[n]
            cells.append(f"{100 * right[code] / total[code]:.1f}" if total[code] else "unknown")
        print(f"| {code} | {count[code]} | " + " | ".join(cells) + " |")
    common = [c for c in langs if all(results[n][1][c] for n in names)]
    print(f"\n| tool | languages known | macro, known | macro, the {len(common)} common | <20 chars | 20-50 | >50 | CPU s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in names:
        right, total, cpu = results[n]
        known = [c for c in langs if total[c]]
        macro = lambda keys: 100 * sum(right[k] / total[k] for k in keys) / max(1, len(keys))
        buckets = []
        for b, _, _ in BUCKETS:
            r = sum(right[(c, b)] for c in common)
            t = sum(total[(c, b)] for c in common)
            buckets.append(f"{100 * r / t:.1f} ({t})" if t else "-")
        print(f"| {n} | {len(known)} of {len(langs)} | {macro(known):.2f} | {macro(common):.2f} | " + " | ".join(buckets) + f" | {cpu:.2f} |")
    print("\nLength columns: micro accuracy over the common languages' sentences of that length (count in brackets).")


if __name__ == "__main__":
    main()
