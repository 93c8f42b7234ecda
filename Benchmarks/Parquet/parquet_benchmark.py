#!/usr/bin/env python3
"""Parquet read benchmark: Winnow against pyarrow and datatrove, side by side, one core each.

    python3 parquet_benchmark.py --bench BIN [--datatrove-python PY] [--reps 3] FILE.parquet...

Per file, interleaved (rep 1 of every tool, then rep 2, ...):

  winnow text+id       `BIN read FILE --columns ""`      documents with text and id, no metadata
  winnow all columns   `BIN read FILE`                   documents with every column as metadata
  pyarrow text+id      `pyarrow_read.py FILE text,id`     read_table(columns=[text, id]), one thread
  pyarrow + pylist     the same, then text.to_pylist()    (Python strings, what a Python pipeline needs)
  datatrove            `PY datatrove_parquet_read.py FILE` ParquetReader, every column (datatrove's default)

Figures: CPU seconds of the whole child process (os.wait4: start-up and imports included), and of the
read loop alone as the tool reports it; medians over the repetitions. MB/s per core = text MB / CPU s.
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd):
    import tempfile
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    start = time.monotonic()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    out.seek(0)
    err.seek(0)
    text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), err.read().decode("utf-8", "replace")))
    return usage.ru_utime + usage.ru_stime, wall, json.loads(text.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True)
    parser.add_argument("--datatrove-python")
    parser.add_argument("--datatrove-reps", type=int, default=1)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    python = sys.executable
    for path in args.files:
        tools = [
            ("winnow text+id", [args.bench, "read", path, "--columns", ""]),
            ("winnow all columns", [args.bench, "read", path]),
            ("pyarrow text+id", [python, HERE + "/pyarrow_read.py", path, "text,id"]),
            ("pyarrow text+id + to_pylist", [python, HERE + "/pyarrow_read.py", path, "text,id", "--pylist"]),
        ]
        if args.datatrove_python:
            tools.append(("datatrove ParquetReader", [args.datatrove_python, HERE + "/datatrove_parquet_read.py", path]))
        results = {name: [] for name, _ in tools}
        for rep in range(args.reps):
            for name, cmd in tools:
                if name.startswith("datatrove") and rep >= args.datatrove_reps:
                    continue
                results[name].append(timed(cmd))
        text_mb = None
        rows = []
        for name, _ in tools:
            runs = results[name]
            report = runs[0][2]
            if "text_bytes" in report:
                text_mb = text_mb or report["text_bytes"] / 1e6
            process_cpu = statistics.median(r[0] for r in runs)
            loop_cpu = statistics.median(r[2]["cpu_s"] for r in runs)
            docs = report.get("docs", report.get("rows"))
            rows.append((name, docs, process_cpu, loop_cpu, len(runs)))
        size = os.path.getsize(path) / 1e6
        print("\n%s  (%.1f MB on disk, %.1f MB of text)" % (os.path.basename(path), size, text_mb))
        print("| reader | documents | CPU s (process) | CPU s (read loop) | text MB/s per core (loop) | runs |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, docs, pcpu, lcpu, n in rows:
            print("| %s | %d | %.2f | %.2f | %.0f | %d |" % (name, docs, pcpu, lcpu, text_mb / lcpu, n))


if __name__ == "__main__":
    main()
