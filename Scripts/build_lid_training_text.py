#!/usr/bin/env python3
"""Builds the training text of Winnow's default language-ID model: the UI strings of ../shared/lid/train.ft.zst
(LibreOffice, Firefox, GNOME; 115 labels) plus running prose from other Debian packages: translated manual
pages (manpages-l10n, manpages-ja, manpages-zh, manpages-tr), fortune cookies (fortunes-*), and the Debian
FAQ, Debian Reference, New Maintainers' Guide and Installation Guide translations. The packages' licences
are listed in docs/langid.md ("Default model"); The Debian Administrator's Handbook is NOT used: it is the
out-of-domain validation and test set (Benchmarks/LangID/make_ood_set.py).

    python3 Scripts/build_lid_training_text.py ROOT UI_TRAIN_FT_ZST OUT_TRAIN_FT [--cap N]

ROOT holds one directory per package, as `dpkg-deb -x PACKAGE.deb ROOT/PACKAGE` leaves it
(Scripts/build-default-lid-model.sh does this). Each document (a manual page, a fortune file, an HTML
chapter) is cut into paragraphs, then sentences; a sentence is kept when it is 10-400 characters long with at
least 60 % letters and, outside English, when fewer than 60 % of its letters are in English words (translations
leave untranslated paragraphs). Per language, at most --cap sentences (default 20,000) are drawn with a
fixed seed, evenly across the language's packages; every UI-string line is kept. The output is the union,
shuffled with a fixed seed, one `__label__xx text` line each: the same input gives the same bytes.
"""
import argparse, collections, gzip, html, os, random, re, subprocess, sys, unicodedata

# /usr/share/man/<dir> of the manual-page packages -> the model's label.
MAN_DIRS = {"cs": "cs", "da": "da", "de": "de", "el": "el", "es": "es", "fi": "fi", "fr": "fr", "hu": "hu",
            "id": "id", "it": "it", "ja": "ja", "mk": "mk", "nb": "no", "nl": "nl", "pl": "pl", "pt": "pt",
            "pt_BR": "pt", "ro": "ro", "ru": "ru", "sr": "sr", "sv": "sv", "tr": "tr", "uk": "uk", "vi": "vi",
            "zh_CN": "zh", "zh_TW": "zh-Hant"}
# fortunes-<suffix> -> label (fortunes-min is English; fortunes-br is Brazilian Portuguese).
FORTUNES = {"min": "en", "bg": "bg", "br": "pt", "cs": "cs", "de": "de", "eo": "eo", "es": "es", "ga": "ga",
            "it": "it", "pl": "pl", "ru": "ru", "zh": "zh"}
# Language part of the documentation packages' file names and folders -> label.
DOC_CODES = {"ca": "ca", "cs": "cs", "da": "da", "de": "de", "el": "el", "en": "en", "es": "es", "fr": "fr",
             "id": "id", "it": "it", "ja": "ja", "ko": "ko", "nl": "nl", "pt": "pt", "pt-br": "pt", "pt_BR": "pt",
             "ro": "ro", "ru": "ru", "sv": "sv", "vi": "vi", "zh-cn": "zh", "zh_CN": "zh", "zh-tw": "zh-Hant",
             "zh_TW": "zh-Hant"}

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])")
WORD = re.compile(r"[^\W\d_]+")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def is_cjk(c):
    o = ord(c)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0xAC00 <= o <= 0xD7AF


