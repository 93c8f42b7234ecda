#!/usr/bin/env bash
# Winnow's decontaminate (words: datatrove, 12-grams) against datatrove 0.10.1's n-gram decontamination, side by
# side in one run on a benchmark slice with a planted evaluation set: wall and CPU seconds and peak RSS (GNU time),
# then whether the same documents were dropped and how many planted source documents each caught. Winnow runs twice:
# with its default zstd output ("all") and with uncompressed output as datatrove writes here ("plain", the like-for-like
# row; zstd level 3 of the slice's JSONL alone costs about 0.45 CPU-s on the 20k slice).
#
#   bash Benchmarks/Dedup/decontamination_benchmark.sh SLICE_DIR PYTHON WORKERS [WINNOW]
#
# SLICE_DIR from make_slice.py; PYTHON with datatrove==0.10.1 (--no-deps), spacy, xxhash, numpy, loguru, fsspec,
# tqdm, humanize, dill, multiprocess, zstandard; WINNOW defaults to .build/release/winnow.
set -euo pipefail
slice=$(cd "$1" && pwd); python=$2; workers=$3; winnow=${4:-.build/release/winnow}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/decont-bench.XXXXXX)
fmt='%e %U %S %M'
report() { read -r wall user sys rss < "$2"; printf '%-9s %-7s %8.1f %8.1f %8.0f\n' "$1" "$3" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"; }
"$python" "$here/make_eval_set.py" "$slice" "$work/evalset.jsonl" 200 7
echo "tool      step      wall s    CPU s  peak MB"
/usr/bin/time -f "$fmt" -o "$work/w" "$winnow" dedup decontaminate "$slice"/input/*.jsonl.zst --eval-set "$work/evalset.jsonl" \
  --output "$work/winnow" --ngram-size 12 --words datatrove > /dev/null 2>&1
report winnow "$work/w" all
/usr/bin/time -f "$fmt" -o "$work/w-plain" "$winnow" dedup decontaminate "$slice"/input/*.jsonl.zst --eval-set "$work/evalset.jsonl" \
  --output "$work/winnow-plain" --ngram-size 12 --words datatrove --compression none > /dev/null 2>&1
report winnow "$work/w-plain" plain
for step in index filter; do
  /usr/bin/time -f "$fmt" -o "$work/d-$step" "$python" "$here/datatrove_decont.py" "$step" "$work/evalset.jsonl" "$slice/input" \
    "$work/datatrove" "$workers" > /dev/null 2>&1
  report datatrove "$work/d-$step" "$step"
done
"$python" - "$work" <<'PY'
import glob, io, json, sys, zstandard
def ids(pattern):
    out = set()
    for p in glob.glob(pattern, recursive=True):
        data = open(p, "rb").read()
        if p.endswith(".zst"):
            data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
        out.update(json.loads(l)["id"] for l in data.splitlines())
    return out
w, d = ids(sys.argv[1] + "/winnow/excluded/**/*.jsonl*"), ids(sys.argv[1] + "/datatrove/excluded/**/*.jsonl*")
assert w == ids(sys.argv[1] + "/winnow-plain/excluded/**/*.jsonl*"), "winnow's plain run dropped other documents"
truth = json.load(open(sys.argv[1] + "/evalset.jsonl.truth.json"))
caught = lambda s: sum(1 for t in truth if t["document"] in s)
print(f"dropped by winnow: {len(w)}, by datatrove: {len(d)}, by both: {len(w & d)}, only winnow: {len(w - d)}, "
      f"only datatrove: {len(d - w)}; planted source documents caught: winnow {caught(w)}, datatrove {caught(d)} of {len(truth)}")
PY
echo "work files: $work"
