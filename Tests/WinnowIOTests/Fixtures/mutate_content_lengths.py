#!/usr/bin/env python3
"""`mutate_content_lengths.py FILE.warc.gz OUT.json`: for every gzip member (one WARC record each, as Common
Crawl writes them) of FILE, the member recompressed with its Content-Length rewritten to 99999999, a length
that runs past the end of the file. OUT.json lists, per member: its compressed start and end in FILE, the
record's WARC-Record-ID and WARC-Type, and the mutated member (base64). The WARC tests splice each mutated
member into the file in turn and compare what Winnow reads with warcio's reading of the original."""
import base64, gzip, json, re, sys, zlib

path, out = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
members, position = [], 0
while position < len(data):
    inflater = zlib.decompressobj(wbits=31)
    record = inflater.decompress(data[position:]) + inflater.flush()
    end = len(data) - len(inflater.unused_data)
    header = record.split(b"\r\n\r\n", 1)[0]
    fields = dict(line.split(b":", 1) for line in header.split(b"\r\n")[1:] if b":" in line)
    fields = {k.strip().lower().decode(): v.strip().decode() for k, v in fields.items()}
    mutated, count = re.subn(rb"(?im)^(Content-Length:[ \t]*)\d+", rb"\g<1>99999999", header, count=1)
    assert count == 1, f"no Content-Length in the member at {position}"
    members.append({"start": position, "end": end, "id": fields.get("warc-record-id"), "type": fields.get("warc-type"),
                    "member": base64.b64encode(gzip.compress(mutated + record[len(header):], mtime=0)).decode()})
    position = end
json.dump(members, open(out, "w"))
