#!/usr/bin/env bash
# Prediction speed of fastText models side by side through `winnow langid predict` (one core, k=1): the same
# lines for every model, runs interleaved (rep 1 of every model, then rep 2, ...), medians of REPS runs of
# user+system CPU seconds. Used to check that a new default model predicts at least as fast as the old one.
#
# Usage (from the repository root): bash Benchmarks/LangID/model_speed.sh LINES REPS NAME=MODEL [NAME=MODEL ...]
# (WINNOW=path/to/winnow uses that binary instead of building one.)
set -euo pipefail
LINES=$1; REPS=$2; shift 2
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi
TIMES=$(mktemp)
for rep in $(seq 1 "$REPS"); do
  for spec in "$@"; do
    /usr/bin/time -f "${spec%%=*} %e %U %S" -a -o "$TIMES" taskset -c 0 \
      "$WINNOW" langid predict --model "${spec#*=}" -k 1 "$LINES" > /dev/null
  done
done
python3 - "$TIMES" "$LINES" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_ = line.split()
    rows.setdefault(name, []).append((float(wall), float(user) + float(sys_)))
n = sum(1 for _ in open(sys.argv[2], 'rb'))
print(f"{n} lines; medians of {len(next(iter(rows.values())))} runs")
print("| model | CPU s | wall s | lines per CPU-second |")
print("| --- | --- | --- | --- |")
for name, runs in rows.items():
    cpu = statistics.median(r[1] for r in runs); wall = statistics.median(r[0] for r in runs)
    print(f"| {name} | {cpu:.2f} | {wall:.2f} | {n / cpu:,.0f} |")
PY
rm -f "$TIMES"
