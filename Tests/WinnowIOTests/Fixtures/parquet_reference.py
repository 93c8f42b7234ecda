"""pyarrow reference for the Parquet reader and writer tests.

  parquet_reference.py write DIR        writes Parquet files with every encoding, compression, page version
                                        and null pattern the reader supports, and DIR/expected.json: per
                                        file, the documents Winnow must read (pyarrow's reading of the file,
                                        mapped to documents by the rules in docs/parquet.md)
  parquet_reference.py corrupt DIR      writes damaged files and DIR/expected.json (what survives)
  parquet_reference.py read FILE        prints pyarrow's schema (name, type) and rows of FILE as JSON
  parquet_reference.py fineweb IN OUT [ROWS]  writes the JSONL(.zst) sample IN as a FineWeb-style Parquet
                                        file, a row group per ROWS rows (default 1000, datatrove's batch)
"""
import datetime
import io
import json
import math
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

WORDS = ["alpha", "beta", "gamma", "δέλτα", "эпсилон", "zeta", "日本語", "éta", "theta", "🙂", "iota", "kappa"]


def iso(value, unit, utc):
    """Winnow's timestamp form: ISO 8601, the unit's fraction digits, Z when UTC-adjusted."""
    digits = {"ms": 3, "us": 6, "ns": 9}[unit]
    per = 10 ** digits
    seconds, fraction = divmod(value, per)
    day = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)
    return day.strftime("%Y-%m-%dT%H:%M:%S") + "." + str(fraction).zfill(digits) + ("Z" if utc else "")


def table(rng, rows, text_nulls, required_text=False):
    texts = []
    for i in range(rows):
        if text_nulls and i % 7 == 3:
            texts.append(None)
        else:
            n = rng.choice([1, 3, 40, 400])
            texts.append(" ".join(rng.choice(WORDS) for _ in range(n)))
    ids = [None if i % 11 == 5 else "doc-%d" % i for i in range(rows)]
    urls = [None if i % 3 == 0 else "https://example.com/%s/%d" % (rng.choice(WORDS), i % 5) for i in range(rows)]
    fields = [
        pa.field("text", pa.string(), nullable=not required_text),
        pa.field("id", pa.string()),
        pa.field("url", pa.string()),
        pa.field("always_null", pa.string()),
        pa.field("n32", pa.int32(), nullable=False),
        pa.field("n64", pa.int64()),
        pa.field("u32", pa.uint32()),
        pa.field("score", pa.float64()),
        pa.field("f32", pa.float32()),
        pa.field("flag", pa.bool_()),
        pa.field("ts", pa.timestamp("us", tz="UTC")),
        pa.field("ts_ms", pa.timestamp("ms")),
        pa.field("day", pa.date32()),
        pa.field("tags", pa.list_(pa.int64())),
        pa.field("words", pa.list_(pa.string()), nullable=False),
        pa.field("attrs", pa.map_(pa.string(), pa.float64())),
        pa.field("days", pa.list_(pa.field("item", pa.date32(), nullable=False))),
        pa.field("spans", pa.list_(pa.struct([("a", pa.int64()), ("b", pa.string()), ("c", pa.struct([("d", pa.date32())]))]))),
        pa.field("grid", pa.list_(pa.list_(pa.int64()))),
        pa.field("info", pa.struct([("a", pa.int64()), ("b", pa.string()), ("c", pa.struct([("d", pa.float64())]))])),
        pa.field("lang", pa.string()),
    ]
    data = [
        texts, ids, urls, [None] * rows,
        [rng.randint(-2**31, 2**31 - 1) for _ in range(rows)],
        [None if i % 5 == 1 else rng.choice([rng.randint(-2**63, 2**63 - 1), i * 1000, -i]) for i in range(rows)],
        [None if i % 9 == 2 else rng.randint(0, 2**32 - 1) for i in range(rows)],
        [None if i % 4 == 2 else rng.choice([rng.random(), float(i), -1e300, float("nan")]) for i in range(rows)],
        [rng.random() * 100 for _ in range(rows)],
        [None if i % 6 == 0 else rng.random() < 0.5 for i in range(rows)],
        [None if i % 8 == 7 else rng.randint(-10**15, 4 * 10**15) for i in range(rows)],
        [rng.randint(0, 4 * 10**12) for _ in range(rows)],
        [rng.randint(-20000, 40000) for _ in range(rows)],
        [None if i % 13 == 4 else [] if i % 7 == 0 else [None if (i + k) % 5 == 0 else i * 10 + k for k in range(i % 4 + 1)]
         for i in range(rows)],
        [[None if k == 2 and i % 3 == 0 else rng.choice(WORDS) for k in range(i % 5)] for i in range(rows)],
        [None if i % 9 == 4 else [("k%d" % k, None if k == 1 else i + k / 4) for k in range(i % 3)] for i in range(rows)],
        [None if i % 6 == 5 else [rng.randint(-20000, 40000) for _ in range(i % 3)] for i in range(rows)],
        # Lists of structs: null lists, empty lists, null elements, null fields, a null nested struct.
        [None if i % 7 == 2 else [] if i % 5 == 0 else
         [None if (i + k) % 4 == 3 else {"a": None if k == 1 else i + k, "b": "s%d" % k,
                                         "c": None if (i + k) % 3 == 0 else {"d": i - k}} for k in range(i % 3 + 1)]
         for i in range(rows)],
        # Lists of lists: null and empty outer lists, null and empty inner lists, null values.
        [None if i % 6 == 1 else [] if i % 7 == 0 else
         [None if (i + k) % 5 == 4 else [] if (i + k) % 4 == 2 else [None if (i + j) % 6 == 0 else i * 100 + j for j in range(k + 1)]
          for k in range(i % 4 + 1)] for i in range(rows)],
        [None if i % 10 == 3 else {"a": None if i % 4 == 0 else i, "b": "x%d" % (i % 3),
                                    "c": None if i % 5 == 0 else {"d": i / 2}} for i in range(rows)],
        [rng.choice(["en", "fr", "de"]) for _ in range(rows)],
    ]
    return pa.Table.from_arrays([pa.array(d, type=f.type) for d, f in zip(data, fields)], schema=pa.schema(fields))


