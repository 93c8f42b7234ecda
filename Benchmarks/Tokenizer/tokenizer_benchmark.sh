#!/usr/bin/env bash
# Encoding speed on one core: `winnow-bench tokenizer` against tiktoken's encode_ordinary_batch and HF tokenizers'
# encode_batch (and encode_batch_fast), the same tokenizer (trained by Winnow, exported as tokenizer.json and
# .tiktoken), the same texts, in one run. Runs are interleaved (rep 1 of every tool, then rep 2, ...), pinned to
# one core (taskset -c 0); the table shows medians of CPU seconds. Token counts and checksums must agree.
#
# Usage (from the repository root):
#   bash Benchmarks/Tokenizer/tokenizer_benchmark.sh CORPUS.jsonl.zst [WORKDIR] [REPS]
# Environment: VOCAB (32000), PATTERN (llama3), TRAIN_MB (30), ENCODE_MB (30), PYTHON (python3 with tiktoken,
# tokenizers, zstandard), WINNOW (a release winnow binary; default: build one).
set -euo pipefail
CORPUS=$1
WORK=${2:-/tmp/winnow-tokenizer-bench}
REPS=${3:-3}
VOCAB=${VOCAB:-32000}
PATTERN=${PATTERN:-llama3}
TRAIN_MB=${TRAIN_MB:-30}
ENCODE_MB=${ENCODE_MB:-30}
PYTHON=${PYTHON:-python3}
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$WORK"
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi
if [ -z "${WINNOW_BENCH:-}" ]; then
  swift build -c release --product winnow-bench >/dev/null
  WINNOW_BENCH="$(swift build -c release --show-bin-path)/winnow-bench"
fi
[ -f "$WORK/encode.jsonl" ] || "$PYTHON" "$HERE/make_texts.py" "$CORPUS" "$WORK" "$TRAIN_MB" "$ENCODE_MB"
TOK="$WORK/tok-$PATTERN-$VOCAB"
if [ ! -f "$TOK/tiktoken.json" ]; then
  /usr/bin/time -f "training: %e s wall, %U s user, %M KB max RSS" \
    "$WINNOW" tokenizer train "$WORK/train.jsonl" --vocab-size "$VOCAB" --pattern "$PATTERN" \
    --special-token "<|endoftext|>" --output "$TOK"
fi

export RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
: > "$WORK/results.jsonl"
for rep in $(seq 1 "$REPS"); do
  taskset -c 0 "$WINNOW_BENCH" tokenizer --tokenizer "$TOK/tokenizer.json" --reps 1 "$WORK/encode.jsonl" \
    | tail -1 | sed 's/^{/{"tool": "winnow", /' >> "$WORK/results.jsonl"
  for tool in tiktoken hf hf-fast; do
    taskset -c 0 "$PYTHON" "$HERE/tokenizer_bench.py" "$tool" "$TOK" "$WORK/encode.jsonl" --reps 1 >> "$WORK/results.jsonl" || true
  done
done

"$PYTHON" - "$WORK/results.jsonl" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["tool"], []).append(r)
first = rows["winnow"][0]
print(f'{first["documents"]} documents, {first["bytes"] / 1e6:.1f} MB of text')
print('| tool | CPU s (median) | MB/s per core | tokens | same ids as winnow | winnow speed-up |')
print('| --- | --- | --- | --- | --- | --- |')
base = statistics.median(r["cpu_seconds"] for r in rows["winnow"])
for tool in ["winnow", "tiktoken", "hf", "hf-fast"]:
    if tool not in rows:
        continue
    cpu = statistics.median(r["cpu_seconds"] for r in rows[tool])
    r = rows[tool][0]
    same = r["tokens"] == first["tokens"] and r["checksum"] == first["checksum"]
    print(f'| {tool} | {cpu:.2f} | {r["bytes"] / 1e6 / cpu:.2f} | {r["tokens"]:,} | {"yes" if same else "NO"} | {cpu / base:.2f}x |')
PY
