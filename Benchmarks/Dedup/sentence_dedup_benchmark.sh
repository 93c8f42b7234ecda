#!/usr/bin/env bash
# Winnow's sentence_dedup against datatrove 0.10.1's SentenceDedup, side by side in one run, same defaults
# (3-sentence spans, spaCy's English rules for every document, 50 words, 3 sentences) and the same number of
# workers, phase by phase: wall and CPU seconds and peak RSS (GNU time), then how many kept documents agree.
#
#   bash Benchmarks/Dedup/sentence_dedup_benchmark.sh SLICE_DIR PYTHON WORKERS [WINNOW]
#
# SLICE_DIR from make_slice.py; PYTHON with datatrove==0.10.1 (--no-deps), spacy, xxhash, numpy, loguru, fsspec,
# tqdm, humanize, dill, multiprocess, zstandard; WINNOW defaults to .build/release/winnow.
set -euo pipefail
slice=$(cd "$1" && pwd); python=$2; workers=$3; winnow=${4:-.build/release/winnow}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sentence-bench.XXXXXX)
fmt='%e %U %S %M'
report() { read -r wall user sys rss < "$2"; printf '%-9s %-11s %8.1f %8.1f %8.0f\n' "$1" "$3" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"; }
cat > "$work/p.yaml" <<YAML
output: $work/winnow
steps:
  - name: dedup
    input: {paths: [$slice/input]}
    run:
      sentence_dedup: {sentence_splitter: spacy, language_from_metadata: false}
    writer: {compression: none}
YAML
echo "tool      phase          wall s    CPU s  peak MB"
for pair in hashes:signatures dups:find filter:filter; do
  w=${pair%%:*}; d=${pair##*:}
  /usr/bin/time -f "$fmt" -o "$work/w-$w" "$winnow" run "$work/p.yaml" --workers "$workers" --step dedup --phase "$w" -q
  report winnow "$work/w-$w" "$w"
  /usr/bin/time -f "$fmt" -o "$work/d-$d" "$python" "$here/datatrove_sentence_dedup.py" "$d" "$slice/input" "$work/datatrove" "$workers" > /dev/null 2>&1
  report datatrove "$work/d-$d" "$d"
done
"$python" - "$work" <<'PY'
import glob, json, sys
def kept(pattern):
    return {d["id"]: d["text"] for p in glob.glob(pattern, recursive=True) for d in map(json.loads, open(p, "rb").read().splitlines())}
w, d = kept(sys.argv[1] + "/winnow/dedup/documents/**/*.jsonl"), kept(sys.argv[1] + "/datatrove/kept/**/*.jsonl")
same = sum(1 for i in w if i in d and w[i] == d[i])
print(f"kept by winnow: {len(w)}, by datatrove: {len(d)}, kept by both with the same text: {same}, "
      f"kept by both, texts differ: {sum(1 for i in w if i in d) - same}, only winnow: {len(w.keys() - d.keys())}, only datatrove: {len(d.keys() - w.keys())}")
PY
echo "work files: $work"
