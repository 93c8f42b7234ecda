#!/usr/bin/env python3
"""Writes the stream and WARC/WET fixtures of WinnowIOTests, and the expected outputs computed
independently of Winnow: Python's gzip/zlib/zstandard for streams, warcio for WARC records, Python's
codecs for charsets. Run from anywhere: `python3 make_stream_fixtures.py` (needs `pip install warcio
zstandard`). Deterministic: the same bytes every run."""
import codecs, gzip, io, json, os, re, zlib
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.archiveiterator import ArchiveIterator

import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODE_EXPECT = MODE_TRUTH = None
if len(sys.argv) in (4, 5) and sys.argv[1] == "--expect":
    # `--expect FILE OUT.json [TRUTH.jsonl]`: only the expected documents of one (large) WARC or WET file,
    # without texts (lengths and FNV-1a hashes instead); the tests run this on the shared sample. With a
    # truth file (`url`, `charset_actual` per line), pages whose charset must be detected are expected
    # in their actual charset.
    MODE_EXPECT = (sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else None)
elif len(sys.argv) == 5 and sys.argv[1] == "--truth-texts":
    # `--truth-texts WARC TRUTH.jsonl OUT.json`: for every response whose actual charset (truth) differs
    # from the declared one, or that declares none, its body decoded with the actual charset.
    MODE_TRUTH = (sys.argv[2], sys.argv[3], sys.argv[4])
OUT = os.path.join(HERE, "streams")
os.makedirs(OUT, exist_ok=True)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def gz(data, level=6):
    return gzip.compress(data, compresslevel=level, mtime=0)


# ---------------------------------------------------------------- charsets, as browsers (WHATWG) read labels
# label -> (WHATWG name that Winnow reports, Python codec used for the expectation)
WHATWG = {
    "utf-8": ("utf-8", "utf-8"), "utf8": ("utf-8", "utf-8"),
    "iso-8859-1": ("windows-1252", "cp1252"), "latin1": ("windows-1252", "cp1252"),
    "us-ascii": ("windows-1252", "cp1252"), "windows-1252": ("windows-1252", "cp1252"),
    "windows-1251": ("windows-1251", "cp1251"), "windows-1250": ("windows-1250", "cp1250"),
    "windows-1256": ("windows-1256", "cp1256"), "koi8-r": ("koi8-r", "koi8_r"),
    "shift_jis": ("shift_jis", "cp932"), "euc-jp": ("euc-jp", "euc_jp"),
    "gbk": ("gbk", "gb18030"), "gb2312": ("gbk", "gb18030"), "gb18030": ("gb18030", "gb18030"),
    "big5": ("big5", "big5hkscs"), "euc-kr": ("euc-kr", "cp949"),
    "iso-8859-2": ("iso-8859-2", "iso8859_2"), "iso-8859-7": ("iso-8859-7", "iso8859_7"),
    "iso-8859-9": ("windows-1254", "cp1254"), "iso-8859-15": ("iso-8859-15", "iso8859_15"),
}
META = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
TEXTUAL = {"application/xhtml+xml", "application/xml", "application/json", "application/javascript",
           "application/x-javascript", "application/ld+json", "application/rss+xml", "application/atom+xml"}


def declared_charset(content_type, body):
    if body.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if content_type:
        m = CT_CHARSET.search(content_type)
        if m and m.group(1).lower() in WHATWG:
            return WHATWG[m.group(1).lower()][0]
    m = META.search(body[:1024])
    if m and m.group(1).decode().lower() in WHATWG:
        return WHATWG[m.group(1).decode().lower()][0]
    return None


def utf8_evidence(body):
    """(valid multi-byte UTF-8 characters, invalid sequences) in `body`."""
    invalid = [0]

    def count(exc):
        invalid[0] += 1
        return ("\ufffd", exc.end)

    codecs.register_error("count_invalid_utf8", count)
    text = body.decode("utf-8", errors="count_invalid_utf8")
    return sum(1 for c in text if ord(c) >= 0x80) - invalid[0], invalid[0]


