#!/usr/bin/env python3
"""Bag-of-words evaluation of main-text extraction: Winnow (`winnow extract`), trafilatura (default and
favor_precision) and resiliparse (`extract_plain_text(main_content=True)`) on pages with a known main text.

    python3 Benchmarks/Extraction/evaluate.py PAGES_DIR --winnow .build/release/winnow [--json OUT.json]

PAGES_DIR holds one directory per page with `source.html` and `expected.html` or `expected.txt`: the layout
of Mozilla readability's `test/test-pages/` (Apache-2.0; get it with `git clone
https://github.com/mozilla/readability`, never commit it), or newspaper's full-text pages as
`newspaper_pages.py` lays them out. The expected text is the visible text of `expected.html` (Python's
html.parser; scripts, styles and hidden elements skipped), or `expected.txt` as it is. Scores: per page, precision, recall and F1 of the multiset of lower-cased
word tokens (`\\w+`, Unicode), then the mean over pages; a tool that returns nothing scores 0 on that page.

Pages are split by a hash of their name into a validation half (`val`, the only one looked at while
choosing Winnow's settings) and a test half (`test`); the table gives both and all pages.

Needs: trafilatura, resiliparse (pip install trafilatura lxml_html_clean resiliparse).
"""
import argparse, collections, hashlib, json, os, re, subprocess, sys, time
from html.parser import HTMLParser

WORD = re.compile(r"\w+", re.UNICODE)
SKIP = set("script style noscript template svg head title".split())
VOID = set("area base br col embed hr img input link meta param source track wbr".split())
BLOCKS = set("address article aside blockquote body br center dd details dialog div dl dt fieldset figcaption figure "
             "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr td th ul".split())


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS: self.parts.append(" ")
        if tag not in VOID: self.stack.append((tag, tag in SKIP or any(k == "hidden" for k, _ in attrs)))

    def handle_endtag(self, tag):
        if tag in BLOCKS: self.parts.append(" ")
        if any(t == tag for t, _ in self.stack):
            while self.stack.pop()[0] != tag: pass

    def handle_data(self, data):
        if not any(h for _, h in self.stack): self.parts.append(data)


def visible_text(html):
    p = VisibleText()
    p.feed(html)
    p.close()
    return "".join(p.parts)


def write_page(out, name, source, expected):
    """Lays out one page for this script: OUT/NAME/source.html (bytes as given) and OUT/NAME/expected.txt."""
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "source.html"), "wb") as dst:
        dst.write(source)
    with open(os.path.join(out, name, "expected.txt"), "w", encoding="utf-8") as dst:
        dst.write(expected)


def bag(text):
    return collections.Counter(w.lower() for w in WORD.findall(text or ""))


def score(expected, got):
    common = sum((expected & got).values())
    p = common / sum(got.values()) if got else 0.0
    r = common / sum(expected.values()) if expected else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def split_of(name):
    return "val" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "test"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pages")
    ap.add_argument("--winnow", default=".build/release/winnow")
    ap.add_argument("--winnow-modes", default="precision,balanced,recall,whole_page")
    ap.add_argument("--json")
    ap.add_argument("--worst", metavar="TOOL", help="also list the val pages where TOOL's F1 is lowest")
    args = ap.parse_args()

    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text

    def expected_text(name):
        path = os.path.join(args.pages, name, "expected.html")
        if os.path.exists(path):
            return visible_text(open(path, encoding="utf-8").read())
        return open(os.path.join(args.pages, name, "expected.txt"), encoding="utf-8").read()

    names = sorted(d for d in os.listdir(args.pages)
                   if any(os.path.exists(os.path.join(args.pages, d, e)) for e in ("expected.html", "expected.txt")))
    sources = {n: open(os.path.join(args.pages, n, "source.html"), encoding="utf-8", errors="replace").read() for n in names}
    expected = {n: bag(expected_text(n)) for n in names}

    outputs = {}
    for mode in args.winnow_modes.split(","):
        files = [os.path.join(args.pages, n, "source.html") for n in names]
        run = subprocess.run([args.winnow, "extract", "--mode", mode] + files, capture_output=True, text=True, check=True)
        by_path = {json.loads(l)["path"]: json.loads(l)["text"] for l in run.stdout.split("\n") if l}
        outputs[f"winnow {mode}"] = {n: by_path.get(f, "") for n, f in zip(names, files)}
    outputs["trafilatura"] = {n: trafilatura.extract(sources[n]) or "" for n in names}
    outputs["trafilatura favor_precision"] = {n: trafilatura.extract(sources[n], favor_precision=True) or "" for n in names}
    outputs["resiliparse main_content"] = {n: extract_plain_text(sources[n], main_content=True) or "" for n in names}

    table = {}
    for tool, texts in outputs.items():
        rows = collections.defaultdict(list)
        for n in names:
            s = score(expected[n], bag(texts[n]))
            rows["all"].append(s)
            rows[split_of(n)].append(s)
        table[tool] = {k: [round(sum(x[i] for x in v) / len(v), 3) for i in range(3)] + [len(v)] for k, v in rows.items()}
    print(f"{'tool':32} {'P':>6} {'R':>6} {'F1':>6}   {'F1 val':>6} {'F1 test':>7}  pages")
    for tool, t in table.items():
        print(f"{tool:32} {t['all'][0]:6.3f} {t['all'][1]:6.3f} {t['all'][2]:6.3f}   {t['val'][2]:6.3f} {t['test'][2]:7.3f}  {t['all'][3]}")
    if args.worst:
        worst = sorted((score(expected[n], bag(outputs[args.worst][n])), n) for n in names if split_of(n) == "val")
        worst.sort(key=lambda x: x[0][2])
        for (p, r, f), n in worst[:15]:
            print(f"  {n:40} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    if args.json:
        per_page = {tool: {n: round(score(expected[n], bag(texts[n]))[2], 3) for n in names} for tool, texts in outputs.items()}
        json.dump({"pages": names, "table": table, "f1": per_page}, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