def expected_documents(path, tbl):
    """What Winnow must read: one document per row with non-null text, metadata in column order; the
    struct column as a JSON object, lists and maps of simple values as JSON arrays and objects, the list of
    structs as an array of objects (pyarrow's to_pylist())."""
    rows = tbl.to_pydict()
    skip = {"text", "id"}
    raw = {name: tbl.column(name).cast(pa.int64()).to_pylist() for name in ("ts", "ts_ms")}
    docs = []
    for i in range(tbl.num_rows):
        if rows["text"][i] is None:
            continue
        meta = []
        for name in tbl.column_names:
            if name in skip:
                continue
            v = rows[name][i]
            if v is not None and name == "ts":
                v = iso(raw["ts"][i], "us", True)
            elif v is not None and name == "ts_ms":
                v = iso(raw["ts_ms"][i], "ms", False)
            elif v is not None and name == "day":
                v = v.isoformat()
            elif v is not None and name == "days":
                v = [d.isoformat() for d in v]
            elif v is not None and name == "spans":
                v = [None if e is None else dict(e, c=None if e["c"] is None else {"d": e["c"]["d"].isoformat()}) for e in v]
            elif v is not None and name == "attrs":
                v = {k: x for k, x in v}
            elif isinstance(v, float) and not math.isfinite(v):
                v = None
            meta.append([name, v])
        docs.append({"id": rows["id"][i] if rows["id"][i] is not None else "%s/%d" % (path, i), "text": rows["text"][i],
                     "metadata": meta})
    return docs


