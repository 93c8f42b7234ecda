#!/usr/bin/env python3
"""Lay out the full-text test pages of newspaper (codelucas/newspaper, MIT) as an evaluation set for
`evaluate.py`: one directory per page with `source.html` and `expected.txt`.

    git clone https://github.com/codelucas/newspaper /tmp/html2/newspaper-repo
    python3 Benchmarks/Extraction/newspaper_pages.py /tmp/html2/newspaper-repo /tmp/html2/newspaper

newspaper's `tests/data/html/NAME.html` are pages of about 80 news, magazine and blog sites and nine articles
in other languages (Arabic, Bengali, Burmese, Chinese, Japanese, Latvian, Spanish, Thai, ...); its
`tests/data/text/NAME.txt` hold the article text its authors accepted for each page. Left out, by rules fixed
before any tool was scored: pages whose expected text has fewer than 50 words (newspaper found nothing
there, so the file says nothing about the page), and pages whose expected text carries one of the authors'
notes that it is incomplete (a line in capitals such as `MISSES SECOND HALF OF ARTICLE`). Never commit the
output: the pages belong to their sites.

newspaper4k (its maintained fork, MIT) ships such pages in its PyPI sdist (`tests/data/html`, expected text in
`tests/data/txt`); `--skip-names-in DIR` leaves out the pages already laid out in DIR, so that its new pages
form a set of their own (used for validation only, see docs/extraction.md):

    pip download --no-deps --no-binary :all: newspaper4k==0.9.6   # or fetch the sdist; unpack it
    python3 Benchmarks/Extraction/newspaper_pages.py newspaper4k-0.9.6 /tmp/html6/np4k --skip-names-in /tmp/html2/newspaper
"""
import os, re, sys

from evaluate import write_page

WORD = re.compile(r"\w+", re.UNICODE)
NOTE = re.compile(r"^[A-Z ,.'()-]{12,}$")
NOTE_WORDS = ("MISS", "EXTRACT", "FAILED")
# A few expected-text files are named after the language, not after their page.
TEXT_NAME = {"arabic_article": "arabic", "chinese_article": "chinese", "japanese_article": "japanese",
             "japanese_article2": "japanese2", "spanish_article": "spanish", "thai_article": "thai",
             "cnn_article": "cnn"}


def main():
    repo, out = sys.argv[1], sys.argv[2]
    present = set(os.listdir(sys.argv[4])) if len(sys.argv) > 4 and sys.argv[3] == "--skip-names-in" else set()
    html_dir, text_dir = os.path.join(repo, "tests/data/html"), os.path.join(repo, "tests/data/text")
    if not os.path.isdir(text_dir):  # newspaper4k
        text_dir = os.path.join(repo, "tests/data/txt")
    kept, skipped = 0, []
    for file in sorted(os.listdir(html_dir)):
        name = file[:-len(".html")]
        if name in present:
            continue
        text_path = os.path.join(text_dir, TEXT_NAME.get(name, name) + ".txt")
        if not os.path.exists(text_path):
            continue
        expected = open(text_path, encoding="utf-8").read()
        if len(WORD.findall(expected)) < 50:
            skipped.append((name, "under 50 words"))
            continue
        if any(NOTE.match(line) and any(w in line for w in NOTE_WORDS) for line in expected.splitlines()):
            skipped.append((name, "marked incomplete"))
            continue
        with open(os.path.join(html_dir, file), "rb") as src:
            write_page(out, name, src.read(), expected)
        kept += 1
    print(f"{kept} pages written to {out}; {len(skipped)} left out:", ", ".join(f"{n} ({r})" for n, r in skipped))


if __name__ == "__main__":
    main()