def detection(body, charset):
    """How Winnow's CharsetDetector treats a body: None when the declared (or no) charset is used as is;
    else ("utf-8", detected) for corrupt UTF-8 (more than 2 valid multi-byte characters per invalid
    sequence), or ("guess", None) when ICU's guess decides."""
    if charset not in (None, "utf-8") or body.startswith(b"\xef\xbb\xbf"):
        return None
    valid, invalid = utf8_evidence(body)
    if invalid == 0:
        return None
    if valid > 2 * invalid:
        return ("utf-8", charset is None)
    return ("guess", None)


def decode(body, charset):
    codec = {name: codec for name, codec in WHATWG.values()}.get(charset or "utf-8", "utf-8")
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    return body.decode(codec, errors="replace")


def mime(value):
    return (value or "").split(";")[0].strip().lower()


def is_textual(m):
    return m == "" or m.startswith("text/") or m.endswith("+xml") or m.endswith("+json") or m in TEXTUAL


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def expected_documents(path, wet=False, actual=None):
    """What WARCReader (or WETReader) must emit, computed with warcio. `actual` maps URLs to the Python
    codec a page is really in, for pages whose charset Winnow must detect; other such pages are expected
    without text."""
    docs = []
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        for rec in it:
            h = rec.rec_headers
            detect = None
            if wet:
                if rec.rec_type != "conversion":
                    continue
                text = rec.content_stream().read().decode("utf-8", errors="replace")
                meta = {"url": h.get_header("WARC-Target-URI"), "date": h.get_header("WARC-Date"),
                        "warc_record_id": h.get_header("WARC-Record-ID")}
                if h.get_header("WARC-Identified-Content-Language"):
                    meta["language"] = h.get_header("WARC-Identified-Content-Language")
            else:
                if rec.rec_type != "response":
                    continue
                ct = rec.http_headers.get_header("Content-Type") if rec.http_headers else None
                payload_type = mime(h.get_header("WARC-Identified-Payload-Type") or ct)
                if not is_textual(payload_type):
                    continue
                body = rec.content_stream().read()
                charset = declared_charset(ct, body)
                text = decode(body, charset)
                meta = {"url": h.get_header("WARC-Target-URI"), "date": h.get_header("WARC-Date"),
                        "warc_record_id": h.get_header("WARC-Record-ID"),
                        "http_status": int(rec.http_headers.get_statuscode())}
                if ct:
                    meta["content_type"] = mime(ct)
                detect = detection(body, charset)
                if detect and detect[0] == "utf-8":
                    charset = "utf-8"
                    detected = detect[1]
                elif detect:
                    # The charset is ICU's guess (not checked here: ISO-8859-1 and -9 read the same for
                    # most pages); the text is checked when the actual charset is known.
                    charset, detected = None, True
                    codec = (actual or {}).get(meta["url"])
                    text = body.decode(codec, errors="replace") if codec else None
                if charset:
                    meta["charset"] = charset
            offset = it.get_record_offset()  # only after the content was read: warcio reads ahead for it
            if not wet and detect and detect[0] == "guess" and text is None:
                docs.append({"id": h.get_header("WARC-Record-ID"), "offset": offset, "metadata": meta,
                             "charset_detected": True})
                continue
            if not text:
                continue
            doc = {"id": h.get_header("WARC-Record-ID"), "offset": offset, "metadata": meta,
                   "text_length": len(text.encode("utf-8")), "text_fnv1a64": fnv1a64(text.encode("utf-8"))}
            if not wet and detect:
                doc["charset_detected"] = detected
                if detect[0] == "guess":
                    doc["charset_unchecked"] = True  # ICU names the charset
            if len(text) < 4000:
                doc["text"] = text
            docs.append(doc)
    return docs


