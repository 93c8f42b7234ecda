#!/usr/bin/env python3
"""Turns the benchmark JSONL(.zst) corpus into a Common Crawl-style WARC.gz for the read benchmark.

    python3 Benchmarks/make_bench_warc.py IN.jsonl.zst OUT.warc.gz [--max-docs N] [--max-mb M]

Layout, as in a Common Crawl WARC file: one gzip member per record (warcio's WARCWriter with gzip=True);
a warcinfo record first, then for every document a `request` (an HTTP GET), a `response` (an HTTP/1.1
200 with `Content-Type: text/html; charset=UTF-8` and an HTML page wrapping the text: title in <title>
and <h1>, each blank-line-separated paragraph in a <p>, HTML-escaped) and a `metadata` record
(fetchTimeMs, charset-detected, languages), all carrying WARC-Warcinfo-ID, the response carrying
WARC-IP-Address and WARC-Identified-Payload-Type: text/html.

Deterministic: record ids are UUIDv5 of the document id, dates come from the document (or a fixed date),
warcio's gzip members carry no timestamp; the same input and limits give a byte-identical file.

By default all documents are converted until the compressed output passes --max-mb (default 200 MB);
the last document started is finished, so the file ends on a complete record triple.

Needs: warcio, zstandard (pip install warcio zstandard).
"""

import argparse
import gzip
import hashlib
import html
import io
import json
import os
import sys
import uuid

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

NAMESPACE = uuid.UUID("6f2a4c3e-0d1b-4e7a-9a53-1c1d6b0e5a77")
FIXED_DATE = "2025-01-13T06:39:37Z"


def open_lines(path):
    """Yields the lines of a JSONL file, plain, gzip or zstd (by magic number)."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        stream = gzip.open(path, "rb")
    elif magic == b"\x28\xb5\x2f\xfd":
        import zstandard

        stream = zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), read_size=1 << 20)
        stream = io.BufferedReader(stream, buffer_size=1 << 20)
    else:
        stream = open(path, "rb")
    with stream:
        for line in stream:
            if line.strip():
                yield line


def record_id(doc_id, kind):
    return "<urn:uuid:%s>" % uuid.uuid5(NAMESPACE, "%s/%s" % (doc_id, kind))


def html_page(title, text):
    paragraphs = [p.strip() for p in text.split("\n\n")]
    body = "\n".join("<p>%s</p>" % html.escape(p).replace("\n", "<br>\n") for p in paragraphs if p)
    t = html.escape(title or "")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>%s</title>\n</head>\n'
        "<body>\n<h1>%s</h1>\n%s\n</body>\n</html>\n" % (t, t, body)
    ).encode("utf-8")


def ip_for(url):
    h = hashlib.sha1(url.encode("utf-8")).digest()
    return "10.%d.%d.%d" % (h[0], h[1], h[2])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="benchmark JSONL file (plain, .gz or .zst)")
    ap.add_argument("output", help="WARC.gz to write")
    ap.add_argument("--max-docs", type=int, default=0, help="stop after N documents (0: no limit)")
    ap.add_argument("--max-mb", type=float, default=200.0, help="stop once the output passes M MB (0: no limit)")
    args = ap.parse_args()

    tmp = args.output + ".tmp"
    docs = 0
    with open(tmp, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        filename = os.path.basename(args.output)
        info_id = record_id(filename, "warcinfo")
        info = (
            "isPartOf: winnow-read-benchmark\r\n"
            "publisher: Winnow (synthetic, from the benchmark JSONL corpus)\r\n"
            "description: Common Crawl-style WARC made by Benchmarks/make_bench_warc.py\r\n"
            "format: WARC File Format 1.1\r\n"
            "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
        ).encode("utf-8")
        warcinfo = writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": info_id, "WARC-Date": FIXED_DATE, "WARC-Filename": filename},
        )
        writer.write_record(warcinfo)

        for line in open_lines(args.input):
            doc = json.loads(line)
            doc_id = str(doc.get("id") or docs)
            url = doc.get("url") or "https://example.org/doc/%s" % doc_id
            date = doc.get("date") or FIXED_DATE
            host = url.split("/")[2] if "://" in url else "example.org"
            path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
            body = html_page(doc.get("title") or "", doc.get("text") or "")
            response_id = record_id(doc_id, "response")
            common = {"WARC-Date": date, "WARC-Warcinfo-ID": info_id}

            request = (
                "GET %s HTTP/1.1\r\nUser-Agent: WinnowBench/1.0 (+https://example.org/bot)\r\n"
                "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: br,gzip\r\nHost: %s\r\nConnection: Keep-Alive\r\n\r\n"
                % (path, host)
            ).encode("utf-8")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(request),
                    length=len(request),
                    warc_content_type="application/http; msgtype=request",
                    warc_headers_dict=dict(common, **{"WARC-Record-ID": record_id(doc_id, "request"),
                                                      "WARC-IP-Address": ip_for(url)}),
                )
            )

            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Date", "Mon, 13 Jan 2025 06:39:37 GMT"),
                    ("Server", "Apache"),
                    ("Content-Type", "text/html; charset=UTF-8"),
                    ("X-Crawler-Content-Length", str(len(body))),
                    ("Content-Length", str(len(body))),
                ],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http_headers,
                    warc_headers_dict=dict(common, **{
                        "WARC-Record-ID": response_id,
                        "WARC-IP-Address": ip_for(url),
                        "WARC-Concurrent-To": record_id(doc_id, "request"),
                        "WARC-Identified-Payload-Type": "text/html",
                    }),
                )
            )

            lang = doc.get("lang") or "en"
            meta = ("fetchTimeMs: %d\r\ncharset-detected: UTF-8\r\nlanguages-cld2: "
                    '{"reliable":true,"text-bytes":%d,"languages":[{"code":"%s","code-iso-639-3":"","text-covered":0.99,"score":900.0,"name":""}]}\r\n'
                    % (100 + int(hashlib.sha1(doc_id.encode()).hexdigest()[:4], 16) % 900, len(doc.get("text") or ""), lang)).encode("utf-8")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "metadata",
                    payload=io.BytesIO(meta),
                    length=len(meta),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict=dict(common, **{"WARC-Record-ID": record_id(doc_id, "metadata"),
                                                      "WARC-Concurrent-To": response_id}),
                )
            )
            docs += 1
            if args.max_docs and docs >= args.max_docs:
                break
            if args.max_mb and out.tell() >= args.max_mb * 1e6:
                break
    os.replace(tmp, args.output)
    print("%s: %d documents (%d records), %.1f MB" % (args.output, docs, 3 * docs + 1, os.path.getsize(args.output) / 1e6),
          file=sys.stderr)


if __name__ == "__main__":
    main()
