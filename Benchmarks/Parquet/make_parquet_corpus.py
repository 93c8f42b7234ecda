#!/usr/bin/env python3
"""Makes the Parquet benchmark corpus: FineWeb's nine columns, written by pyarrow with its defaults
(dictionary on, 1 MiB pages, row groups of up to 1Mi rows), once with zstd and once with snappy.

    python3 make_parquet_corpus.py OUT_DIR TARGET_MB SOURCE.jsonl[.zst]...

Texts: with the benchmark corpus (../shared/corpora/build/build_bench.py) as SOURCE, its documents in
order, repeated until TARGET_MB of text. Without it, any JSONL works (e.g. Samples/sample-00000.jsonl.zst):
each document is rebuilt from 3 to 40 random paragraphs of the source with their words shuffled (seeded), so
that no two documents repeat and the compressors see text-like, not duplicated, data. Writes
OUT_DIR/bench-zstd.parquet and OUT_DIR/bench-snappy.parquet.
"""
import json
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def read_jsonl(path):
    raw = open(path, "rb").read()
    if path.endswith(".zst"):
        import zstandard
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    return [json.loads(line) for line in raw.decode().splitlines() if line.strip()]


def main():
    out, target = sys.argv[1], int(sys.argv[2]) * 1_000_000
    docs = [d for path in sys.argv[3:] for d in read_jsonl(path)]
    paragraphs = [p for d in docs for p in d["text"].split("\n") if len(p.split()) >= 3]
    rng = random.Random(2026)
    columns = {k: [] for k in ["text", "id", "dump", "url", "date", "file_path", "language", "language_score", "token_count"]}
    total = 0
    i = 0
    while total < target:
        parts = []
        for _ in range(rng.randint(3, 40)):
            words = rng.choice(paragraphs).split()
            rng.shuffle(words)
            parts.append(" ".join(words))
        text = "\n".join(parts)
        total += len(text.encode())
        columns["text"].append(text)
        columns["id"].append("<urn:uuid:%032x>" % rng.getrandbits(128))
        columns["dump"].append("CC-MAIN-2024-%02d" % rng.choice([10, 18, 22, 26, 30, 33]))
        columns["url"].append("https://www.example-%d.com/%s/%d" % (rng.randint(0, 99999), rng.choice(["news", "blog", "wiki"]), i))
        columns["date"].append("2024-%02d-%02dT%02d:%02d:%02dZ" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)))
        columns["file_path"].append("s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/%d/warc/CC-MAIN-%05d.warc.gz" % (rng.randint(0, 99), rng.randint(0, 99999)))
        columns["language"].append("en")
        columns["language_score"].append(rng.uniform(0.65, 1.0))
        columns["token_count"].append(len(text.split()))
        i += 1
    table = pa.table(columns)
    for codec in ["zstd", "snappy"]:
        pq.write_table(table, "%s/bench-%s.parquet" % (out, codec), compression=codec)
    print(json.dumps({"documents": table.num_rows, "text_bytes": total}))


if __name__ == "__main__":
    main()
