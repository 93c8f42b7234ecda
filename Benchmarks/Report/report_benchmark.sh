#!/usr/bin/env bash
# Time `winnow report` on a run over the benchmark corpus (docs/report.md, docs/benchmarks.md).
# Usage: bash Benchmarks/Report/report_benchmark.sh CORPUS.jsonl.zst WORK [REPEATS]
#   CORPUS: ../shared/corpora/build/build_bench.py's bench-00000.jsonl.zst; WORK: a scratch directory.
# Needs `swift build -c release --product winnow` first and GNU time (/usr/bin/time).
set -euo pipefail
corpus=$1 work=$2 repeats=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
winnow=$root/.build/release/winnow
mkdir -p "$work/input"
if [ ! -e "$work/input/part-03.jsonl.zst" ]; then
  # Four files, so the run has four tasks; records dealt round-robin by line.
  (cd "$work/input" && zstd -dc "$corpus" | split -n r/4 --additional-suffix=.jsonl -d - part- && zstd -q -3 --rm part-*.jsonl)
fi
sed "s|WORK|$work|g" "$root/Benchmarks/Report/bench.yaml" > "$work/bench.yaml"
if [ ! -e "$work/run/dedup/stats.json" ]; then
  /usr/bin/time -f "run: wall %e s, user %U s, sys %S s, max RSS %M kB" "$winnow" run "$work/bench.yaml" --quiet
fi
for i in $(seq "$repeats"); do
  /usr/bin/time -f "report $i: wall %e s, user %U s, sys %S s, max RSS %M kB" \
    "$winnow" report "$work/run" --pipeline "$work/bench.yaml" -o "$work/report.html" >/dev/null
done
echo "page: $(stat -c %s "$work/report.html") bytes"
# The sample run, for the small figure.
"$winnow" run "$root/Pipelines/sample.yaml" --output "$work/sample" --quiet
for i in $(seq "$repeats"); do
  /usr/bin/time -f "sample report $i: wall %e s, user %U s, sys %S s, max RSS %M kB" \
    "$winnow" report "$work/sample" --pipeline "$root/Pipelines/sample.yaml" >/dev/null
done
echo "sample page: $(stat -c %s "$work/sample/report.html") bytes"
