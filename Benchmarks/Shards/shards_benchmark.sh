#!/usr/bin/env bash
# Tokenize + shard, 2 workers: `winnow shards build` (datatrove .ds output, global shuffle, manifest with SHA-256,
# verified after writing) against datatrove 0.10.1's DocumentTokenizer + DocumentTokenizerMerger (HF tokenizers
# loading the same Winnow-trained tokenizer.json), the same input files, in one run, interleaved (rep 1 of every
# tool, then rep 2, ...). Whole processes timed with GNU time: wall, user + sys CPU, max RSS. Also `cat` of the
# shard bytes Winnow wrote into a file, the floor for writing them.
#
# Usage (from the repository root):
#   bash Benchmarks/Shards/shards_benchmark.sh CORPUS.jsonl.zst [WORKDIR] [REPS]
# Environment: MB (text megabytes of the slice, 100), FILES (input files, 8), VOCAB (32000), PATTERN (llama3),
# DATATROVE_PYTHON (a python with datatrove 0.10.1, tokenizers, numpy, orjson, zstandard), PYTHON (python3 with
# zstandard), WINNOW (a release winnow; default: build one).
set -euo pipefail
CORPUS=$1
WORK=${2:-/tmp/winnow-shards-bench}
REPS=${3:-3}
MB=${MB:-100}
FILES=${FILES:-8}
VOCAB=${VOCAB:-32000}
PATTERN=${PATTERN:-llama3}
PYTHON=${PYTHON:-python3}
DATATROVE_PYTHON=${DATATROVE_PYTHON:-/work/benchwork/venv-datatrove/bin/python}
SHARD_TOKENS=50000000
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$WORK"
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi
[ -d "$WORK/in" ] || "$PYTHON" "$HERE/make_slice.py" "$CORPUS" "$WORK/in" "$MB" "$FILES"
TOK="$WORK/tok-$PATTERN-$VOCAB"
[ -f "$TOK/tokenizer.json" ] || "$WINNOW" tokenizer train "$WORK"/in/*.jsonl.zst --vocab-size "$VOCAB" --pattern "$PATTERN" \
    --special-token "<|endoftext|>" --output "$TOK"

export TOKENIZERS_PARALLELISM=false
: > "$WORK/results.tsv"
measure() {  # tool, command...
  local tool=$1; shift
  /usr/bin/time -f "$tool	%e	%U	%S	%M" -a -o "$WORK/results.tsv" "$@" > "$WORK/$tool.log" 2>&1
}
for rep in $(seq 1 "$REPS"); do
  rm -rf "$WORK/winnow-out" "$WORK/datatrove-out"
  measure winnow "$WINNOW" shards build "$WORK"/in/*.jsonl.zst --tokenizer "$TOK/tokenizer.json" --eos "<|endoftext|>" \
      --shard-format datatrove --shard-tokens $SHARD_TOKENS --workers 2 --output "$WORK/winnow-out"
  measure datatrove "$DATATROVE_PYTHON" "$HERE/datatrove_tokenize.py" "$WORK/in" "$TOK/tokenizer.json" "$WORK/datatrove-out" 2 $SHARD_TOKENS
  measure cat sh -c "cat '$WORK'/winnow-out/*.ds > '$WORK/cat.out'"
  rm -f "$WORK/cat.out"
done

"$PYTHON" - "$WORK" <<'PY'
import glob, json, os, statistics, sys
work = sys.argv[1]
rows = {}
for line in open(f"{work}/results.tsv"):
    tool, wall, user, sys_, rss = line.rstrip("\n").split("\t")
    rows.setdefault(tool, []).append((float(wall), float(user) + float(sys_), int(rss)))
text_mb = sum(len(json.loads(l)["text"].encode()) for p in glob.glob(f"{work}/in/*.jsonl.zst")
              for l in __import__("zstandard").ZstdDecompressor().stream_reader(open(p, "rb")).read().decode().splitlines()) / 1e6
manifest = json.load(open(f"{work}/winnow-out/manifest.json"))
dt_tokens = sum(int(open(p).read().split("\n")[1]) for p in glob.glob(f"{work}/datatrove-out/merged/[0-9]*.ds.metadata"))
tokens = {"winnow": manifest["tokens"], "datatrove": dt_tokens}
print(f'{manifest["documents"]} documents, {text_mb:.1f} MB of text; tokens: winnow {tokens["winnow"]:,}, datatrove {dt_tokens:,}')
print("| tool | wall s (median) | CPU s (median) | runs (CPU s) | tokens/s (wall) | MB/s (wall) | peak RSS MB |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for tool in ["winnow", "datatrove", "cat"]:
    wall = statistics.median(r[0] for r in rows[tool]); cpu = statistics.median(r[1] for r in rows[tool])
    rss = max(r[2] for r in rows[tool]) / 1024
    runs = " / ".join(f"{r[1]:.2f}" for r in rows[tool])
    t = tokens.get(tool)
    print(f"| {tool} | {wall:.2f} | {cpu:.2f} | {runs} | {f'{t / wall / 1e6:.2f} M' if t else '-'} | {f'{text_mb / wall:.1f}' if t else '-'} | {rss:.0f} |")
PY