def write(directory):
    rng = random.Random(20)
    expected = {}
    variants = []
    for compression in ["none", "snappy", "zstd", "gzip"]:
        for version in ["1.0", "2.0"]:
            for dictionary in [True, False]:
                variants.append(dict(compression=compression, data_page_version=version, use_dictionary=dictionary))
    # Non-default encodings (pyarrow needs the dictionary off for column_encoding).
    for version in ["1.0", "2.0"]:
        variants.append(dict(compression="snappy", data_page_version=version, use_dictionary=False,
                             column_encoding={"text": "DELTA_BYTE_ARRAY", "url": "DELTA_LENGTH_BYTE_ARRAY",
                                              "n32": "DELTA_BINARY_PACKED", "n64": "DELTA_BINARY_PACKED",
                                              "score": "BYTE_STREAM_SPLIT", "f32": "BYTE_STREAM_SPLIT",
                                              "lang": "DELTA_BYTE_ARRAY"}))
        variants.append(dict(compression="zstd", data_page_version=version, use_dictionary=False,
                             column_encoding={"text": "DELTA_LENGTH_BYTE_ARRAY", "url": "DELTA_BYTE_ARRAY",
                                              "u32": "DELTA_BINARY_PACKED", "ts": "DELTA_BINARY_PACKED",
                                              "flag": "RLE", "day": "DELTA_BINARY_PACKED"}))
    for n, options in enumerate(variants):
        path = "%s/v%02d.parquet" % (directory, n)
        tbl = table(rng, 300, text_nulls=n % 2 == 1)
        pq.write_table(tbl, path, row_group_size=rng.choice([64, 100, 300]), data_page_size=2048,
                       write_page_checksum=n % 3 == 0, write_statistics=True, **options)
        expected[path] = {"options": json.dumps(options), "documents": expected_documents(path, tbl)}
    print(json.dumps(expected), file=open(directory + "/expected.json", "w"))


def skip_thrift_struct(data, pos):
    """Position after the compact-protocol struct starting at pos (enough for page headers)."""
    def varint(p):
        shift = result = 0
        while True:
            b = data[p]; p += 1
            result |= (b & 0x7F) << shift
            if b & 0x80 == 0:
                return result, p
            shift += 7

    def skip(t, p):
        if t in (1, 2):
            return p
        if t == 3:
            return p + 1
        if t in (4, 5, 6):
            return varint(p)[1]
        if t == 7:
            return p + 8
        if t == 8:
            n, p = varint(p)
            return p + n
        if t == 9:
            h = data[p]; p += 1
            n = h >> 4
            if n == 15:
                n, p = varint(p)
            for _ in range(n):
                p = skip(h & 0x0F, p)
            return p
        if t == 12:
            return struct(p)
        raise ValueError(t)

    def struct(p):
        while True:
            h = data[p]; p += 1
            if h == 0:
                return p
            if h >> 4 == 0:
                _, p = varint(p)
            p = skip(h & 0x0F, p)
    return struct(pos)


def corrupt(directory):
    """Three row groups of 20 rows; row group 1 of each file is damaged in one way."""
    rng = random.Random(7)
    expected = {}
    texts = ["%s %d" % (rng.choice(["red", "green", "blue", "cyan", "magenta"]), i % 3) for i in range(60)]
    schema = pa.schema([pa.field("text", pa.string(), nullable=False), pa.field("id", pa.string())])
    tbl = pa.table({"text": texts, "id": ["r%d" % i for i in range(60)]}, schema=schema)
    survivors = [{"id": "r%d" % i, "text": texts[i]} for i in list(range(20)) + list(range(40, 60))]

    def make(name, compression, dictionary, damage, checksum=False):
        buffer = io.BytesIO()
        pq.write_table(tbl, buffer, row_group_size=20, compression=compression, use_dictionary=dictionary,
                       write_page_checksum=checksum)
        data = bytearray(buffer.getvalue())
        column = pq.ParquetFile(io.BytesIO(bytes(data))).metadata.row_group(1).column(0)
        damage(data, column)
        path = "%s/%s.parquet" % (directory, name)
        open(path, "wb").write(data)
        expected[path] = survivors

    def bad_snappy(data, column):
        start = skip_thrift_struct(data, column.data_page_offset)
        data[start:start + 6] = b"\xff\xff\xff\xff\xff\x0f"

    def page_past_chunk(data, column):
        # The header starts type (0x15 varint), uncompressed size (0x15 varint), compressed size (0x15 varint).
        p = column.data_page_offset
        for _ in range(2):
            assert data[p] == 0x15
            p += 1
            while data[p] & 0x80:
                p += 1
            p += 1
        assert data[p] == 0x15
        p += 1
        length = 1
        while data[p + length - 1] & 0x80:
            length += 1
        # The largest value with the same varint length (zigzag of a positive number: even).
        data[p:p + length] = bytes([0xFE] + [0xFF] * (length - 2) + [0x7F]) if length > 1 else b"\x7e"

    def bad_dictionary_index(data, column):
        start = skip_thrift_struct(data, column.data_page_offset)
        width = data[start]
        assert 1 <= width <= 8
        data[start + 1:start + 3] = bytes([20 << 1, (1 << width) - 1])  # an RLE run: 20 times the largest index

    def bad_checksum(data, column):
        start = skip_thrift_struct(data, column.data_page_offset)
        data[start + 2] ^= 0x01

    make("bad_snappy", "snappy", False, bad_snappy)
    make("page_past_chunk", "none", False, page_past_chunk)
    make("bad_dictionary_index", "none", True, bad_dictionary_index)
    make("bad_checksum", "none", False, bad_checksum, checksum=True)
    # A truncated file: no footer, nothing survives.
    buffer = io.BytesIO()
    pq.write_table(tbl, buffer, row_group_size=20)
    path = directory + "/truncated.parquet"
    open(path, "wb").write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    expected[path] = []
    print(json.dumps(expected), file=open(directory + "/expected.json", "w"))


