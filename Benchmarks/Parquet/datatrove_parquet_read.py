#!/usr/bin/env python3
"""Reads one Parquet file with datatrove's ParquetReader on one process and counts the documents.

    python datatrove_parquet_read.py FILE

As a pipeline would (`reader.run(rank=0, world_size=1)`), with datatrove's defaults (text_key "text",
id_key "id", every other column as metadata). Prints one JSON line: docs, text characters, CPU and wall
seconds of the reading loop.
"""
import json
import os
import resource
import sys
import time


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


path = os.path.abspath(sys.argv[1])
from datatrove.pipeline.readers import ParquetReader
from datatrove.utils.logging import logger

logger.remove()
reader = ParquetReader(os.path.dirname(path), glob_pattern=os.path.basename(path), recursive=False)
docs = chars = 0
c0, w0 = cpu(), time.monotonic()
for document in reader.run(data=None, rank=0, world_size=1):
    docs += 1
    chars += len(document.text)
print(json.dumps({"docs": docs, "chars": chars, "cpu_s": cpu() - c0, "wall_s": time.monotonic() - w0}))
