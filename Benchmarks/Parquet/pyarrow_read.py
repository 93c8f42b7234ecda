#!/usr/bin/env python3
"""Reads columns of a Parquet file with pyarrow on one thread.

    python3 pyarrow_read.py FILE COLUMNS [--pylist]

COLUMNS: comma-separated (e.g. text,id). `pq.read_table(FILE, columns=..., use_threads=False)` with Arrow's
CPU and I/O pools at one thread; with --pylist the text column is also turned into Python strings (what a
Python pipeline does next). Prints one JSON line: rows, text bytes, CPU and wall seconds of the read alone.
"""
import json
import resource
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


path, columns = sys.argv[1], sys.argv[2].split(",")
pa.set_cpu_count(1)
pa.set_io_thread_count(1)
c0, w0 = cpu(), time.monotonic()
table = pq.read_table(path, columns=columns, use_threads=False)
if "--pylist" in sys.argv:
    texts = table.column("text").to_pylist()
text_bytes = pc.sum(pc.binary_length(table.column("text"))).as_py()
print(json.dumps({"rows": table.num_rows, "text_bytes": text_bytes, "cpu_s": cpu() - c0, "wall_s": time.monotonic() - w0}))
