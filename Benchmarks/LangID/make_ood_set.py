#!/usr/bin/env python3
"""An out-of-domain language-ID set (lang<TAB>sentence) from The Debian Administrator's Handbook, a book
translated into 26 languages: prose about system administration, unlike the UI strings (LibreOffice, Firefox,
GNOME) the embedded model was trained on. Licence: GPL-2.0+ or CC-BY-SA-3.0 (the package's copyright file).

    apt-get download debian-handbook && dpkg-deb -x debian-handbook_*.deb /tmp/handbook
    python3 Benchmarks/LangID/make_ood_set.py /tmp/handbook/usr/share/doc/debian-handbook/html OUTDIR [--per-language 300] [--min-sentences 50]

Writes OUTDIR/validation.tsv and OUTDIR/test.tsv. The split is by chapter file: a file's sections are on one
side in every language (a sentence and its translations never straddle the split); files are assigned by a
hash of their name. Sentences come from the `<div class="para">` paragraphs (titles, screens and tables are left out; command and file names inside a sentence stay),
split at sentence ends; kept when 10-400 characters long, at least 60 % letters, and, for languages other
than English, not untranslated: not found in the English book, and fewer than 60 % of its words found
there (partial translations of an older edition keep English sentences with translated cross-references). Up to --per-language sentences
per language and split, drawn with a fixed seed; a language with fewer than --min-sentences (50) in a split
is left out of it (da, el and ro: their books are mostly untranslated).
"""
import argparse, hashlib, html, os, random, re, unicodedata

CODES = {"ar-MA": "ar", "ca-ES": "ca", "cs-CZ": "cs", "da-DK": "da", "de-DE": "de", "el-GR": "el", "en-US": "en",
         "es-ES": "es", "fa-IR": "fa", "fr-FR": "fr", "hr-HR": "hr", "id-ID": "id", "it-IT": "it", "ja-JP": "ja",
         "ko-KR": "ko", "nb-NO": "no", "nl-NL": "nl", "pl-PL": "pl", "pt-BR": "pt", "ro-RO": "ro", "ru-RU": "ru",
         "sv-SE": "sv", "tr-TR": "tr", "vi-VN": "vi", "zh-CN": "zh", "zh-TW": "zh-Hant"}

PARAGRAPH = re.compile(r"<div class=\"para\">(.*?)</div>", re.S)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])")


def sentences(path):
    text = open(path, encoding="utf-8").read()
    for p in PARAGRAPH.findall(text):
        p = html.unescape(re.sub(r"<[^>]+>", "", p))
        p = " ".join(p.split())
        for s in SENTENCE_END.split(p):
            s = s.strip()
            if not 10 <= len(s) <= 400:
                continue
            chars = [c for c in s if not c.isspace()]
            letters = sum(1 for c in chars if unicodedata.category(c).startswith("L"))
            if letters < 0.6 * len(chars):
                continue
            yield s


WORD = re.compile(r"[^\W\d_]+")


def words(s):
    return [w.lower() for w in WORD.findall(s)]


def mostly_english(s, english_words):
    """An untranslated sentence of an older edition (not found verbatim in the current English book, but
    made of its words): 60 % or more of its words occur in the English book."""
    ws = words(s)
    return bool(ws) and sum(w in english_words for w in ws) >= 0.6 * len(ws)


def split_of(name):
    return "validation" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "test"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("html")
    ap.add_argument("out")
    ap.add_argument("--per-language", type=int, default=300)
    ap.add_argument("--min-sentences", type=int, default=50)
    a = ap.parse_args()
    english = set()
    en_dir = os.path.join(a.html, "en-US")
    for f in sorted(os.listdir(en_dir)):
        if f.endswith(".html"):
            english.update(sentences(os.path.join(en_dir, f)))
    english_words = {w for s in english for w in words(s)}
    rows = {"validation": [], "test": []}
    for d, code in sorted(CODES.items()):
        folder = os.path.join(a.html, d)
        if not os.path.isdir(folder):
            continue
        by_split = {"validation": [], "test": []}
        for f in sorted(os.listdir(folder)):
            if not f.endswith(".html"):
                continue
            for s in sentences(os.path.join(folder, f)):
                if code == "en" or (s not in english and not mostly_english(s, english_words)):
                    by_split[split_of(f)].append(s)
        for split, items in by_split.items():
            items = sorted(set(items))
            if len(items) < a.min_sentences:
                print(f"{split} {code}: left out, {len(items)} translated sentences")
                continue
            random.Random(f"{split}-{code}").shuffle(items)
            rows[split].extend((code, s) for s in items[: a.per_language])
            print(f"{split} {code}: {min(len(items), a.per_language)} of {len(items)}")
    os.makedirs(a.out, exist_ok=True)
    for split, items in rows.items():
        with open(os.path.join(a.out, f"{split}.tsv"), "w", encoding="utf-8") as fh:
            for code, s in items:
                fh.write(f"{code}\t{s}\n")


if __name__ == "__main__":
    main()
