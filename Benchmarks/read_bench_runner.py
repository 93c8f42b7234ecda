#!/usr/bin/env python3
"""Runs the read benchmark side by side and prints the tables. Called by read_benchmark.sh; see README.md.

    python3 read_bench_runner.py --bench BIN [--datatrove-python PY] [--jsonl F] [--warc F] [--reps 3] [--out R.json]

For each file, three tools read it, interleaved (rep 1 of each, then rep 2 of each, ...), so that a noisy
neighbour slows all of them alike:

  ceiling    `zstd -dc FILE > /dev/null` (JSONL.zst) or `gzip -dc FILE > /dev/null` (WARC.gz)
  winnow     `winnow-read-bench read FILE`
  datatrove  `PY datatrove_read.py jsonl|warc FILE`

The figure is process CPU time, user + system, of the child (os.wait4), for the whole process: start-up,
imports and all. Its median over the repetitions is reported. MB/s per core is the decompressed size of the
file (measured once, untimed) over that CPU time.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, capture):
    """Runs cmd to completion; returns (cpu s, wall s, stdout text, stderr text, exit code).
    CPU time comes from the child's rusage via os.wait4, not from the parent's RUSAGE_CHILDREN, so that
    nothing else this process waits for is counted."""
    devnull = open(os.devnull, "wb")
    out_file = tempfile.TemporaryFile() if capture else None
    err_file = tempfile.TemporaryFile()
    stdout = out_file if capture else devnull
    start = time.monotonic()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, stdout.fileno(), 1), (os.POSIX_SPAWN_DUP2, err_file.fileno(), 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    devnull.close()
    code = os.waitstatus_to_exitcode(status)
    out = ""
    if out_file is not None:
        out_file.seek(0)
        out = out_file.read().decode("utf-8", "replace")
        out_file.close()
    err_file.seek(0)
    err = err_file.read().decode("utf-8", "replace")
    err_file.close()
    return usage.ru_utime + usage.ru_stime, wall, out, err, code


def decompressed_size(path):
    tool = "zstd" if open(path, "rb").read(4) == b"\x28\xb5\x2f\xfd" else "gzip"
    proc = subprocess.Popen([tool, "-dc", path], stdout=subprocess.PIPE)
    total = 0
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        total += len(chunk)
    proc.wait()
    return total


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    return {}


def bench_file(kind, path, args):
    size = decompressed_size(path)
    ceiling = ["zstd", "-dc", path] if kind == "jsonl" else ["gzip", "-dc", path]
    tools = [
        ("ceiling: " + " ".join(ceiling[:2]), ceiling, False),
        ("winnow-read-bench read", [args.bench, "read", path], True),
    ]
    if args.decompress_row:
        tools.append(("WinnowIO decompress only", [args.bench, "decompress", path], True))
    if args.datatrove_python:
        reader = "JsonlReader" if kind == "jsonl" else "WarcReader"
        tools.append(("datatrove " + reader, [args.datatrove_python, os.path.join(HERE, "datatrove_read.py"), kind, path], True))
    results = {name: {"cpu": [], "wall": [], "docs": None, "inner": []} for name, _, _ in tools}
    for rep in range(args.reps):
        for name, cmd, capture in tools:
            cpu, wall, out, err, code = timed(cmd, capture)
            if code != 0:
                sys.exit("%s failed (exit %d):\n%s" % (" ".join(cmd), code, err[-2000:]))
            r = results[name]
            r["cpu"].append(cpu)
            r["wall"].append(wall)
            info = last_json(out) if capture else {}
            if info:
                r["docs"] = info.get("docs")
                r["inner"].append(info.get("cpu_s"))
                r["info"] = info
            if err.strip() and rep == 0:
                r["stderr"] = err.strip().splitlines()[-3:]
            print("  %s rep %d: %s cpu %.2f s, wall %.2f s%s" % (kind, rep + 1, name, cpu, wall,
                  ", docs %s" % r["docs"] if r["docs"] is not None else ""), file=sys.stderr, flush=True)
    return {"kind": kind, "file": path, "compressed_bytes": os.path.getsize(path), "decompressed_bytes": size,
            "tools": [(name, results[name]) for name, _, _ in tools]}


def table(b):
    mb = b["decompressed_bytes"] / 1e6
    tools = b["tools"]
    ceiling = max(statistics.median(tools[0][1]["cpu"]), 1e-6)
    dt = [statistics.median(r["cpu"]) for n, r in tools if n.startswith("datatrove")]
    dt = dt[0] if dt else None
    lines = [
        "%s: %s (%.1f MB compressed, %.1f MB decompressed)" % (b["kind"].upper(), os.path.basename(b["file"]),
                                                            b["compressed_bytes"] / 1e6, mb),
        "",
        "| tool | docs | CPU-s (median of %d) | all runs | MB/s per core | vs ceiling | vs datatrove |" % len(tools[0][1]["cpu"]),
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for name, r in tools:
        cpu = max(statistics.median(r["cpu"]), 1e-6)
        lines.append("| %s | %s | %.2f | %s | %.0f | %.0f%% | %s |" % (
            name, "-" if r["docs"] is None else "{:,}".format(r["docs"]), cpu,
            " / ".join("%.2f" % c for c in r["cpu"]), mb / cpu, 100 * ceiling / cpu,
            "%.1fx" % (dt / cpu) if dt else "-"))
    notes = []
    for name, r in tools:
        if r.get("stderr"):
            notes.append("%s wrote on stderr: %s" % (name, " | ".join(r["stderr"])))
    return "\n".join(lines + [""] + notes)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True, help="the winnow-read-bench binary (release build)")
    ap.add_argument("--datatrove-python", default="", help="python of a venv with datatrove; empty to skip")
    ap.add_argument("--jsonl", help="a JSONL.zst file")
    ap.add_argument("--warc", help="a WARC.gz file")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--decompress-row", action="store_true",
                    help="also time `winnow-read-bench decompress` (libzstd/zlib in process, no parsing)")
    ap.add_argument("--out", help="write the raw results as JSON here")
    args = ap.parse_args()

    benches = []
    for kind, path in (("jsonl", args.jsonl), ("warc", args.warc)):
        if path:
            benches.append(bench_file(kind, path, args))
    print()
    for b in benches:
        print(table(b))
        print()
    if args.out:
        with open(args.out, "w") as f:
            json.dump(benches, f, indent=1)


if __name__ == "__main__":
    main()
