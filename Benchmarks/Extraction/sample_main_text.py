#!/usr/bin/env python3
"""Expected main text for 25 HTML pages of the sample WARC (`Samples/sample-00000.warc.gz`), chosen by hand.

    python3 Benchmarks/Extraction/sample_main_text.py            # rewrites sample-main-text/expected.jsonl
    python3 Benchmarks/Extraction/sample_main_text.py --check    # fails if the committed file differs
    python3 Benchmarks/Extraction/sample_main_text.py --pages DIR  # also lays the pages out for evaluate.py

How the expected text was made (see sample-main-text/README.md): each page below was read in its HTML source
and the parts that are not its main text were written down by hand as `CUT` selectors (navigation bars,
tables of contents, prev/next links, cookie banners, share bars, planted comment sections, the site header
and footer, the page's main heading, which restates its `<title>`). The expected text is what is left of the
page's `<body>`: its visible text, read with Python's own html.parser (never with Winnow), one line per
block. The page bytes are decoded with the charset of the HTTP header (as a browser does), independently of
Winnow's decoder. Selectors: `tag`, `.class`, `#id`, `tag.class`, `tag#id`, `tag[attr=value]`; `heading:first`
cuts the page's first heading (`<h1>` to `<h6>`) only.
"""
import argparse, gzip, json, os, re, sys, zlib
from html.parser import HTMLParser

from evaluate import write_page

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WARC = os.path.join(ROOT, "Samples/sample-00000.warc.gz")
OUT = os.path.join(ROOT, "Benchmarks/Extraction/sample-main-text/expected.jsonl")

DOCBOOK = ["div.navheader", "div.navfooter", "div.toc", "heading:first", "section.comments"]
PUBLICAN = ["p#title", "ul.docnav", "div#banner", "div.cookie-banner", "nav", "footer", "heading:first",
            "section.comments"]
GNOME = ["header", "footer", "nav", "div.cookie-banner", "heading:first", "section.comments"]
LIBREOFFICE = ["header", "aside", "footer", "nav", "div#SearchFrame", "div#DonationFrame", "heading:first",
               "div.cookie-banner", "section.comments"]
MANPAGE = ["div#header", "div#footer", "section.comments"]

# URL -> what is not main text on that page (decided by reading the page).
PAGES = {
    "https://www.debian.org/doc/manuals/maint-guide/upload.it.html": DOCBOOK,
    "https://help.libreoffice.org/7.4/ko/text/swriter/00/00000404.html?sessionid=2a5c36adb9f6": LIBREOFFICE,
    "https://manpages.debian.org/bookworm/plipconfig.8.ja.html": MANPAGE,
    "https://www.debian.org/doc/manuals/debian-faq/contributing.en.html": DOCBOOK,
    "https://debian-handbook.info/browse/vi-VN/stable/sect.ftp-file-server.html": PUBLICAN,
    "https://help.libreoffice.org/7.4/el/text/scalc/01/func_color.html": LIBREOFFICE,
    "https://www.debian.org/doc/manuals/debian-reference/apa.zh-tw.html": DOCBOOK,
    "https://m.help.libreoffice.org/7.4/dz/text/sbasic/shared/03/lib_wikieditor.html": LIBREOFFICE,
    "https://debian-handbook.info/browse/it-IT/stable/derivative-distributions.html": PUBLICAN,
    "https://help.gnome.org/users/gnome-help/stable/sound-nosound.html.hr": GNOME,
    "https://manpages.debian.org/bookworm/pipe.7.ru.html": MANPAGE,
    "https://debian-handbook.info/browse/en-US/stable/sect.master-plan.html": PUBLICAN,
    "https://m.help.gnome.org/users/gnome-help/stable/display-dual-monitors.html.es": GNOME,
    "https://www.postgresql.org/docs/15/catalog-pg-ts-parser.html": DOCBOOK,
    "https://docs.gimp.org/2.10/de/gimp-file-save-a-copy.html": DOCBOOK + ["a.reportbug"],
    "https://m.debian-handbook.info/browse/ar-MA/stable/sect.knoppix.html": PUBLICAN,
    "https://docs.gimp.org/2.10/ja/gimp-view-show-statusbar.html": DOCBOOK + ["a.reportbug"],
    "https://www.debian.org/doc/manuals/securing-debian-manual/it-IT/ch07s03.html": PUBLICAN,
    "https://m.debian.org/doc/manuals/securing-debian-manual/pt-BR/ch10s05.html": PUBLICAN,
    "https://help.gnome.org/users/gnome-help/stable/files-tilde.html.fa?replytocom=58206": GNOME,
    "https://help.gnome.org/users/system-admin-guide/stable/desktop-shield.html.ru?replytocom=75891": GNOME,
    "https://www.kernel.org/doc/html/v6.1/sound/cards/maya44.html":
        ["nav", "footer", "div.wy-breadcrumbs", "div[role=navigation]", "heading:first", "a.headerlink"],
    "https://www.debian.org/doc/manuals/project-history/releases.de.html": DOCBOOK,
    "https://manpages.debian.org/bookworm/resize_reiserfs.8.fr.html": MANPAGE,
    "https://docs.python.org/3.11/library/asyncio-api-index.html":
        ["div.mobile-nav", "div.related", "div.sphinxsidebar", "div.footer", "heading:first", "a.headerlink"],
}

