#!/usr/bin/env python3
"""Lay out the parser test pages of fundus (flairNLP/fundus, MIT) as an evaluation set for `evaluate.py`:
one directory per page with `source.html` and `expected.txt`.

    git clone https://github.com/flairNLP/fundus /tmp/html3/fundus-repo     # never commit it
    python3 Benchmarks/Extraction/fundus_pages.py /tmp/html3/fundus-repo /tmp/html3/fundus

fundus is a news crawler with one hand-written parser (XPath/CSS selectors) per publisher. Its
`tests/resources/parser/test_data/<country>/` holds, for each publisher, one saved page per parser version
(`<Publisher>_<yyyy_mm_dd>.html.gz`) and `<Publisher>.json` with what each version must extract (`"V1"`,
`"V1_1"`, ...). Pages are pairs of that: pages of about 200 publishers in 40 countries crawled 2023-2026
(German, English, Spanish, French, Japanese, Norwegian, Italian, Turkish, Korean and more). The expected text
is the article body as fundus's parser returns it: the lead (`summary`), then each section's headings and
paragraphs; not the title, captions, authors or related links.

Pairing, by rules fixed before any tool was scored: a publisher's pages sorted by crawl date are matched to its
versions sorted by version number (fundus keeps exactly one page per version, each newer version valid from a
later date); publishers whose page and version counts differ are left out, as are pages whose expected text
has fewer than 50 words (a paywalled or live-ticker page). Page names are `<country>_<Publisher>_<date>`.
"""
import gzip, json, os, re, sys

from evaluate import write_page

WORD = re.compile(r"\w+", re.UNICODE)


def version_key(name):
    return tuple(int(x) for x in re.findall(r"\d+", name))


def body_text(body):
    lines = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        lines += section.get("headline") or []
        lines += section.get("paragraphs") or []
    return "\n".join(lines)


def main():
    repo, out = sys.argv[1], sys.argv[2]
    root = os.path.join(repo, "tests/resources/parser/test_data")
    kept, skipped = 0, []
    for country in sorted(os.listdir(root)):
        folder = os.path.join(root, country)
        if not os.path.isdir(folder):
            continue
        for file in sorted(os.listdir(folder)):
            if not file.endswith(".json"):
                continue
            publisher = file[:-len(".json")]
            expectations = json.load(open(os.path.join(folder, file), encoding="utf-8"))
            versions = sorted(expectations, key=version_key)
            pages = sorted(p for p in os.listdir(folder)
                           if p.endswith(".html.gz") and p.rsplit("_", 3)[0] == publisher)
            if len(pages) != len(versions):
                skipped.append((f"{country}/{publisher}", f"{len(pages)} pages for {len(versions)} versions"))
                continue
            for page, version in zip(pages, versions):
                name = f"{country}_{page[:-len('.html.gz')]}"
                body = expectations[version].get("body")
                expected = body_text(body) if isinstance(body, dict) else ""
                if len(WORD.findall(expected)) < 50:
                    skipped.append((name, "under 50 words"))
                    continue
                with open(os.path.join(folder, page), "rb") as src:
                    write_page(out, name, gzip.decompress(src.read()), expected)
                kept += 1
    print(f"{kept} pages written to {out}; {len(skipped)} left out:", ", ".join(f"{n} ({r})" for n, r in skipped))


if __name__ == "__main__":
    main()