def join_lines(lines):
    """Joins wrapped lines with a space, without one between two CJK characters (Chinese and Japanese text is
    wrapped anywhere)."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out


def sentences(paragraph):
    paragraph = " ".join(paragraph.split())
    for s in SENTENCE_END.split(paragraph):
        s = s.strip()
        if not 10 <= len(s) <= 400:
            continue
        chars = [c for c in s if not c.isspace()]
        letters = sum(1 for c in chars if unicodedata.category(c).startswith("L"))
        if letters >= 0.6 * len(chars):
            yield s


def words(s):
    return [w.lower() for w in WORD.findall(s)]


def read_text(path):
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


# --- manual pages (troff) ---------------------------------------------------------------------------------

FONT_MACROS = {"B", "I", "BR", "RB", "BI", "IB", "IR", "RI", "SM", "SB"}
# Every other request (.PP, .SH, .TP, .IP, .br, ...) ends the paragraph; its arguments (headings, tags) are dropped.
NOFILL_START = {"nf", "EX", "TS", "EQ", "de", "ig"}
NOFILL_END = {"fi", "EE", "TE", "EN", "..", "."}
ESCAPES = [(re.compile(r"\\f(\[[^\]]*\]|\(..|.)"), ""), (re.compile(r"\\s[+-]?\d+"), ""),
           (re.compile(r"\\\*(\[[^\]]*\]|\(..|.)"), ""), (re.compile(r"\\\(em|\\\[em\]"), "—"),
           (re.compile(r"\\\((aq|cq)"), "'"), (re.compile(r"\\\((lq|rq|dq)"), '"'),
           (re.compile(r"\\\(..|\\\[[^\]]*\]"), ""), (re.compile(r"\\[-]"), "-"), (re.compile(r"\\[e\\]"), "\\"),
           (re.compile(r"\\[ ~0]"), " "), (re.compile(r"\\[&c|^%:)]"), ""), (re.compile(r"\\."), "")]


def unescape_troff(s):
    for pattern, repl in ESCAPES:
        s = pattern.sub(lambda m: repl, s)
    return s


def troff_paragraphs(text):
    para, nofill = [], None
    for line in text.split("\n"):
        if nofill:
            if line.startswith((".", "'")) and line[1:].split()[:1] and line[1:].split()[0] in NOFILL_END:
                nofill = None
            continue
        if line.startswith(('.\\"', "'\\\"", '.\\\\"')):
            continue
        if line.startswith((".", "'")):
            parts = line[1:].strip().split(None, 1)
            name = parts[0] if parts else ""
            rest = parts[1] if len(parts) > 1 else ""
            if name in NOFILL_START:
                nofill = name
                if para:
                    yield join_lines(para)
                    para = []
            elif name in FONT_MACROS:
                args = re.findall(r'"[^"]*"|\S+', rest)
                # .BR/.IR/... alternate fonts between arguments written together; .B, .I, .SM, .SB join with spaces.
                joiner = "" if name not in ("B", "I", "SM", "SB") else " "
                para.append(unescape_troff(joiner.join(a.strip('"') for a in args)))
            else:
                if para:
                    yield join_lines(para)
                    para = []
            continue
        if not line.strip():
            if para:
                yield join_lines(para)
                para = []
            continue
        para.append(unescape_troff(line))
    if para:
        yield join_lines(para)


def manual_pages(root):
    """(package, document, label, paragraphs) of every manual page of the manpages packages."""
    for pkg in sorted(os.listdir(root)):
        if not (pkg == "manpages" or pkg.startswith("manpages-")) or pkg.endswith("-dev"):
            continue
        base = os.path.join(root, pkg, "usr/share/man")
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            rel = os.path.relpath(dirpath, base).split(os.sep)
            label = "en" if rel[0].startswith("man") else MAN_DIRS.get(rel[0])
            if label is None:
                continue
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                if os.path.islink(path):
                    continue
                text = read_text(path)
                if text is None or text.lstrip().startswith(".so "):
                    continue
                yield pkg, os.path.relpath(path, root), label, troff_paragraphs(text)


# --- fortunes ---------------------------------------------------------------------------------------------

def fortunes(root):
    for pkg in sorted(os.listdir(root)):
        if not pkg.startswith("fortunes-"):
            continue
        label = FORTUNES.get(pkg[len("fortunes-"):])
        base = os.path.join(root, pkg, "usr/share/games/fortunes")
        if label is None or not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                # Binary indexes, and the classical poetry of fortunes-zh (Tang and Song poems).
                if f.endswith((".dat", ".u8")) or os.path.islink(path) or f in ("tang300", "song100"):
                    continue
                text = read_text(path)
                if text is None:
                    continue
                text = ANSI.sub("", text)
                yield pkg, os.path.relpath(path, root), label, fortune_paragraphs(text)


def fortune_paragraphs(text):
    for entry in re.split(r"^%\s*$", text, flags=re.M):
        lines = [l for l in entry.split("\n") if not l.strip().startswith(("--", "—", "\u2014"))]
        # An entry is a paragraph unless it has blank lines (dialogues, poems keep their lines as one each).
        for block in re.split(r"\n\s*\n", "\n".join(lines)):
            yield join_lines(block.split("\n"))


# --- HTML documentation -----------------------------------------------------------------------------------

HTML_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S | re.I)
HTML_SKIP = re.compile(r"<(pre|code|screen)[^>]*>.*?</\1>", re.S | re.I)


def html_label(pkg, path):
    name = os.path.basename(path)
    m = re.search(r"\.([A-Za-z_-]+)\.html(\.gz)?$", name)  # ch01.de.html, basic-defs.de.html
    if m and m.group(1) in DOC_CODES:
        return DOC_CODES[m.group(1)]
    for part in path.split(os.sep):  # installation-guide: .../html/de/..., FAQ/de/...
        if part in DOC_CODES:
            return DOC_CODES[part]
    return None


def html_documents(root):
    for pkg in sorted(os.listdir(root)):
        if not pkg.startswith(("debian-faq-", "debian-reference-", "maint-guide-", "installation-guide-")):
            continue
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, pkg)):
            dirnames.sort()
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                if not re.search(r"\.html?(\.gz)?$", f) or os.path.islink(path):
                    continue
                label = html_label(pkg, os.path.relpath(path, root))
                text = read_text(path)
                if label is None or text is None:
                    continue
                text = HTML_SKIP.sub(" ", text)
                paragraphs = (join_lines(html.unescape(re.sub(r"<[^>]+>", "", p)).split("\n"))
                              for p in HTML_PARAGRAPH.findall(text))
                yield pkg, os.path.relpath(path, root), label, paragraphs


# --- assembly ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("ui_train")
    ap.add_argument("out")
    ap.add_argument("--cap", type=int, default=20000)
    a = ap.parse_args()

    documents = list(manual_pages(a.root)) + list(fortunes(a.root)) + list(html_documents(a.root))
    by_doc = []  # (label, package, sentences)
    english_words = set()
    for pkg, doc, label, paragraphs in documents:
        found = [s for p in paragraphs for s in sentences(p)]
        by_doc.append((label, pkg, found))
        if label == "en":
            english_words.update(w for s in found for w in words(s))

    def english(s):
        # Weighted by letters, so that a Chinese sentence around three command names is not "English".
        ws = words(s)
        total = sum(len(w) for w in ws)
        return total > 0 and sum(len(w) for w in ws if w in english_words) >= 0.6 * total

    # Per language and package: distinct sentences, English ones dropped outside English.
    pools = collections.defaultdict(lambda: collections.defaultdict(set))
    dropped = collections.Counter()
    for label, pkg, found in by_doc:
        for s in found:
            if label != "en" and english(s):
                dropped[label] += 1
                continue
            pools[label][pkg].add(s)

    ui_labels = set()
    lines = []
    ui = subprocess.run(["zstd", "-dc", a.ui_train], check=True, capture_output=True).stdout.decode("utf-8")
    for line in ui.split("\n"):
        if line:
            lines.append(line)
            ui_labels.add(line.split(" ", 1)[0][len("__label__"):])

    added = {}
    for label in sorted(pools):
        if label not in ui_labels:
            sys.exit(f"{label}: not a label of {a.ui_train}; the model keeps its 115 labels")
        packages = sorted(pools[label])
        chosen = []
        # Even shares across packages: each package gives up to cap/len, the rest of the cap goes to the others.
        remaining = a.cap
        lists = []
        for pkg in packages:
            items = sorted(pools[label][pkg])
            random.Random(f"{label}-{pkg}").shuffle(items)
            lists.append(items)
        for i, items in enumerate(sorted(lists, key=len)):
            share = remaining // (len(lists) - i)
            chosen.extend(items[:share])
            remaining -= min(share, len(items))
        seen = set()
        for s in chosen:
            if s not in seen:
                seen.add(s)
                lines.append(f"__label__{label} {s}")
        added[label] = (len(seen), sum(len(v) for v in pools[label].values()), dropped[label], packages)

    random.Random(17).shuffle(lines)
    with open(a.out, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    for label, (n, total, drop, packages) in sorted(added.items()):
        print(f"{label}\t{n} of {total} sentences ({drop} English dropped)\t{' '.join(packages)}", file=sys.stderr)
    print(f"{len(lines)} lines, {sum(v[0] for v in added.values())} of them prose", file=sys.stderr)


if __name__ == "__main__":
    main()
