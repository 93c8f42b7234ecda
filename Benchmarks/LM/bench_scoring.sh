#!/usr/bin/env bash
# Perplexity scoring speed, one core, side by side: `winnow lm score` (ARPA and binary model) and the
# `kenlm` Python module (`model.score(line)` per line) on the same model and the same text, one sentence
# per line, no normalization; CPU seconds of the scoring loop (after loading), and model load times. Needs a release build and a Python with kenlm.
#
# usage: Benchmarks/LM/bench_scoring.sh MODEL.arpa TEXT [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/../.."
ARPA=$1 TEXT=$2 PYTHON=${3:-python3}
WINNOW=.build/release/winnow
BIN=$(mktemp -d)/model.wlm
CORE="taskset -c 0"
$WINNOW lm build "$ARPA" --output "$BIN"
echo "text: $(wc -c < "$TEXT") bytes, $(wc -l < "$TEXT") lines; model: $ARPA ($(wc -c < "$ARPA") bytes), $BIN ($(wc -c < "$BIN") bytes)"
for model in "$ARPA" "$BIN"; do
  for run in 1 2; do
    echo -n "winnow ($(basename "$model")) run $run: "
    $CORE $WINNOW lm score --model "$model" "$TEXT" 2>&1 >/dev/null | tail -1
  done
done
for run in 1 2; do
  echo -n "kenlm python ($(basename "$ARPA")) run $run: "
  $CORE "$PYTHON" - "$ARPA" "$TEXT" <<'PY'
import sys, time
import kenlm
t0 = time.perf_counter()
model = kenlm.Model(sys.argv[1])
t1 = time.perf_counter()
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
size = sum(len(l.encode()) + 1 for l in lines)
t2, c2 = time.perf_counter(), time.process_time()
total = 0.0
for line in lines:
    total += model.score(line, bos=True, eos=True)
t3, c3 = time.perf_counter(), time.process_time()
print(f"{len(lines)} lines; log10 {total}; load {t1 - t0:.3f} s; scored {size} bytes in {c3 - c2:.3f} CPU s = "
      f"{size / (c3 - c2) / 1e6:.1f} MB/s ({t3 - t2:.3f} s wall)")
PY
done
rm -f "$BIN"