def truth_charsets(path):
    """URL -> (declared, actual) charset of the sample's truth file, for pages whose actual charset is
    known."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            if t.get("charset_actual"):
                out[t["url"]] = (t.get("charset_declared"), t["charset_actual"])
    return out


if MODE_EXPECT:
    source, target, truth = MODE_EXPECT
    actual = {url: a for url, (d, a) in truth_charsets(truth).items()} if truth else None
    docs = expected_documents(source, wet=".wet" in os.path.basename(source), actual=actual)
    for d in docs:
        d.pop("text", None)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(docs, f, ensure_ascii=False)
    raise SystemExit(0)

if MODE_TRUTH:
    source, truth, target = MODE_TRUTH
    charsets = truth_charsets(truth)
    out = []
    with open(source, "rb") as f:
        for rec in ArchiveIterator(f):
            if rec.rec_type != "response":
                continue
            url = rec.rec_headers.get_header("WARC-Target-URI")
            declared, actual = charsets.get(url, (None, None))
            if actual is None or actual == declared:
                continue
            body = rec.content_stream().read()
            out.append({"id": rec.rec_headers.get_header("WARC-Record-ID"), "url": url, "declared": declared,
                        "actual": actual, "text": body.decode(actual, errors="replace")})
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    raise SystemExit(0)


# ---------------------------------------------------------------- compressed streams
import zstandard  # only needed to write fixtures, not for --expect

lines = b"".join(b"line %d: %s\n" % (i, b"abcdefghij" * (i % 7)) for i in range(1000))
write("lines.txt", lines)
parts = [lines[:10000], lines[10000:10001], lines[10001:]]
write("lines-multi-member.txt.gz", b"".join(gz(p) for p in parts))
cctx = zstandard.ZstdCompressor(level=3, write_checksum=True)
skippable = b"\x50\x2a\x4d\x18" + (5).to_bytes(4, "little") + b"skip!"
write("lines-multi-frame.txt.zst", cctx.compress(parts[0]) + skippable + cctx.compress(parts[1]) + cctx.compress(parts[2]))
whole_gz = gz(lines)
write("lines-truncated.txt.gz", whole_gz[: len(whole_gz) // 2])
whole_zst = cctx.compress(lines)
write("lines-truncated.txt.zst", whole_zst[: len(whole_zst) // 2])
corrupt = bytearray(whole_gz)
for i in range(len(corrupt) // 3, len(corrupt) // 3 + 16):
    corrupt[i] = 0xFF
write("lines-corrupt.txt.gz", bytes(corrupt))
corrupt = bytearray(whole_zst)
for i in range(len(corrupt) // 3, len(corrupt) // 3 + 16):
    corrupt[i] ^= 0x5A
write("lines-corrupt.txt.zst", bytes(corrupt))
for name in ["lines-corrupt.txt.gz"]:
    try:
        gzip.decompress(open(os.path.join(OUT, name), "rb").read())
        raise SystemExit(name + " is not corrupt")
    except (OSError, EOFError, zlib.error):
        pass
try:
    zstandard.ZstdDecompressor().decompress(open(os.path.join(OUT, "lines-corrupt.txt.zst"), "rb").read())
    raise SystemExit("lines-corrupt.txt.zst is not corrupt")
except zstandard.ZstdError:
    pass
write("empty.txt", b"")

# ---------------------------------------------------------------- WARC files written by warcio
RUSSIAN = ("Москва — столица России, город федерального значения, административный центр Центрального "
           "федерального округа и центр Московской области, в состав которой не входит.")
FRENCH = ("Paris est la capitale de la France. Elle se situe au cœur d’un vaste bassin sédimentaire aux sols "
          "fertiles et au climat tempéré, sur une boucle de la Seine. « Très belle ville », dit-on.")
# Pages whose charset Winnow must detect, and the Python codec they are really in.
ACTUAL = {"http://example.ru/undeclared-cp1251": "cp1251", "http://example.fr/claims-utf8": "cp1252"}
PAGES = [
    # (url, status, http headers, body)
    ("http://example.com/utf8", "200 OK", [("Content-Type", "text/html; charset=UTF-8")],
     "<html><body><p>Grüße aus Köln — “quotes” 漢字</p></body></html>".encode("utf-8")),
    ("http://example.com/undeclared", "200 OK", [("Content-Type", "text/html")],
     "<html><body>No charset declared, but UTF-8: café</body></html>".encode("utf-8")),
    ("http://example.ru/cp1251", "200 OK", [("Content-Type", "text/html; charset=windows-1251")],
     "<html><body>Привет, мир! Съешь же ещё этих мягких французских булок.</body></html>".encode("cp1251")),
    ("http://example.jp/sjis-meta", "200 OK", [("Content-Type", "text/html")],
     '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>日本語のテキストです。カタカナ、ひらがな。</body></html>'.encode("shift_jis")),
    ("http://example.de/latin1", "200 OK", [("Content-Type", "text/html; charset=ISO-8859-1")],
     "<html><body>Straße, Größe, naïve, façade, ½ ©</body></html>".encode("latin-1")),
    ("http://example.ru/koi8-meta", "200 OK", [("Content-Type", "text/html")],
     '<html><head><meta charset="koi8-r"></head><body>Широкая электрификация южных губерний</body></html>'.encode("koi8_r")),
    # Corrupt UTF-8: a few bad bytes in text that is otherwise UTF-8, so it stays UTF-8 (with U+FFFD).
    ("http://example.com/invalid-utf8", "200 OK", [("Content-Type", "text/html; charset=utf-8")],
     b"<html><body>broken \xff\xfe bytes and a cut \xe2\x82 sequence in UTF-8: "
     + "Grüße aus Köln, déjà vu, naïve café, 漢字</body></html>".encode("utf-8")),
    # Legacy charsets declaring nothing, or UTF-8: detected.
    ("http://example.ru/undeclared-cp1251", "200 OK", [("Content-Type", "text/html")],
     ("<html><body><p>" + RUSSIAN + "</p></body></html>").encode("cp1251")),
    ("http://example.fr/claims-utf8", "200 OK", [("Content-Type", "text/html; charset=utf-8")],
     ("<html><body><p>" + FRENCH + "</p></body></html>").encode("cp1252")),
    ("http://example.com/chunked", "200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Transfer-Encoding", "chunked")],
     b"7\r\nchunked\r\n9\r\n body of \r\n5\r\ntext.\r\n0\r\n\r\n"),
    ("http://example.com/gzip-encoded", "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
     gz("<html><body>This body was gzip-encoded on the wire.</body></html>".encode())),
    ("http://example.com/crawler-decoded", "200 OK",
     [("Content-Type", "text/html; charset=utf-8"), ("X-Crawler-Content-Encoding", "gzip"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
     "<html><body>Common Crawl stored this body decoded.</body></html>".encode()),
    ("http://example.com/missing", "404 Not Found", [("Content-Type", "text/html; charset=utf-8")],
     b"<html><body>Not found</body></html>"),
    ("http://example.com/image.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n" + bytes(range(64))),
    ("http://example.com/empty", "204 No Content", [("Content-Type", "text/html")], b""),
]


def write_warcio(path, gzip_records):
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip_records)
        info = writer.create_warcinfo_record("fixture.warc", {"software": "make_stream_fixtures.py"})
        info.rec_headers.replace_header("WARC-Record-ID", "<urn:uuid:00000000-0000-4000-8000-000000000000>")
        info.rec_headers.replace_header("WARC-Date", "2024-01-01T00:00:00Z")
        writer.write_record(info)
        for i, (url, status, headers, body) in enumerate(PAGES):
            date = "2024-01-01T00:%02d:00Z" % i
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                            http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True),
                                            warc_headers_dict={"WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-1%011d>" % i, "WARC-Date": date})
            writer.write_record(req)
            resp = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                             http_headers=StatusAndHeaders(status, list(headers), protocol="HTTP/1.1"),
                                             warc_headers_dict={"WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-2%011d>" % i, "WARC-Date": date})
            writer.write_record(resp)
            meta = writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
                                             warc_content_type="application/warc-fields",
                                             warc_headers_dict={"WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-3%011d>" % i, "WARC-Date": date})
            writer.write_record(meta)


write_warcio(os.path.join(OUT, "pages.warc"), False)
write_warcio(os.path.join(OUT, "pages.warc.gz"), True)
plain = open(os.path.join(OUT, "pages.warc"), "rb").read()
write("pages-one-member.warc.gz", gz(plain))
write("pages.warc.zst", cctx.compress(plain))

expected = {
    "pages.warc": expected_documents(os.path.join(OUT, "pages.warc"), actual=ACTUAL),
    "pages.warc.gz": expected_documents(os.path.join(OUT, "pages.warc.gz"), actual=ACTUAL),
}
# A record count for the skip counters: everything that is not a response.
expected["pages_skipped"] = {"skipped_record:warcinfo": 1, "skipped_record:request": len(PAGES), "skipped_record:metadata": len(PAGES)}


# ---------------------------------------------------------------- hand-made WARCs with defects
def record(rtype, rid, url=None, block=b"", extra=(), nl=b"\r\n", length=None, omit=()):
    fields = [("WARC-Type", rtype), ("WARC-Record-ID", "<urn:uuid:%s>" % rid), ("WARC-Date", "2024-02-02T00:00:00Z")]
    if url:
        fields.append(("WARC-Target-URI", url))
    fields += list(extra)
    fields.append(("Content-Length", str(len(block) if length is None else length)))
    head = b"WARC/1.1" + nl + b"".join(b"%s: %s%s" % (k.encode(), v.encode(), nl) for k, v in fields if k not in omit)
    return head + nl + block + nl + nl


def http_block(text, nl=b"\r\n", content_type="text/plain; charset=utf-8"):
    body = text.encode("utf-8")
    return b"HTTP/1.1 200 OK" + nl + b"Content-Type: " + content_type.encode() + nl + b"Content-Length: %d" % len(body) + nl + nl + body


def response(n, text, **kw):
    return record("response", "bad-%04d" % n, "http://defects.example/%d" % n, http_block(text), **kw)


bad = [response(1, "first record, fine"),
       response(2, "content length too short: the block goes on after it", length=20),
       response(3, "third record, fine"),
       response(4, "content length too long: runs into the next record", length=len(http_block("content length too long: runs into the next record")) + 40),
       response(5, "fifth record, fine")]
write("bad-content-length.warc", b"".join(bad))
write("bad-content-length.warc.gz", b"".join(gz(r) for r in bad))

write("missing-header.warc", response(1, "has every header") +
      response(2, "no record id", omit=("WARC-Record-ID",)) +
      response(3, "no content length", omit=("Content-Length",)) +
      response(4, "after the defects"))

write("oversized.warc", response(1, "small before") + response(2, "x" * 5000) + response(3, "small after"))

write("garbage.warc", b"this is not a WARC file\r\nat all\r\n" + response(1, "after garbage") +
      b"junk between records\r\n" + response(2, "after more junk"))

write("lf-only.warc", record("warcinfo", "lf-0000", block=b"software: test\n", nl=b"\n") +
      record("response", "lf-0001", "http://lf.example/1", http_block("LF only line ends", nl=b"\n"), nl=b"\n") +
      record("response", "lf-0002", "http://lf.example/2", http_block("second LF record", nl=b"\n"), nl=b"\n"))

# Per-record gzip, the last member cut short.
members = [gz(response(n, "record %d of a truncated file" % n)) for n in range(1, 5)]
write("truncated.warc.gz", b"".join(members)[: -len(members[-1]) // 2])
# Per-record gzip with a corrupt member in the middle (deflate data overwritten, detected as invalid).
corrupt_member = bytearray(gz(response(2, "this member is corrupt " * 20)))
for i in range(12, 40):
    corrupt_member[i] = 0xFF
try:
    zlib.decompress(bytes(corrupt_member), 31)
    raise SystemExit("corrupt member decodes")
except zlib.error as e:
    assert "invalid" in str(e), e
write("corrupt-member.warc.gz", gz(response(1, "before the corrupt member")) + bytes(corrupt_member) +
      gz(response(3, "right after the corrupt member")) + gz(response(4, "well after the corrupt member")))

# ---------------------------------------------------------------- WET
wet = (record("warcinfo", "wet-0000", block=b"Software-Info: test\r\n") +
       record("conversion", "wet-0001", "http://wet.example/1", "Plain extracted text.\nSecond line.".encode(),
              extra=[("WARC-Identified-Content-Language", "eng")]) +
       record("conversion", "wet-0002", "http://wet.example/2", "Здравствуй, мир".encode()) +
       record("conversion", "wet-0003", "http://wet.example/3", b"bad \xc3\x28 utf-8"))
write("sample.wet", wet)
write("sample.wet.gz", b"".join(gz(r) for r in [wet]))
expected["sample.wet"] = expected_documents(os.path.join(OUT, "sample.wet"), wet=True)

with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)
print("fixtures written to", OUT)