BLOCKS = set("address article aside blockquote body br dd details div dl dt fieldset figcaption figure footer "
             "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr td th ul".split())
HIDDEN = set("script style noscript template svg head title button select textarea".split())
VOID = set("area base br col embed hr img input link meta param source track wbr".split())


def warc_responses(path):
    """(url, http headers, body bytes) of each response record; chunked and gzip bodies are decoded."""
    data = gzip.open(path, "rb").read()
    pos = 0
    while True:
        start = data.find(b"WARC/1.", pos)
        if start < 0:
            return
        head_end = data.find(b"\r\n\r\n", start)
        head = data[start:head_end].decode("utf-8", "replace")
        length = int(re.search(r"(?im)^Content-Length:\s*(\d+)", head).group(1))
        block = data[head_end + 4:head_end + 4 + length]
        pos = head_end + 4 + length
        if not re.search(r"(?im)^WARC-Type:\s*response", head):
            continue
        url = re.search(r"(?im)^WARC-Target-URI:\s*(\S+)", head).group(1)
        http_head, _, body = block.partition(b"\r\n\r\n")
        http = http_head.decode("latin-1")
        if re.search(r"(?im)^Transfer-Encoding:\s*chunked", http):
            out, i = b"", 0
            while True:
                line_end = body.find(b"\r\n", i)
                size = int(body[i:line_end].split(b";")[0] or b"0", 16)
                if size == 0:
                    break
                out += body[line_end + 2:line_end + 2 + size]
                i = line_end + 4 + size
            body = out
        if re.search(r"(?im)^Content-Encoding:\s*(x-)?gzip", http):
            body = gzip.decompress(body)
        elif re.search(r"(?im)^Content-Encoding:\s*deflate", http):
            body = zlib.decompress(body)
        yield url, http, body


def matches(selector, tag, attrs):
    m = re.fullmatch(r"([a-z0-9]*)(?:\.([\w-]+)|#([\w-]+)|\[(\w+)=([^\]]+)\])?", selector)
    name, cls, ident, attr, value = m.groups()
    if name and name != tag:
        return False
    if cls and cls not in (attrs.get("class") or "").split():
        return False
    if ident and attrs.get("id") != ident:
        return False
    if attr and attrs.get(attr) != value:
        return False
    return True


class MainText(HTMLParser):
    def __init__(self, cuts):
        super().__init__(convert_charrefs=True)
        self.cuts = [c for c in cuts if not c.endswith(":first")]
        self.first = {c[:-len(":first")] for c in cuts if c.endswith(":first")}
        self.stack, self.lines, self.line, self.pre = [], [], [], 0

    def hidden(self):
        return any(h for _, h in self.stack)

    def flush(self):
        text = "".join(self.line)
        self.line = []
        for part in (text.split("\n") if self.pre else [text]):
            part = " ".join(part.split())
            if part:
                self.lines.append(part)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag in BLOCKS:
            self.flush()
        if tag in VOID:
            return
        cut = tag in HIDDEN or "hidden" in attrs or any(matches(c, tag, attrs) for c in self.cuts)
        if "heading" in self.first and re.fullmatch("h[1-6]", tag) and not self.hidden():
            self.first.discard("heading")
            cut = True
        self.stack.append((tag, cut))
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
        if any(t == tag for t, _ in self.stack):
            while True:
                t, _ = self.stack.pop()
                if t == "pre":
                    self.pre -= 1
                if t == tag:
                    break

    def handle_data(self, data):
        if not self.hidden():
            self.line.append(data)


def charset(http, body):
    m = re.search(r"(?im)^Content-Type:[^\r\n]*charset=\"?([\w.:-]+)", http)
    if m:
        return m.group(1)
    m = re.search(rb"(?i)<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096])
    return m.group(1).decode() if m else "utf-8"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--pages", help="also write DIR/<n>/source.html + expected.txt for evaluate.py")
    args = ap.parse_args()
    rows, found = [], {}
    for url, http, body in warc_responses(WARC):
        if url in PAGES and url not in found:
            found[url] = (http, body)
    missing = [u for u in PAGES if u not in found]
    if missing:
        sys.exit(f"{WARC}: no response record for {missing}")
    for n, url in enumerate(PAGES):
        http, body = found[url]
        text = body.decode(charset(http, body), errors="replace")
        p = MainText(PAGES[url])
        p.feed(text)
        p.close()
        p.flush()
        rows.append({"url": url, "text": "\n".join(p.lines)})
        if args.pages:
            # The page as UTF-8, its <meta> charset declarations saying so (every tool is given the same text).
            utf8 = re.sub(r"(?i)(<meta[^>]+charset=[\"']?)[\w.:-]+", r"\g<1>utf-8", text)
            write_page(args.pages, f"sample-{n:02d}", utf8.encode("utf-8"), rows[-1]["text"])
    content = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if args.check:
        if open(OUT, encoding="utf-8").read() != content:
            sys.exit(f"{OUT} differs from what the annotations give; rerun without --check")
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    open(OUT, "w", encoding="utf-8").write(content)
    print(f"{len(rows)} pages -> {OUT}")


if __name__ == "__main__":
    main()
