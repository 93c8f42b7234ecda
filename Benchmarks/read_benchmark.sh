#!/usr/bin/env bash
# Read benchmark: WinnowIO against the decompression ceiling and datatrove, side by side in one run.
#
#   bash Benchmarks/read_benchmark.sh FILE.jsonl.zst [FILE.warc.gz] [--reps N] [--no-json] [--out RESULTS.json]
#
# Builds winnow-read-bench in release mode, then, interleaved, N times each (default 3), measures the CPU
# seconds (user + sys) of
#   zstd -dc FILE.jsonl.zst > /dev/null      gzip -dc FILE.warc.gz > /dev/null     (the ceilings)
#   winnow-read-bench read FILE               (WinnowIO's JSONLReader / WARCReader, one thread)
#   datatrove_read.py jsonl|warc FILE         (datatrove's JsonlReader / WarcReader, one process)
#   winnow-read-bench decompress FILE         (libzstd / zlib through WinnowIO's byte source, no parsing)
# and prints the medians as tables. Then (unless --no-json) it compares our JSON parser with Foundation's
# on the first 200 MB of the JSONL file (`winnow-read-bench json`).
#
# Environment:
#   DATATROVE_PYTHON  python of a venv with datatrove and its reader extras (default:
#                     /work/benchwork/venv-datatrove/bin/python; set it empty to skip datatrove). Make one with
#                     bash Benchmarks/make_datatrove_venv.sh DIR
#   SCRATCH           SwiftPM scratch path for the release build (default: .build-bench)
#   JSON_LIMIT_MB     lines loaded for the JSON parser comparison (default: 200)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

jsonl="" warc="" reps=3 json=1 out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) reps=$2; shift 2 ;;
        --no-json) json=0; shift ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n "2,22p" "$0"; exit 0 ;;
        -*) echo "read_benchmark.sh: unknown option $1" >&2; exit 2 ;;
        *) case "$(basename "$1")" in
               *.warc*|*.arc|*.arc.gz) warc=$1 ;;
               *) jsonl=$1 ;;
           esac
           shift ;;
    esac
done
if [ -z "$jsonl" ] && [ -z "$warc" ]; then
    sed -n "2,22p" "$0" >&2
    exit 2
fi
for f in $jsonl $warc; do
    [ -r "$f" ] || { echo "read_benchmark.sh: cannot read $f" >&2; exit 2; }
done

datatrove_python=${DATATROVE_PYTHON-/work/benchwork/venv-datatrove/bin/python}
if [ -n "$datatrove_python" ] && ! "$datatrove_python" -c 'import datatrove' 2>/dev/null; then
    echo "read_benchmark.sh: no datatrove at $datatrove_python; skipping it (see Benchmarks/README.md)" >&2
    datatrove_python=""
fi
scratch=${SCRATCH:-.build-bench}

cd "$root"
echo "== building winnow-read-bench (release, scratch $scratch)" >&2
swift build -c release --scratch-path "$scratch" --product winnow-read-bench >&2
bench="$root/$scratch/release/winnow-read-bench"

echo "== machine" >&2
machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(. /etc/os-release && echo "$PRETTY_NAME"), $(swift --version 2>/dev/null | head -1)"
echo "$machine"
if [ -n "$datatrove_python" ]; then
    "$datatrove_python" -c 'import importlib.metadata as m; print("datatrove", ", ".join("%s %s" % (p, m.version(p)) for p in ["datatrove", "orjson", "zstandard", "warcio", "faust-cchardet", "python-magic", "fsspec"]))'
    "$datatrove_python" -c 'import sys; print("python", sys.version.split()[0])'
fi
echo "zstd $(zstd --version | grep -o 'v[0-9.]*'), $(gzip --version | head -1)"
echo

args=(--bench "$bench" --datatrove-python "$datatrove_python" --reps "$reps" --decompress-row)
[ -n "$jsonl" ] && args+=(--jsonl "$jsonl")
[ -n "$warc" ] && args+=(--warc "$warc")
[ -n "$out" ] && args+=(--out "$out")
echo "== read benchmark: $reps repetitions, interleaved" >&2
python3 "$here/read_bench_runner.py" "${args[@]}"

if [ "$json" = 1 ] && [ -n "$jsonl" ]; then
    echo "== JSON parsers (first ${JSON_LIMIT_MB:-200} MB of $jsonl)" >&2
    "$bench" json "$jsonl" --limit-mb "${JSON_LIMIT_MB:-200}" --reps "$reps" | sed '$d'
fi
