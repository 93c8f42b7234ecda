#!/usr/bin/env bash
# Winnow's minhash_dedup against datatrove 0.10.1's 4-step MinHash, side by side in one run, same parameters
# (word 5-grams, 14x8, 64-bit xxhash, seed 1) and the same number of workers, phase by phase: wall and CPU
# seconds and peak RSS (GNU time), one process per phase; then Winnow's whole step in one `winnow run` (the
# end-to-end figure as a user runs it); then precision and recall against the planted truth.
#
#   bash Benchmarks/Dedup/dedup_benchmark.sh SLICE_DIR VENV WORKERS [WINNOW]
#
# SLICE_DIR from make_slice.py; VENV with datatrove==0.10.1, xxhash, spacy, zstandard (make_datatrove_venv.sh
# plus `pip install xxhash spacy`); WINNOW defaults to .build/release/winnow (swift build -c release).
set -euo pipefail
slice=$(cd "$1" && pwd); venv=$2; workers=$3; winnow=${4:-.build/release/winnow}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/dedup-bench.XXXXXX)
fmt='%e %U %S %M'
report() { read -r wall user sys rss < "$2"; printf '%-9s %-11s %8.1f %8.1f %8.0f\n' "$1" "$3" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"; }
cat > "$work/p.yaml" <<YAML
output: $work/winnow
steps:
  - name: dedup
    input: {paths: [$slice/input]}
    run:
      minhash_dedup: {ngram_size: 5, bands: 14, rows: 8, precision: 64, cluster_tasks: 4, cluster_rounds: 12}
    writer: {compression: none}
YAML
echo "tool      phase          wall s    CPU s  peak MB"
# Winnow's clustering is several phases (label rounds, components, clusters): timed together as "clusters".
winnow_phases() {
  case $1 in
    clusters) echo $(seq -f 'labels-%02g' 1 12) components clusters ;;
    *) echo "$1" ;;
  esac
}
for phase in signatures buckets clusters filter; do
  /usr/bin/time -f "$fmt" -o "$work/w-$phase" bash -c 'for p in $3; do "$0" run "$1" --workers "$2" --step dedup --phase "$p" -q || exit 1; done' \
    "$winnow" "$work/p.yaml" "$workers" "$(winnow_phases "$phase")"
  report winnow "$work/w-$phase" "$phase"
  /usr/bin/time -f "$fmt" -o "$work/d-$phase" "$venv/bin/python" "$here/datatrove_minhash.py" "$phase" "$slice/input" "$work/datatrove" "$workers" > /dev/null 2>&1
  report datatrove "$work/d-$phase" "$phase"
done
# As a user runs it: the whole step in one `winnow run` (one process; the rows above start one process per phase,
# 17 in all, so their sum includes 16 more process starts). Same input and parameters, its own output directory.
sed "s#^output: .*#output: $work/winnow-one#" "$work/p.yaml" > "$work/one.yaml"
/usr/bin/time -f "$fmt" -o "$work/w-one" "$winnow" run "$work/one.yaml" --workers "$workers" -q
report winnow "$work/w-one" "one-run"
echo "winnow:    $("$venv/bin/python" "$here/score.py" "$slice" "$work/winnow/dedup/excluded" "$work/winnow/dedup/documents")"
echo "datatrove: $("$venv/bin/python" "$here/score.py" "$slice" "$work/datatrove/removed")"
"$venv/bin/python" - "$work" <<'PY'
import glob, json, sys
def ids(pattern):
    return {json.loads(l)["id"] for p in glob.glob(pattern, recursive=True) for l in open(p, "rb").read().splitlines()}
w, d = ids(sys.argv[1] + "/winnow/dedup/excluded/**/*.jsonl"), ids(sys.argv[1] + "/datatrove/removed/**/*.jsonl")
print(f"removed by both: {len(w & d)}, only winnow: {len(w - d)}, only datatrove: {len(d - w)}")
PY
echo "work files: $work"
