#!/usr/bin/env python3
"""Builds the extraction benchmark WARC: real web pages as Common Crawl-style response records.

    python3 Benchmarks/Extraction/make_extraction_warc.py PAGES_DIR SAMPLE.warc.gz OUT.warc.gz [--min-mb 100]

The pages are Mozilla readability's `test/test-pages/*/source.html` (130 saved news, blog, documentation and
forum pages; Apache-2.0; PAGES_DIR) and the HTML 200 responses of Winnow's sample WARC (`Samples/`), cycled,
each copy under its own URL, until the HTML passes --min-mb megabytes (uncompressed). Bodies are stored as
they are, with `Content-Type: text/html; charset=utf-8` (the readability pages are UTF-8) or the sample
record's own HTTP headers. One gzip member per record, as Common Crawl writes them; deterministic.

Needs: warcio (pip install warcio).
"""
import argparse, io, os, uuid
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

NAMESPACE = uuid.UUID("3b0c7f52-8a51-4d1e-9d1a-5e0f1b2c3d4e")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pages")
    ap.add_argument("sample")
    ap.add_argument("out")
    ap.add_argument("--min-mb", type=float, default=100)
    args = ap.parse_args()

    pages = []  # (url, http headers, body)
    for name in sorted(os.listdir(args.pages)):
        path = os.path.join(args.pages, name, "source.html")
        if os.path.exists(path):
            body = open(path, "rb").read()
            pages.append((f"https://readability.test/{name}", [("Content-Type", "text/html; charset=utf-8")], body))
    with open(args.sample, "rb") as f:
        for r in ArchiveIterator(f):
            if r.rec_type != "response" or r.http_headers is None or r.http_headers.get_statuscode() != "200":
                continue
            if not (r.http_headers.get_header("Content-Type") or "").startswith("text/html"):
                continue
            body = r.content_stream().read()
            headers = [(k, v) for k, v in r.http_headers.headers if k.lower() not in ("content-length", "transfer-encoding", "content-encoding")]
            pages.append((r.rec_headers.get_header("WARC-Target-URI"), headers, body))

    total, copy, records = 0, 0, 0
    with open(args.out, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        while total < args.min_mb * 1e6:
            for url, headers, body in pages:
                target = f"{url}{'&' if '?' in url else '?'}copy={copy}"
                http = StatusAndHeaders("200 OK", headers + [("Content-Length", str(len(body)))], protocol="HTTP/1.1")
                record = writer.create_warc_record(target, "response", payload=io.BytesIO(body), http_headers=http,
                                                   warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(NAMESPACE, target)}>",
                                                                      "WARC-Date": "2025-01-13T06:39:37Z"})
                writer.write_record(record)
                total += len(body)
                records += 1
            copy += 1
    print(f"wrote {args.out}: {records} responses, {total / 1e6:.1f} MB of HTML, {len(pages)} distinct pages x {copy}")


if __name__ == "__main__":
    main()
