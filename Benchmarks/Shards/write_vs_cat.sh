#!/usr/bin/env bash
# Writing shards against `cat` of the same bytes (issue 13: "shards no slower to write than cat"). A shard set is
# built once (datatrove .ds, input order); then, interleaved, REPS times each: `winnow shards merge` of that set
# into a new one (read every document from the shards, widen, narrow, write the .ds/.index/.metadata files,
# SHA-256 of every file, manifest), with and without the shuffle and the verifying re-read, and `cat` of the .ds
# bytes into one file, and `sha256sum` of them (the floor for writing them with a checksum). Whole processes,
# GNU time: wall, user + sys, max RSS. The bytes are in the page cache for every tool.
#
# Usage (from the repository root): bash Benchmarks/Shards/write_vs_cat.sh WORKDIR [REPS]
# WORKDIR holds in/*.jsonl.zst and tok-*/tokenizer.json (as shards_benchmark.sh leaves them).
# Environment: WINNOW (a release winnow; default: build one), PYTHON (python3).
set -euo pipefail
WORK=$1
REPS=${2:-5}
PYTHON=${PYTHON:-python3}
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi
TOK=$(ls -d "$WORK"/tok-*/tokenizer.json | head -1)
OUT="$WORK/write-vs-cat"
rm -rf "$OUT" && mkdir -p "$OUT"
"$WINNOW" shards build "$WORK"/in/*.jsonl.zst --tokenizer "$TOK" --eos "<|endoftext|>" --shard-format datatrove \
    --shard-tokens 50000000 --no-shuffle --workers 2 --output "$OUT/set" 2>/dev/null
: > "$OUT/results.tsv"
measure() {  # name, command...
  local name=$1; shift
  /usr/bin/time -f "$name	%e	%U	%S	%M" -a -o "$OUT/results.tsv" "$@" > /dev/null 2>&1
}
for rep in $(seq 1 "$REPS"); do
  rm -rf "$OUT"/m-* "$OUT/cat.out"
  measure "merge, input order, no verify" "$WINNOW" shards merge "$OUT/set" --no-shuffle --no-verify --workers 1 --output "$OUT/m-plain"
  measure "merge, shuffled, no verify" "$WINNOW" shards merge "$OUT/set" --no-verify --workers 1 --output "$OUT/m-shuffled"
  measure "merge, shuffled, verified" "$WINNOW" shards merge "$OUT/set" --workers 1 --output "$OUT/m-verified"
  measure "cat of the .ds bytes" sh -c "cat '$OUT'/set/*.ds > '$OUT/cat.out'"
  measure "sha256sum of the .ds bytes" sh -c "sha256sum '$OUT'/set/*.ds"
done
"$PYTHON" - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
m = json.load(open(f"{out}/set/manifest.json"))
size = sum(f["bytes"] for s in m["shards"] for f in s["files"] if f["path"].endswith(".ds"))
print(f'{m["tokens"]:,} tokens, {m["documents"]:,} documents, {size / 1e6:.1f} MB of .ds in {len(m["shards"])} shard(s)')
rows = {}
for line in open(f"{out}/results.tsv"):
    name, wall, user, sys_, rss = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss)))
print("| process | wall s (median) | CPU s (median) | runs (wall s) | MB/s of .ds (wall) | peak RSS MB |")
print("| --- | ---: | ---: | --- | ---: | ---: |")
for name, r in rows.items():
    wall = statistics.median(x[0] for x in r); cpu = statistics.median(x[1] for x in r)
    print(f"| {name} | {wall:.2f} | {cpu:.2f} | {' / '.join(f'{x[0]:.2f}' for x in r)} | {size / 1e6 / max(wall, 0.005):.0f} | {max(x[2] for x in r) / 1024:.0f} |")
PY
