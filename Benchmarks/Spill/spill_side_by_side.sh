#!/usr/bin/env bash
# The two trainers that spill sorted runs (n-gram LM, tokenizer pre-tokens), built from BASE (before a change
# to WinnowIO's spill facility) and from the working tree, run side by side on the same corpus; prints one
# line per run (CPU user/sys s, wall s, peak RSS) and checks the outputs are byte-identical.
#
# usage: Benchmarks/Spill/spill_side_by_side.sh BASE_REV [WORKDIR] [REPS]
# The corpus: Debian's /usr/lib/python3.11/*.py (11.3 MB on Debian 12; capped at 25 MB) (text lines for `lm train`, blocks of 200
# lines as JSONL documents for `tokenizer train`). Release builds; about 10 minutes on 2 cores.
set -euo pipefail
BASE="$1"; WORK="${2:-/tmp/spill-bench}"; REPS="${3:-3}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$WORK/base" "$WORK/new"
git -C "$ROOT" archive "$BASE" | tar -x -C "$WORK/base"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -c) | tar -x -C "$WORK/new"
for v in base new; do (cd "$WORK/$v" && swift build -c release --product winnow >/dev/null); done
cd "$WORK"
find /usr/lib/python3.11 -name "*.py" | sort | xargs cat | head -c 25000000 > corpus.txt
python3 -c '
import json, sys
lines = open("corpus.txt", encoding="utf-8", errors="replace").read().split("\n")
with open("corpus.jsonl", "w") as f:
    for i in range(0, len(lines), 200): f.write(json.dumps({"text": "\n".join(lines[i:i + 200])}) + "\n")'
for rep in $(seq "$REPS"); do
  for v in base new; do
    W="$WORK/$v/.build/release/winnow"
    for mem in 16MiB 1GiB; do
      rm -rf "lmtmp-$v"; mkdir -p "lmtmp-$v"
      /usr/bin/time -f "lm train --memory $mem  $v rep$rep: user %U sys %S wall %e maxrss_kb %M" \
        "$W" lm train corpus.txt --order 4 --memory $mem --temp-dir "lmtmp-$v" -o "lm-$v-$mem.arpa" 2>&1 >/dev/null | tail -1
    done
    rm -rf "tok-$v"
    /usr/bin/time -f "tokenizer train --memory 1M --threads 2  $v rep$rep: user %U sys %S wall %e maxrss_kb %M" \
      "$W" tokenizer train corpus.jsonl --vocab-size 8000 --threads 2 --memory 1M -o "tok-$v" 2>&1 >/dev/null | tail -1
  done
done
for mem in 16MiB 1GiB; do cmp "lm-base-$mem.arpa" "lm-new-$mem.arpa" && echo "lm --memory $mem: identical ARPA"; done
cmp lm-new-16MiB.arpa lm-new-1GiB.arpa && echo "lm: identical for both budgets"
diff -r tok-base tok-new >/dev/null && echo "tokenizer: identical files"
