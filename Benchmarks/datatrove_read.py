#!/usr/bin/env python3
"""Reads one file with datatrove's JsonlReader or WarcReader on one process and counts the documents.

    python datatrove_read.py jsonl|warc FILE

Runs the reader as a pipeline would (`reader.run(rank=0, world_size=1)`, which calls `read_file`, builds
Document objects and updates the stage stats), with datatrove's defaults (compression inferred from the
file name). Prints a short report and, on the last line, a JSON object: docs, text characters, CPU and
wall seconds of the reading loop alone (the interpreter start and imports are outside it, but inside the
process CPU time the benchmark script measures).

Needs: datatrove plus the readers' optional dependencies: orjson and zstandard (JsonlReader on .zst),
warcio, faust-cchardet and python-magic (WarcReader).
"""

import json
import os
import resource
import sys
import time


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("jsonl", "warc"):
        sys.exit(__doc__)
    kind, path = sys.argv[1], os.path.abspath(sys.argv[2])

    from importlib.metadata import version

    from datatrove.utils.logging import logger

    logger.remove()  # no per-file log lines on stderr
    if kind == "jsonl":
        from datatrove.pipeline.readers import JsonlReader as Reader
    else:
        from datatrove.pipeline.readers import WarcReader as Reader
    reader = Reader(os.path.dirname(path), glob_pattern=os.path.basename(path), recursive=False)

    docs = 0
    chars = 0
    c0, w0 = cpu_seconds(), time.monotonic()
    for document in reader.run(data=None, rank=0, world_size=1):
        docs += 1
        chars += len(document.text)
    cpu, wall = cpu_seconds() - c0, time.monotonic() - w0

    print("datatrove %s %s" % (version("datatrove"), Reader.__name__))
    print("documents:  %d" % docs)
    print("text chars: %d" % chars)
    print("cpu s:      %.3f (reading loop only)" % cpu)
    print("wall s:     %.3f" % wall)
    print(json.dumps({"tool": "datatrove", "version": version("datatrove"), "reader": Reader.__name__, "docs": docs, "text_chars": chars,
                      "cpu_s": cpu, "wall_s": wall}, sort_keys=True))


if __name__ == "__main__":
    main()