def read(path):
    tbl = pq.read_table(path)
    schema = [[f.name, str(f.type)] for f in tbl.schema]
    # Floats as their repr text: Foundation's JSON parser on Linux is not exact for doubles.
    rows = [{k: repr(v) if isinstance(v, float) else v for k, v in row.items()} for row in tbl.to_pylist()]
    print(json.dumps({"schema": schema, "rows": rows, "num_row_groups": pq.ParquetFile(path).num_row_groups}, default=str))


def fineweb(source, target, rows=1000):
    """The sample as FineWeb publishes it: its nine columns, snappy, datatrove's default row groups."""
    import zstandard
    raw = open(source, "rb").read()
    if source.endswith(".zst"):
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    docs = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
    columns = {k: [] for k in ["text", "id", "dump", "url", "date", "file_path", "language", "language_score", "token_count"]}
    for i, d in enumerate(docs):
        columns["text"].append(d["text"])
        columns["id"].append(str(d.get("id", "doc-%d" % i)))
        columns["dump"].append("CC-MAIN-2024-10")
        columns["url"].append(d.get("url") or "https://example.com/%d" % i)
        columns["date"].append("2024-02-%02dT12:00:00Z" % (1 + i % 28))
        columns["file_path"].append("s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/%d.warc.gz" % (i % 4))
        columns["language"].append(d.get("language", "en"))
        columns["language_score"].append(0.5 + (i % 50) / 100)
        columns["token_count"].append(len(d["text"].split()))
    tbl = pa.table(columns)
    # datatrove's ParquetWriter: pq.ParquetWriter(..., compression="snappy"), batches of 1000 rows
    # (its default batch_size) written with write_table(row_group_size=1000 rows per batch).
    with pq.ParquetWriter(target, tbl.schema, compression="snappy") as writer:
        for start in range(0, tbl.num_rows, rows):
            writer.write_table(tbl.slice(start, rows))
    print(tbl.num_rows)


def repeated(directory, rows=10000):
    """Byte-string columns with and without a dictionary: `src` cycles through three values (one with an
    invalid UTF-8 byte), `uniq` holds a distinct value per row (one invalid, late in the column)."""
    src = [[b"ok", b"bad\xff", b"caf\xc3\xa9"][i % 3] for i in range(rows)]
    uniq = [b"row-%d" % i + (b"\xfe" if i == rows - 7 else b"") for i in range(rows)]
    tbl = pa.table({"text": ["t%d" % i for i in range(rows)], "src": pa.array(src, pa.binary()),
                    "uniq": pa.array(uniq, pa.binary())})
    for dictionary in [True, False]:
        pq.write_table(tbl, "%s/dictionary-%s.parquet" % (directory, str(dictionary).lower()), use_dictionary=dictionary,
                       compression="zstd", data_page_size=16384)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "write":
        write(sys.argv[2])
    elif command == "corrupt":
        corrupt(sys.argv[2])
    elif command == "read":
        read(sys.argv[2])
    elif command == "repeated":
        repeated(sys.argv[2])
    elif command == "fineweb":
        fineweb(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1000)
