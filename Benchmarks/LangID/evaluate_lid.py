#!/usr/bin/env python3
"""Language-ID accuracy of fastText models on ../shared/lid/test.tsv (lang<TAB>text), per language and
macro-averaged, on sentences and on document-length texts, through `winnow langid predict`.

Usage: evaluate_lid.py WINNOW TEST_TSV NAME=MODEL [NAME=MODEL ...] [--group N] [--markdown]

A prediction is right when the predicted label is the test code (`sr-Latn`, `zh-Hant`, `en`), or, when the
model has no label for that exact code, when it names the same language without the script (lid.176's `zh`
and `sr` for `zh-Hant` and `sr-Latn`, as Winnow's language codes match a code without a script). A test
language for which the model has neither is reported as unknown to that model and left out of its
averages. Documents: GROUP consecutive test sentences of one language joined by spaces (default 5), each
sentence in one document only.
"""
import collections
import os
import subprocess
import sys
import tempfile


def base(code):
    return code.split("-")[0].split("_")[0]


def predict(winnow, model, texts):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        for t in texts:
            f.write(t.replace("\n", " ") + "\n")
        path = f.name
    try:
        out = subprocess.run([winnow, "langid", "predict", "--model", model, "-k", "1", path],
                             check=True, capture_output=True).stdout.decode("utf-8").split("\n")
    finally:
        os.unlink(path)
    labels = [line.split(" ")[0].removeprefix("__label__") if line else "" for line in out[: len(texts)]]
    assert len(labels) == len(texts), (len(labels), len(texts))
    return labels


def model_labels(winnow, model):
    info = subprocess.run([winnow, "langid", "info", model], check=True, capture_output=True).stdout.decode()
    line = next(l for l in info.split("\n") if l.startswith("label_names "))
    return set(line.split(" ")[1:])


def target(code, labels):
    """The model label that counts as right for test code `code`, or None when the model lacks it."""
    if code in labels:
        return code, True
    if base(code) in labels:
        return base(code), False
    return None, False


def evaluate(winnow, model, rows):
    labels = model_labels(winnow, model)
    predicted = predict(winnow, model, [t for _, t in rows])
    right, total = collections.Counter(), collections.Counter()
    for (code, _), p in zip(rows, predicted):
        want, _ = target(code, labels)
        if want is None:
            continue
        total[code] += 1
        right[code] += p == want
    return {c: right[c] / total[c] for c in total}, labels


def documents(rows, group):
    by_lang = collections.defaultdict(list)
    for code, text in rows:
        by_lang[code].append(text)
    docs = []
    for code, texts in by_lang.items():
        for i in range(0, len(texts) - group + 1, group):
            docs.append((code, " ".join(texts[i:i + group])))
    return docs


def main():
    args = sys.argv[1:]
    group = 5
    if "--group" in args:
        i = args.index("--group")
        group = int(args[i + 1])
        del args[i:i + 2]
    winnow, test = args[0], args[1]
    models = [a.split("=", 1) for a in args[2:]]
    rows = [l.rstrip("\n").split("\t", 1) for l in open(test, encoding="utf-8") if "\t" in l]
    langs = sorted({c for c, _ in rows})
    docs = documents(rows, group)
    results = {}
    for name, path in models:
        sent, labels = evaluate(winnow, path, rows)
        doc, _ = evaluate(winnow, path, docs)
        results[name] = (sent, doc, labels)

    names = [n for n, _ in models]
    count = collections.Counter(c for c, _ in rows)
    doc_count = collections.Counter(c for c, _ in docs)
    print(f"{len(rows)} test sentences in {len(langs)} languages; {len(docs)} documents of {group} sentences\n")
    print("| language | sentences | " + " | ".join(f"{n} sent. | {n} doc." for n in names) + " |")
    print("| --- | --- | " + " | ".join("--- | ---" for _ in names) + " |")
    for code in langs:
        cells = []
        for n in names:
            sent, doc, labels = results[n]
            if code not in sent:
                cells += ["unknown", "unknown"]
            else:
                exact = target(code, labels)[1]
                mark = "" if exact else "*"
                cells += [f"{100 * sent[code]:.1f}{mark}", f"{100 * doc[code]:.1f}{mark}" if code in doc else "-"]
        print(f"| {code} | {count[code]} | " + " | ".join(cells) + " |")
    print()
    print("| model | languages known | macro sent. (known) | macro doc. (known) | macro sent. (common) | macro doc. (common) |")
    print("| --- | --- | --- | --- | --- | --- |")
    common = set(langs)
    for n in names:
        common &= set(results[n][0])
    for n in names:
        sent, doc, _ = results[n]
        m = lambda d, keys: 100 * sum(d[k] for k in keys if k in d) / max(1, len([k for k in keys if k in d]))
        print(f"| {n} | {len(sent)} of {len(langs)} | {m(sent, sent):.2f} | {m(doc, doc):.2f} | "
              f"{m(sent, common):.2f} | {m(doc, common):.2f} |")
    print(f"\ncommon languages: {len(common)}; * = matched without the script (the model has no label for the exact code)")


if __name__ == "__main__":
    main()
